/**
 * The last N messages, for a page that connects after they were sent. A fixed array and a cursor:
 * pushing never allocates or shifts, whatever N is.
 */
export class Ring<T> {
  private readonly slots: (T | undefined)[];
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('a ring holds at least one item');
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.filled;
  }

  /** Adds an item, overwriting the oldest when full. */
  push(item: T): void {
    this.slots[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** The items, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.next - this.filled + this.capacity) % this.capacity;
    for (let i = 0; i < this.filled; i++) out.push(this.slots[(start + i) % this.capacity] as T);
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.filled = 0;
  }
}
