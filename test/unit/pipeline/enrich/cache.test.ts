import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GenerationalCache } from '../../../../src/pipeline/enrich/cache.js';

describe('the generational cache', () => {
  it('never holds more entries than its capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 200 })),
        (capacity, keys) => {
          const cache = new GenerationalCache<number, number>(capacity);
          for (const key of keys) {
            if (cache.get(key) === undefined) cache.set(key, key * 2);
            expect(cache.size).toBeLessThanOrEqual(capacity + (capacity % 2));
          }
        },
      ),
    );
  });

  it('returns what was stored until the entry is evicted, never a wrong value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 })), (keys) => {
        const cache = new GenerationalCache<number, string>(8);
        for (const key of keys) {
          const hit = cache.get(key);
          if (hit === undefined) cache.set(key, `v${key}`);
          else expect(hit).toBe(`v${key}`);
        }
      }),
    );
  });

  it('keeps an entry that is used again alive while others age out', () => {
    const cache = new GenerationalCache<string, number>(4);
    cache.set('hot', 1);
    for (let i = 0; i < 20; i++) {
      expect(cache.get('hot')).toBe(1);
      cache.set(`cold-${i}`, i);
    }
    expect(cache.get('hot')).toBe(1);
    expect(cache.get('cold-0')).toBeUndefined();
  });

  it('stores nothing with capacity 0 and refuses a negative capacity', () => {
    const cache = new GenerationalCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
    expect(() => new GenerationalCache(-1)).toThrow(RangeError);
  });
});
