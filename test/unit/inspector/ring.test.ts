import { describe, expect, it } from 'vitest';
import { Ring } from '../../../src/inspector/ring.js';

describe('the inspector ring', () => {
  it('keeps the last items in order, oldest first, overwriting the oldest when full', () => {
    const ring = new Ring<number>(3);
    expect(ring.toArray()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    ring.push(3);
    ring.push(4);
    ring.push(5);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });

  it('holds exactly its capacity across many wraps', () => {
    const ring = new Ring<number>(500);
    for (let i = 0; i < 1234; i++) ring.push(i);
    const items = ring.toArray();
    expect(items).toHaveLength(500);
    expect(items[0]).toBe(734);
    expect(items[499]).toBe(1233);
  });

  it('starts over after clear', () => {
    const ring = new Ring<string>(2);
    ring.push('a');
    ring.push('b');
    ring.push('c');
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    ring.push('d');
    expect(ring.toArray()).toEqual(['d']);
  });

  it('refuses a capacity below one', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
  });
});
