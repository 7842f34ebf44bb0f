/**
 * The journal's tail in memory: the bytes of the last commits, exactly as they went to the segment
 * files, so the deliverer reads them without touching the disk. Bounded by bytes; what falls out of
 * the front is read from disk instead. Chunks are in journal order, so a position is found by binary
 * search.
 *
 * It keeps each commit's bytes as one buffer rather than the committed record objects: records wait
 * here for the deliverer's linger and Kafka's answer (50-100 ms at saturation), long enough to
 * outlive two young-generation collections, and four objects per record moved into the old
 * generation made the collector need a full collection every few seconds. Records are decoded from
 * the bytes when they are read for delivery and die young with their batch.
 */
import { readRecord, RECORD_HEADER_BYTES, type JournalRecord } from './format.js';

interface Chunk {
  readonly bytes: Buffer;
  readonly seq: number;
  /** Where the bytes lie in segment `seq`. */
  readonly start: number;
  readonly end: number;
}

export class TailCache {
  private chunks: Chunk[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The bytes of one commit, written to segment `seq` at `start`; kept as given (pass a copy). */
  push(bytes: Buffer, seq: number, start: number): void {
    this.chunks.push({ bytes, seq, start, end: start + bytes.length });
    this.bytes += bytes.length;
    while (this.bytes > this.maxBytes && this.head < this.chunks.length) this.shift();
  }

  /** The timestamp of the record at (seq, offset), when it is held here. */
  timestampAt(seq: number, offset: number): number | undefined {
    const at = this.find(seq, offset);
    if (at === -1) return undefined;
    const chunk = this.chunks[at] as Chunk;
    return chunk.bytes.readDoubleLE(offset - chunk.start + RECORD_HEADER_BYTES);
  }

  /** Up to `maxRecords` records (about `maxBytes`, at least one) from the record at (seq, offset). */
  readFrom(
    seq: number,
    offset: number,
    maxRecords: number,
    maxBytes: number,
  ): { records: JournalRecord[]; seq: number; end: number } | null {
    let index = this.find(seq, offset);
    if (index === -1) return null;
    const records: JournalRecord[] = [];
    let bytes = 0;
    let lastSeq = seq;
    let lastEnd = offset;
    let chunk = this.chunks[index] as Chunk;
    let at = offset - chunk.start;
    for (;;) {
      while (at < chunk.bytes.length && records.length < maxRecords) {
        const size = RECORD_HEADER_BYTES + chunk.bytes.readUInt32LE(at);
        if (records.length > 0 && bytes + size > maxBytes) return { records, seq: lastSeq, end: lastEnd };
        // No checksum check: these are the bytes this process wrote, never read back from a disk.
        records.push(readRecord(chunk.bytes, at, size));
        bytes += size;
        at += size;
        lastSeq = chunk.seq;
        lastEnd = chunk.start + at;
      }
      index++;
      const next = this.chunks[index];
      // The next commit continues where this one ended, or opens the next segment.
      if (records.length >= maxRecords || next === undefined) break;
      if (next.seq === lastSeq ? next.start !== lastEnd : next.seq < lastSeq) break;
      chunk = next;
      at = 0;
    }
    return { records, seq: lastSeq, end: lastEnd };
  }

  /** Forgets every chunk that ends at or before (seq, end). */
  dropThrough(seq: number, end: number): void {
    while (this.head < this.chunks.length) {
      const chunk = this.chunks[this.head] as Chunk;
      if (chunk.seq > seq || (chunk.seq === seq && chunk.end > end)) break;
      this.shift();
    }
  }

  private shift(): void {
    const chunk = this.chunks[this.head] as Chunk;
    this.bytes -= chunk.bytes.length;
    this.chunks[this.head] = undefined as unknown as Chunk;
    this.head++;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the chunk holding the record at (seq, offset), or -1. */
  private find(seq: number, offset: number): number {
    let lo = this.head;
    let hi = this.chunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid] as Chunk;
      if (chunk.seq === seq && chunk.start <= offset && offset < chunk.end) return mid;
      if (chunk.seq < seq || (chunk.seq === seq && chunk.end <= offset)) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
