/**
 * A bounded cache for parse results that repeat a lot (user agents). It keeps two generations of at
 * most half the capacity each: a hit in the young generation is one Map lookup, a hit in the old one
 * promotes the entry, and when the young generation is full the old one is dropped whole. That is
 * least-recently-used eviction at generation granularity, without the delete-and-reinsert on every
 * hit that an exact LRU on a Map needs. At most `capacity` entries are held (one more when odd).
 */
export class GenerationalCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generationSize: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError('cache capacity must be a non-negative integer');
    }
    this.generationSize = Math.ceil(capacity / 2);
  }

  get(key: K): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.put(key, aged);
    }
    return aged;
  }

  set(key: K, value: V): void {
    if (this.capacity === 0) return;
    this.put(key, value);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  private put(key: K, value: V): void {
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
