import { afterEach, describe, expect, it, vi } from 'vitest';
import { WaitTimeoutError, waitFor } from '../../support/wait.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('waitFor, the tests’ poll', () => {
  it('resolves with the first truthy value, polling a synchronous or asynchronous condition', async () => {
    let calls = 0;
    expect(await waitFor(() => ++calls >= 3 && calls, { interval: 1 })).toBe(3);
    let later = 0;
    expect(await waitFor(async () => ++later === 2, { interval: 1 })).toBe(true);
  });

  it('fails after the timeout with what it waited for', async () => {
    await expect(waitFor(() => false, { timeout: 30, interval: 5, message: 'Godot' })).rejects.toThrow(
      new WaitTimeoutError('timed out after 30 ms waiting for Godot'),
    );
    await expect(waitFor(() => 1 > 2, { timeout: 10, interval: 5 })).rejects.toThrow(
      /waiting for \(\) => 1 > 2$/,
    );
    let state = 'empty';
    const waiting = waitFor(() => false, {
      timeout: 10,
      interval: 5,
      message: () => `a letter, found ${state}`,
    });
    state = 'a bill';
    await expect(waiting).rejects.toThrow(/a letter, found a bill$/);
  });

  it('passes on at once what the condition throws', async () => {
    const started = performance.now();
    await expect(
      waitFor(
        () => {
          throw new Error('broken');
        },
        { timeout: 5_000 },
      ),
    ).rejects.toThrow('broken');
    await expect(waitFor(() => Promise.reject(new Error('rejected')), { timeout: 5_000 })).rejects.toThrow(
      'rejected',
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('moves fake timers on while it polls', async () => {
    vi.useFakeTimers();
    let fired = false;
    // Polls 10 ms of real time apart, each moving the fake clock by 10 ms.
    setTimeout(() => (fired = true), 50);
    await waitFor(() => fired, { timeout: 1_000, interval: 10 });
    expect(fired).toBe(true);
  });
});
