// Types for chromium.mjs, which stays plain JavaScript so the e2e runs without a build step.
import type { Browser } from 'playwright-core';

/** CHROMIUM_PATH from the environment, else Debian's /usr/bin/chromium. */
export declare const CHROMIUM_PATH: string;
export declare function launchChromium(): Promise<Browser>;
