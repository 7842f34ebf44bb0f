/**
 * The replay side of the spool: hands out the written records in order, one segment at a time, through
 * one open read handle. It reads the spool's live segment list but never changes the list; appending,
 * acknowledging and deleting stay with the spool.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { SinkLogger } from '../sink-logger.js';
import type { Segment } from './files.js';
import { parseRecords } from './format.js';
import type { SpoolBatch } from './options.js';

export class SpoolReader {
  /** Bytes found unreadable while reading, and skipped. */
  skippedBytes = 0;
  private current: { segment: Segment; handle: FileHandle } | null = null;
  private offset = 0;
  private closed = false;

  constructor(
    private readonly segments: readonly Segment[],
    private readonly logger: SinkLogger,
    private readonly name: string,
  ) {}

  /** The segment being read, if a handle is open. */
  get segment(): Segment | undefined {
    return this.current?.segment;
  }

  /** Records written and not yet handed out by `read()`: what a reader can get without waiting. */
  hasReadable(): boolean {
    const current = this.current?.segment;
    for (let i = Math.max(0, current ? this.segments.indexOf(current) : 0); i < this.segments.length; i++) {
      const seg = this.segments[i] as Segment;
      if ((seg === current ? this.offset : seg.start) < seg.end) return true;
    }
    return false;
  }

  /**
   * The next records after those already handed out, at most `maxRecords` and about `maxBytes`
   * (one record always fits), all from one segment; null when nothing written is left to read.
   */
  async read(maxRecords: number, maxBytes: number): Promise<SpoolBatch | null> {
    for (;;) {
      if (this.closed) return null;
      let seg = this.current?.segment;
      if (!seg || !this.segments.includes(seg)) {
        seg = this.segments[0];
        if (!seg) return null;
        await this.openSegment(seg);
        this.offset = seg.start;
      }
      const current = this.current as { segment: Segment; handle: FileHandle };
      if (this.offset >= seg.end) {
        const next = this.segments[this.segments.indexOf(seg) + 1];
        if (!next || seg.fd !== null) return null;
        await this.openSegment(next);
        this.offset = next.start;
        continue;
      }
      let want = Math.min(seg.end - this.offset, maxBytes + 64 * 1024);
      for (;;) {
        const chunk = Buffer.allocUnsafe(want);
        const { bytesRead } = await current.handle.read(chunk, 0, want, this.offset);
        const parsed = parseRecords(chunk, 0, bytesRead, { maxRecords, maxBytes });
        if (parsed.records.length > 0) {
          this.offset += parsed.next;
          return { records: parsed.records, seq: seg.seq, end: this.offset };
        }
        if (
          parsed.stop === 'incomplete' &&
          parsed.needed !== undefined &&
          parsed.needed > want &&
          this.offset + parsed.needed <= seg.end
        ) {
          want = parsed.needed;
          continue;
        }
        // Written by this process and checked at open, so this means the disk changed under us.
        this.skippedBytes += seg.end - this.offset;
        this.logger.error(
          { sink: this.name, file: seg.path, offset: this.offset },
          'spool segment unreadable from this offset on; skipped',
        );
        seg.end = this.offset;
        break;
      }
    }
  }

  /** Closes the open handle; the next read starts over at the first unacknowledged record of the first segment. */
  async rewind(): Promise<void> {
    const current = this.current;
    this.current = null;
    await current?.handle.close().catch(() => {});
  }

  /** For good: `read()` returns null from now on. */
  async close(): Promise<void> {
    this.closed = true;
    await this.rewind();
  }

  private async openSegment(seg: Segment): Promise<void> {
    await this.rewind();
    this.current = { segment: seg, handle: await open(seg.path, 'r') };
  }
}
