import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueue, type Queue } from '../../../src/tracker-js/queue.js';

interface Harness {
  readonly queue: Queue;
  /** Every send, with a function to answer it. */
  readonly sent: { query: string; done: (delivered: boolean) => void }[];
  readonly beacons: string[][];
  /** What the store holds now. */
  stored(): string[];
  /** Answers the oldest unanswered send. */
  answer(delivered?: boolean): void;
  beaconAccepts: boolean;
}

function harness(stored: string[] = [], limit = 32, timeout = 10_000): Harness {
  const sent: Harness['sent'] = [];
  const beacons: string[][] = [];
  let store = [...stored];
  let answered = 0;
  const h: Harness = {
    sent,
    beacons,
    beaconAccepts: true,
    stored: () => store,
    answer(delivered = true) {
      sent[answered++]!.done(delivered);
    },
    queue: createQueue(
      (query, done) => sent.push({ query, done }),
      (queries) => {
        if (h.beaconAccepts) beacons.push(queries);
        return h.beaconAccepts;
      },
      stored,
      (queries) => (store = [...queries]),
      limit,
      timeout,
    ),
  };
  return h;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the delivery queue', () => {
  it('sends one event at a time, in order, and forgets each once delivered', () => {
    const h = harness();
    const [push] = h.queue;
    push('a');
    push('b');
    push('c');
    expect(h.sent.map((s) => s.query)).toEqual(['a']);
    expect(h.stored()).toEqual(['a', 'b', 'c']);
    h.answer();
    expect(h.sent.map((s) => s.query)).toEqual(['a', 'b']);
    expect(h.stored()).toEqual(['b', 'c']);
    h.answer();
    h.answer();
    expect(h.sent.map((s) => s.query)).toEqual(['a', 'b', 'c']);
    expect(h.stored()).toEqual([]);
  });

  it('sends what a previous page left in the store first', () => {
    const h = harness(['old1', 'old2']);
    h.queue[0]('new');
    h.answer();
    h.answer();
    expect(h.sent.map((s) => s.query)).toEqual(['old1', 'old2', 'new']);
  });

  it('retries a failed event after 1, 2, 4 … 32 s with jitter, keeping the order', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1); // no jitter: the full delay
    const h = harness();
    const [push] = h.queue;
    push('a');
    push('b');
    const delays = [1000, 2000, 4000, 8000, 16000, 32000, 32000];
    delays.forEach((delay, i) => {
      h.answer(false);
      vi.advanceTimersByTime(delay - 1);
      expect(h.sent).toHaveLength(i + 1);
      vi.advanceTimersByTime(1);
    });
    expect(h.sent.map((s) => s.query)).toEqual(Array(8).fill('a'));
    h.answer(true);
    expect(h.sent.at(-1)!.query).toBe('b');
    // Success resets the back-off.
    h.answer(false);
    vi.advanceTimersByTime(1000);
    expect(h.sent.at(-1)!.query).toBe('b');
    expect(h.sent).toHaveLength(10);
  });

  it('spreads retries between half and all of the delay', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const h = harness();
    h.queue[0]('a');
    h.answer(false);
    vi.advanceTimersByTime(499);
    expect(h.sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(h.sent).toHaveLength(2);
  });

  it('moves on after the timeout without resending, and ignores the late answer', () => {
    const h = harness([], 32, 10_000);
    const [push] = h.queue;
    push('a');
    push('b');
    vi.advanceTimersByTime(10_000);
    expect(h.sent.map((s) => s.query)).toEqual(['a', 'b']);
    h.sent[0]!.done(false); // the hung request fails after all: already counted as sent
    expect(h.sent).toHaveLength(2);
    h.sent[1]!.done(true);
    expect(h.stored()).toEqual([]);
  });

  it('calls whenCommitted back once everything pushed before it is delivered', () => {
    const h = harness();
    const [push, whenCommitted] = h.queue;
    const calls: string[] = [];
    push('a');
    whenCommitted(() => calls.push('after a'));
    push('b');
    whenCommitted(() => calls.push('after b'));
    vi.advanceTimersByTime(0);
    expect(calls).toEqual([]);
    h.answer();
    vi.advanceTimersByTime(0);
    expect(calls).toEqual(['after a']);
    h.answer();
    vi.advanceTimersByTime(0);
    expect(calls).toEqual(['after a', 'after b']);
  });

  it('calls whenCommitted back at once when nothing waits, and survives a callback that throws', () => {
    const h = harness();
    const [push, whenCommitted] = h.queue;
    const calls: number[] = [];
    whenCommitted(() => {
      throw new Error('page bug');
    });
    whenCommitted(() => calls.push(1));
    expect(() => vi.advanceTimersByTime(0)).toThrow('page bug');
    vi.advanceTimersByTime(0);
    expect(calls).toEqual([1]);
    push('a');
    expect(h.sent).toHaveLength(1);
  });

  it('holds at most the limit, giving up the oldest waiting event but never the one in flight', () => {
    const h = harness([], 3);
    const [push] = h.queue;
    for (const q of ['a', 'b', 'c', 'd', 'e']) push(q);
    expect(h.stored()).toEqual(['a', 'd', 'e']);
    h.answer();
    expect(h.sent.map((s) => s.query)).toEqual(['a', 'd']);
  });

  it('hands everything waiting to one beacon when the page hides, except the event in flight', () => {
    const h = harness();
    const [push, whenCommitted, hidden] = h.queue;
    const calls: string[] = [];
    push('a');
    push('b');
    push('c');
    whenCommitted(() => calls.push('done'));
    hidden(true);
    expect(h.beacons).toEqual([['b', 'c']]);
    // fetch keepalive carries 'a'; if the page dies now nothing is left to send twice.
    expect(h.stored()).toEqual([]);
    h.answer();
    vi.advanceTimersByTime(0);
    expect(calls).toEqual(['done']);
    expect(h.sent.map((s) => s.query)).toEqual(['a']);
  });

  it('beacons events signalled while hidden, a burst together', async () => {
    const h = harness();
    const [push, , hidden] = h.queue;
    hidden(true);
    push('a');
    push('b');
    await Promise.resolve();
    expect(h.beacons).toEqual([['a', 'b']]);
    expect(h.sent).toEqual([]);
    hidden(false);
    push('c');
    expect(h.sent.map((s) => s.query)).toEqual(['c']);
  });

  it('keeps the events in the store for the next page when the beacon is refused', () => {
    const h = harness();
    const [push, , hidden] = h.queue;
    push('a');
    push('b');
    h.beaconAccepts = false;
    hidden(true);
    expect(h.stored()).toEqual(['a', 'b']);
  });

  it('sends no beacon while the collector is unreachable, keeping the events stored', () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const h = harness();
    const [push, , hidden] = h.queue;
    push('a');
    push('b');
    h.answer(false);
    hidden(true);
    expect(h.beacons).toEqual([]);
    expect(h.stored()).toEqual(['a', 'b']);
    // Retries go on while hidden.
    vi.advanceTimersByTime(1000);
    expect(h.sent.map((s) => s.query)).toEqual(['a', 'a']);
  });

  it('forgets waiting events on clear but lets the one in flight finish', () => {
    const h = harness();
    const [push, whenCommitted, , clear] = h.queue;
    const calls: string[] = [];
    push('a');
    push('b');
    whenCommitted(() => calls.push('done'));
    clear();
    expect(h.stored()).toEqual([]);
    h.answer();
    vi.advanceTimersByTime(0);
    expect(calls).toEqual(['done']);
    expect(h.sent.map((s) => s.query)).toEqual(['a']);
  });
});
