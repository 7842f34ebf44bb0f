// Debian's headless Chromium, driven by playwright-core (no bundled browser download): the one launch
// the e2e run and the real-browser tests share. Plain JavaScript so the e2e runs without a build step.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A fresh headless browser; launch() gives every run a temporary profile (user data dir) of its own. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
