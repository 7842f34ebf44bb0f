/**
 * Polling for tests: one helper instead of a hand-written loop per file. It runs on vitest's
 * vi.waitUntil, so it keeps polling on real timers while a test fakes them (and advances fake timers
 * by one interval per poll, as vi.waitUntil does).
 */
import { vi } from 'vitest';

export interface WaitOptions {
  /** Give up after this many milliseconds (default 5,000). */
  timeout?: number;
  /** Milliseconds between polls (default 20). */
  interval?: number;
  /**
   * What is awaited, for the error on timeout ("timed out after 5000 ms waiting for …"); a function
   * is called then, so it can tell what the state was. Default: the condition's source text.
   */
  message?: string | (() => string);
}

/** Thrown when the condition did not come true in time; anything the condition throws passes through. */
export class WaitTimeoutError extends Error {}

/**
 * Polls `condition` until it returns a truthy value and resolves with that value. Fails with a
 * WaitTimeoutError after `timeout`, or at once with whatever the condition throws or rejects with.
 * An asynchronous condition is not called again before its last call settled.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeout = 5_000, interval = 20, message }: WaitOptions = {},
): Promise<T> {
  let failure: { error: unknown } | undefined;
  try {
    return await vi.waitUntil(
      async () => {
        try {
          return await condition();
        } catch (error) {
          failure = { error };
          throw error;
        }
      },
      { timeout, interval },
    );
  } catch {
    if (failure) throw failure.error;
    const what =
      typeof message === 'function' ? message() : (message ?? String(condition).replace(/\s+/g, ' '));
    throw new WaitTimeoutError(`timed out after ${timeout} ms waiting for ${what}`);
  }
}
