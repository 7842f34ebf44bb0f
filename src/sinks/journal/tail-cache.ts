/**
 * The journal's tail in memory: records just committed, with where they lie in the segments, so the
 * deliverer reads them without touching the disk. Bounded by bytes; what falls out of the front is
 * read from disk instead. Entries are in journal order, so a position is found by binary search.
 */
import type { JournalRecord } from './format.js';

export interface CachedRecord {
  readonly record: JournalRecord;
  readonly seq: number;
  readonly start: number;
  readonly end: number;
  readonly size: number;
}

export class TailCache {
  private entries: CachedRecord[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  push(record: JournalRecord, seq: number, start: number, end: number, size: number): void {
    this.entries.push({ record, seq, start, end, size });
    this.bytes += size;
    while (this.bytes > this.maxBytes && this.head < this.entries.length) this.shift();
  }

  first(): CachedRecord | undefined {
    return this.entries[this.head];
  }

  /** Up to `maxRecords` records (about `maxBytes`, at least one) from the entry at (seq, offset). */
  readFrom(
    seq: number,
    offset: number,
    maxRecords: number,
    maxBytes: number,
  ): { records: JournalRecord[]; seq: number; end: number } | null {
    let at = this.find(seq, offset);
    if (at === -1) return null;
    const records: JournalRecord[] = [];
    let bytes = 0;
    let last = this.entries[at] as CachedRecord;
    while (at < this.entries.length && records.length < maxRecords) {
      const entry = this.entries[at] as CachedRecord;
      if (records.length > 0 && bytes + entry.size > maxBytes) break;
      records.push(entry.record);
      bytes += entry.size;
      last = entry;
      at++;
    }
    return { records, seq: last.seq, end: last.end };
  }

  /** Forgets every entry up to and including the one ending at (seq, end). */
  dropThrough(seq: number, end: number): void {
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head] as CachedRecord;
      if (entry.seq > seq || (entry.seq === seq && entry.end > end)) break;
      this.shift();
    }
  }

  private shift(): void {
    const entry = this.entries[this.head] as CachedRecord;
    this.bytes -= entry.size;
    this.entries[this.head] = undefined as unknown as CachedRecord;
    this.head++;
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the entry starting at (seq, start), or -1. */
  private find(seq: number, start: number): number {
    let lo = this.head;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.entries[mid] as CachedRecord;
      if (entry.seq === seq && entry.start === start) return mid;
      if (entry.seq < seq || (entry.seq === seq && entry.start < start)) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
