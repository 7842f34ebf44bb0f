import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchQueue, type BatchQueueOptions } from '../../../src/sinks/file/batch-queue.js';

interface Call {
  readonly batch: number[];
  resolve(): void;
  reject(err: Error): void;
}

/** An exporter whose calls the test settles by hand, recording how many ran at once. */
function manualExporter() {
  const calls: Call[] = [];
  let running = 0;
  let maxRunning = 0;
  const exportBatch = (batch: number[]): Promise<void> => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<void>((resolve, reject) => {
      calls.push({ batch: [...batch], resolve, reject });
    }).finally(() => running--);
  };
  return {
    calls,
    exportBatch,
    maxRunning: () => maxRunning,
    exported: () => calls.map((c) => c.batch),
  };
}

/** An exporter that succeeds at once and records batches. */
function autoExporter() {
  const batches: number[][] = [];
  return { batches, exportBatch: async (batch: number[]) => void batches.push([...batch]) };
}

function queue(options: Partial<BatchQueueOptions<number>> & Pick<BatchQueueOptions<number>, 'exportBatch'>) {
  return new BatchQueue<number>({ maxQueueSize: 100, maxBatchSize: 10, lingerMs: 1000, ...options });
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('BatchQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('exports a batch as soon as it is full, without waiting for the linger timer', async () => {
    const out = autoExporter();
    const q = queue({ exportBatch: out.exportBatch, maxBatchSize: 3 });
    for (const n of [1, 2, 3, 4]) expect(q.offer(n)).toBe(true);
    await settle();
    expect(out.batches).toEqual([[1, 2, 3]]);
    expect(q.stats()).toMatchObject({ queued: 1, exported: 3, batches: 1 });
  });

  it('exports a partial batch when the linger timer fires', async () => {
    const out = autoExporter();
    const q = queue({ exportBatch: out.exportBatch, lingerMs: 500 });
    q.offer(1);
    q.offer(2);
    await vi.advanceTimersByTimeAsync(499);
    expect(out.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(out.batches).toEqual([[1, 2]]);
    q.offer(3);
    await vi.advanceTimersByTimeAsync(500);
    expect(out.batches).toEqual([[1, 2], [3]]);
  });

  it('runs exactly one export at a time and keeps the order of items', async () => {
    const out = manualExporter();
    const q = queue({ exportBatch: out.exportBatch, maxBatchSize: 2 });
    for (let n = 0; n < 6; n++) q.offer(n);
    await settle();
    expect(out.calls).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      out.calls[i]?.resolve();
      await settle();
    }
    expect(out.exported()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(out.maxRunning()).toBe(1);
  });

  it('counts the batch in flight against the bound, refuses items when full and reports drops with a count', async () => {
    const out = manualExporter();
    const onDrop = vi.fn();
    const q = queue({ exportBatch: out.exportBatch, maxQueueSize: 4, maxBatchSize: 2, onDrop });
    const taken = [1, 2, 3, 4, 5, 6, 7].map((n) => q.offer(n));
    expect(taken).toEqual([true, true, true, true, false, false, false]);
    expect(q.stats()).toMatchObject({ queued: 4, dropped: 3 });
    await Promise.resolve();
    // One call per burst, not one per refused item: the owner rate-limits its logs from here.
    expect(onDrop).toHaveBeenCalledTimes(1);
    expect(onDrop).toHaveBeenCalledWith(3);

    out.calls[0]?.resolve();
    await settle();
    expect(q.offer(8)).toBe(true);
  });

  it('bounds the summed size of the items when maxQueueBytes is set', () => {
    const q = new BatchQueue<Buffer>({
      maxQueueSize: 100,
      maxBatchSize: 100,
      lingerMs: 1000,
      maxQueueBytes: 10,
      sizeOf: (b) => b.length,
      exportBatch: async () => {},
    });
    expect(q.offer(Buffer.alloc(6))).toBe(true);
    expect(q.offer(Buffer.alloc(5))).toBe(false);
    expect(q.offer(Buffer.alloc(4))).toBe(true);
    expect(q.stats()).toMatchObject({ queued: 2, queuedBytes: 10, dropped: 1 });
  });

  it('refuses maxQueueBytes without sizeOf, and nonsense sizes', () => {
    const exportBatch = async () => {};
    expect(() => queue({ exportBatch, maxQueueBytes: 10 })).toThrow(/sizeOf/);
    expect(() => queue({ exportBatch, maxQueueSize: 0 })).toThrow(/maxQueueSize/);
    expect(() => queue({ exportBatch, lingerMs: -1 })).toThrow(/lingerMs/);
  });

  it('passes a failed export to onError, counts its items as failed and lets them go unless told to retry', async () => {
    const failure = new Error('broker away');
    const onError = vi.fn();
    const q = queue({
      maxBatchSize: 2,
      exportBatch: async () => {
        throw failure;
      },
      onError,
    });
    q.offer(1);
    q.offer(2);
    await settle();
    expect(onError).toHaveBeenCalledWith(failure, [1, 2]);
    expect(q.stats()).toMatchObject({ queued: 0, exported: 0, failed: 2, batches: 0 });
  });

  it('treats a synchronous throw from exportBatch like a rejection', async () => {
    const onError = vi.fn();
    const q = queue({
      maxBatchSize: 1,
      exportBatch: () => {
        throw new Error('sync');
      },
      onError,
    });
    q.offer(1);
    await settle();
    expect(onError).toHaveBeenCalledTimes(1);
    q.offer(2);
    await settle();
    expect(onError).toHaveBeenCalledTimes(2);
    expect(q.stats().failed).toBe(2);
  });

  it('keeps a batch at the head when onError asks for a retry, backs off, and counts each item as failed once', async () => {
    let failing = true;
    const exported: number[][] = [];
    const attempts: number[][] = [];
    const q = queue({
      maxBatchSize: 2,
      retryDelayMs: 100,
      exportBatch: async (batch) => {
        attempts.push([...batch]);
        if (failing) throw new Error('disk full');
        exported.push([...batch]);
      },
      onError: () => 'retry',
    });
    q.offer(1);
    q.offer(2);
    await settle();
    expect(attempts).toEqual([[1, 2]]);
    q.offer(3);
    q.offer(4);
    await settle();
    // Backing off: the new full batch does not jump the queue or hammer the destination.
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toHaveLength(2);
    expect(q.stats()).toMatchObject({ failed: 2, queued: 4 });
    // Second back-off doubles.
    await vi.advanceTimersByTimeAsync(199);
    expect(attempts).toHaveLength(2);
    failing = false;
    await vi.advanceTimersByTimeAsync(1);
    expect(exported).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(q.stats()).toMatchObject({ failed: 2, exported: 4, queued: 0, batches: 2 });
  });

  it('flush exports everything queued and resolves instead of looping when an export fails', async () => {
    const out = autoExporter();
    const q = queue({ exportBatch: out.exportBatch, maxBatchSize: 4 });
    for (let n = 0; n < 3; n++) q.offer(n);
    await q.flush();
    expect(out.batches).toEqual([[0, 1, 2]]);

    const failing = queue({
      exportBatch: async () => {
        throw new Error('nope');
      },
      onError: () => 'retry',
    });
    failing.offer(1);
    await failing.flush();
    expect(failing.stats()).toMatchObject({ queued: 1, failed: 1 });
  });

  it('shutdown stops accepting, drains under the deadline and returns what is left', async () => {
    const out = manualExporter();
    const q = queue({ exportBatch: out.exportBatch, maxBatchSize: 2 });
    for (let n = 0; n < 7; n++) q.offer(n);
    await settle();
    const done = q.shutdown(1000);
    expect(q.offer(99)).toBe(false);
    out.calls[0]?.resolve();
    await settle();
    out.calls[1]?.resolve();
    await settle();
    // The third export hangs past the deadline.
    await vi.advanceTimersByTimeAsync(1000);
    const result = await done;
    // [0, 1] was in flight when shutdown began and finished after: it counts as drained.
    expect(result).toEqual({ drained: 4, left: [6], inFlight: 2 });
    expect(out.exported()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    // The late export is still accounted for when it ends.
    out.calls[2]?.resolve();
    await settle();
    expect(q.stats()).toMatchObject({ exported: 6, dropped: 1, queued: 0 });
  });

  it('shutdown returns quickly when everything drains and stops at the first failure', async () => {
    const out = autoExporter();
    const q = queue({ exportBatch: out.exportBatch, maxBatchSize: 2 });
    for (let n = 0; n < 5; n++) q.offer(n);
    await expect(q.shutdown(10_000)).resolves.toEqual({ drained: 5, left: [], inFlight: 0 });

    const attempts: number[][] = [];
    const broken = queue({
      maxBatchSize: 2,
      exportBatch: async (batch) => {
        attempts.push([...batch]);
        throw new Error('down');
      },
      onError: () => 'retry',
    });
    for (let n = 0; n < 5; n++) broken.offer(n);
    await settle();
    const result = await broken.shutdown(10_000);
    expect(result.left).toEqual([0, 1, 2, 3, 4]);
    expect(result.drained).toBe(0);
  });

  it('shutdown is idempotent', async () => {
    const out = autoExporter();
    const q = queue({ exportBatch: out.exportBatch });
    q.offer(1);
    const first = q.shutdown(100);
    const second = q.shutdown(5);
    expect(second).toBe(first);
    expect(await first).toEqual({ drained: 1, left: [], inFlight: 0 });
    expect(await q.shutdown(100)).toEqual({ drained: 1, left: [], inFlight: 0 });
    expect(out.batches).toEqual([[1]]);
  });

  it('survives callbacks that throw', async () => {
    const q = queue({
      maxQueueSize: 1,
      maxBatchSize: 1,
      exportBatch: async () => {
        throw new Error('x');
      },
      onError: () => {
        throw new Error('handler bug');
      },
      onDrop: () => {
        throw new Error('handler bug');
      },
    });
    q.offer(1);
    q.offer(2);
    await settle();
    expect(q.stats()).toMatchObject({ failed: 1, dropped: 1, queued: 0 });
    expect(q.offer(3)).toBe(true);
  });
});

describe('BatchQueue timers', () => {
  it('unrefs its linger timer so a forgotten queue never holds the process open', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const q = new BatchQueue<number>({
        maxQueueSize: 10,
        maxBatchSize: 10,
        lingerMs: 60_000,
        exportBatch: async () => {},
      });
      q.offer(1);
      const timer = spy.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      await q.shutdown(0);
    } finally {
      spy.mockRestore();
    }
  });
});
