import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../../src/sinks/memory-sink.js';
import type { SinkRecord } from '../../../src/sinks/sink.js';

const record = (n: number): SinkRecord => ({ key: `k${n}`, value: Buffer.from([n]), timestamp: n });

describe('MemorySink', () => {
  it('keeps the records it takes, in offer order', async () => {
    const sink = new MemorySink({ name: 'mem' });
    await sink.start();
    expect(sink.offer(record(1))).toBe(true);
    expect(sink.offer(record(2))).toBe(true);
    expect(sink.records()).toEqual([record(1), record(2)]);
    expect(sink.health()).toEqual({ ready: true });
    expect(sink.stats()).toEqual({ offered: 2, written: 2, dropped: 0, failed: 0, queued: 0 });
  });

  it('simulates a full sink with a capacity, and clear() makes room again', async () => {
    const sink = new MemorySink({ capacity: 2 });
    await sink.start();
    expect([1, 2, 3].map((n) => sink.offer(record(n)))).toEqual([true, true, false]);
    expect(sink.stats()).toMatchObject({ offered: 3, written: 2, dropped: 1 });
    sink.clear();
    expect(sink.offer(record(4))).toBe(true);
    expect(sink.records()).toEqual([record(4)]);
  });

  it('refuses records before start and after shutdown, like a real sink', async () => {
    const sink = new MemorySink();
    expect(sink.offer(record(1))).toBe(false);
    expect(sink.health().ready).toBe(false);
    await sink.start();
    await sink.shutdown(0);
    expect(sink.offer(record(2))).toBe(false);
    expect(sink.stats().dropped).toBe(2);
    expect(new MemorySink({ acceptBeforeStart: true }).offer(record(3))).toBe(true);
  });

  it('reports whatever health a test forces on it', async () => {
    const sink = new MemorySink();
    await sink.start();
    sink.setHealth({ ready: false, detail: 'simulated outage' });
    expect(sink.health()).toEqual({ ready: false, detail: 'simulated outage' });
    sink.setHealth(null);
    expect(sink.health()).toEqual({ ready: true });
  });
});
