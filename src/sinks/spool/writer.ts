/**
 * The append side of the spool: appended records are buffered and written at the end of the current
 * event-loop turn to the last segment, which is sealed once it reaches the segment size. While writes
 * fail (a full or broken disk), the records stay buffered and the write is retried after a pause.
 */
import { closeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import type { SinkLogger } from '../sink-logger.js';
import type { SpoolDurability } from './durability.js';
import { createSegment, describe, writeAll, type Segment } from './files.js';
import { SEGMENT_HEADER_BYTES, segmentName } from './format.js';

export interface SpoolWriterParts {
  readonly dir: string;
  /** The spool's live list: the writer appends to its last segment and adds new ones at its end. */
  readonly segments: Segment[];
  readonly segmentBytes: number;
  readonly retryDelayMs: number;
  readonly durability: SpoolDurability;
  readonly logger: SinkLogger;
  readonly name: string;
  /** Takes the sequence number for a new segment. */
  readonly nextSeq: () => number;
  /** Bytes that reached a segment file, and how many records they hold. */
  readonly written: (bytes: number, records: number) => void;
  /** After records were written, so a waiting reader can look again. */
  readonly onWritten: () => void;
}

export class SpoolWriter {
  /** Failed writes, counted for the spool's stats. */
  writeErrors = 0;
  private pending: Buffer[] = [];
  private pendingByteCount = 0;
  private pendingRecordCount = 0;
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private problem: string | null = null;
  private closed = false;

  constructor(private readonly o: SpoolWriterParts) {}

  /** Bytes appended and not yet written. */
  get pendingBytes(): number {
    return this.pendingByteCount;
  }

  /** Records appended and not yet written. */
  get pendingRecords(): number {
    return this.pendingRecordCount;
  }

  /** A write problem, while one lasts. */
  get currentProblem(): string | null {
    return this.problem;
  }

  /** Buffers one encoded record; it is written at the end of the turn unless a retry is pending. */
  buffer(encoded: Buffer): void {
    this.pending.push(encoded);
    this.pendingByteCount += encoded.length;
    this.pendingRecordCount++;
    if (!this.flushScheduled && !this.retryTimer) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Writes what is buffered now (normally done at the end of the turn). */
  flush(): void {
    if (this.pendingRecordCount === 0 || this.closed) return;
    const data =
      this.pending.length === 1
        ? (this.pending[0] as Buffer)
        : Buffer.concat(this.pending, this.pendingByteCount);
    let seg = this.o.segments[this.o.segments.length - 1];
    try {
      if (!seg || seg.fd === null) seg = this.newSegment();
      const fd = seg.fd as number;
      try {
        writeAll(fd, data, seg.fileBytes);
      } catch (err) {
        // Cut a partial write back, so the next write does not land after garbage; if even that
        // fails, seal the segment at its valid end and start a fresh one.
        try {
          ftruncateSync(fd, seg.end);
        } catch {
          closeSync(fd);
          seg.fd = null;
        }
        throw err;
      }
      seg.end += data.length;
      seg.fileBytes = seg.end;
      seg.records += this.pendingRecordCount;
      this.o.written(data.length, this.pendingRecordCount);
      this.pending = [];
      this.pendingByteCount = 0;
      this.pendingRecordCount = 0;
      this.o.durability.appended(fd);
      if (seg.end >= this.o.segmentBytes) this.seal(seg);
    } catch (err) {
      this.writeErrors++;
      const detail = `spool cannot write in ${this.o.dir}: ${describe(err)}`;
      if (detail !== this.problem) {
        this.o.logger.error(
          { sink: this.o.name, err: describe(err) },
          'spool cannot write; records are kept in memory and retried',
        );
      }
      this.problem = detail;
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        this.flush();
      }, this.o.retryDelayMs);
      this.retryTimer.unref();
      return;
    }
    if (this.problem) {
      this.problem = null;
      this.o.logger.info({ sink: this.o.name }, 'spool writing again');
    }
    this.o.onWritten();
  }

  /** Drops a pending retry, writes what is buffered one last time, and writes nothing after that. */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.flush();
    this.closed = true;
  }

  private newSegment(): Segment {
    const seq = this.o.nextSeq();
    const path = join(this.o.dir, segmentName(seq));
    const fd = createSegment(path);
    this.o.durability.folderChanged();
    const seg: Segment = {
      seq,
      path,
      end: SEGMENT_HEADER_BYTES,
      fileBytes: SEGMENT_HEADER_BYTES,
      records: 0,
      start: SEGMENT_HEADER_BYTES,
      fd,
    };
    this.o.segments.push(seg);
    this.o.written(SEGMENT_HEADER_BYTES, 0);
    return seg;
  }

  private seal(seg: Segment): void {
    if (seg.fd === null) return;
    this.o.durability.completed(seg.fd);
    closeSync(seg.fd);
    seg.fd = null;
  }
}
