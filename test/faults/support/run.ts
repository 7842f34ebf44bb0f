/**
 * What the faults run's global setup hands to every test file: where the results go, the folder all
 * scenario folders (and mount points) live under, and the tag every tmpfs of this run carries.
 *
 * test/faults/**\/*.test.ts also match the main vitest.config.ts include (test/**\/*.test.ts). Under that
 * config nothing is provided, and the scenarios skip with this reason rather than mount file systems,
 * SIGKILL processes and start brokers in the middle of `npm test`.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

export interface FaultsRun {
  /** JSON lines, one per scenario. */
  readonly results: string;
  /** Scenario folders and mount points; removed at teardown unless FAULTS_KEEP=1. */
  readonly work: string;
  /** The tmpfs source name of this run's mounts, so `mount | grep footfall` finds any left over. */
  readonly tag: string;
  /** Seed of the random kill moments (FAULTS_SEED to repeat a run). */
  readonly seed: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    faults?: FaultsRun;
  }
}

function provided(): FaultsRun | undefined {
  try {
    return inject('faults');
  } catch {
    return undefined;
  }
}

/** Why this file does not run here, or undefined under `npm run test:faults`. */
export const notAFaultsRun: string | undefined =
  provided() === undefined
    ? 'fault scenarios run only with `npm run test:faults` (root, real mounts, private brokers)'
    : undefined;

export function faultsRun(): FaultsRun {
  const run = provided();
  if (!run) throw new Error(notAFaultsRun);
  return run;
}

/** A fresh folder for one scenario under the run's work folder. */
export function scenarioDir(name: string): string {
  return mkdtempSync(join(faultsRun().work, `${name.replace(/[^a-z0-9]+/gi, '-')}-`));
}

/** A seeded PRNG (mulberry32), so the random kill moments of a run can be repeated with FAULTS_SEED. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 50 ms; throws naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
