/**
 * A disk spool: an append-only log of records in segment files, read back in order and deleted only
 * once the reader acknowledges what it read. The Kafka sink spools what it cannot send right now and
 * replays it when the broker is back, in this run or the next.
 *
 * - `append()` is synchronous and never waits: records are buffered and written at the end of the
 *   current event-loop turn with a synchronous positional write. A process that is killed therefore
 *   loses at most the records of the turn it was killed in; what reached the page cache survives it.
 * - fsync decides what survives a crash of the machine: `always` after every write (and turn),
 *   `interval` once per interval, `never` leaves it to the OS. Segments are synced when they are
 *   sealed and the spool is synced when it closes, except with `never`.
 * - A size budget bounds the disk used (files plus unwritten buffer); `append()` refuses past it.
 *   `prepend()` and `append(..., force)` ignore it, for the records a sink moves out of memory: losing
 *   them to stay under budget would defeat the point.
 * - The acknowledged position is kept in a small cursor file, so a restart replays from there; a crash
 *   between a send and the cursor write replays a few records twice rather than losing any.
 */
import { closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger, type SinkLogger } from '../sink-logger.js';
import { CURSOR_FILE, SpoolDurability } from './durability.js';
import {
  describe,
  findSegments,
  SpoolError,
  takeLock,
  tryUnlink,
  writeWholeSegment,
  type Segment,
} from './files.js';
import {
  encodedSize,
  encodeRecord,
  SEGMENT_HEADER_BYTES,
  SEGMENT_MAGIC,
  segmentName,
  type SpoolRecord,
} from './format.js';
import { SPOOL_DEFAULTS, type SpoolBatch, type SpoolOptions, type SpoolStats } from './options.js';
import { SpoolReader } from './reader.js';
import { SpoolWriter } from './writer.js';

export { SpoolError } from './files.js';
export type { SpoolRecord } from './format.js';
export {
  SPOOL_DEFAULTS,
  type FsyncPolicy,
  type SpoolBatch,
  type SpoolOptions,
  type SpoolStats,
} from './options.js';

const FIRST_SEQ = 1_000_000_000_000;

export class Spool {
  private readonly segments: Segment[] = [];
  private nextSeq = FIRST_SEQ;
  private diskBytes = 0;
  private unacked = 0;
  private closed = false;
  private appended = 0;
  private acknowledged = 0;
  private writeErrors = 0;
  /** Found at open; the reader counts what it skips later. */
  private skippedBytes = 0;
  private recovered = 0;
  private readonly maxPendingBytes: number;
  private readonly logger: SinkLogger;
  private readonly name: string;
  private readonly lockPath: string;
  private readonly durability: SpoolDurability;
  private readonly reader: SpoolReader;
  private readonly writer: SpoolWriter;

  private constructor(private readonly options: SpoolOptions) {
    this.maxPendingBytes = options.maxPendingBytes ?? SPOOL_DEFAULTS.maxPendingBytes;
    this.logger = options.logger ?? silentLogger;
    this.name = options.name ?? 'spool';
    try {
      mkdirSync(options.dir, { recursive: true });
    } catch (err) {
      throw new SpoolError(`cannot create the spool folder ${options.dir}: ${describe(err)}`, { cause: err });
    }
    this.lockPath = takeLock(options.dir);
    this.durability = new SpoolDurability({
      dir: options.dir,
      fsync: options.fsync,
      logger: this.logger,
      name: this.name,
      activeFd: () => this.segments[this.segments.length - 1]?.fd ?? null,
    });
    this.reader = new SpoolReader(this.segments, this.logger, this.name);
    this.writer = new SpoolWriter({
      dir: options.dir,
      segments: this.segments,
      segmentBytes: options.segmentBytes,
      retryDelayMs: options.retryDelayMs ?? SPOOL_DEFAULTS.retryDelayMs,
      durability: this.durability,
      logger: this.logger,
      name: this.name,
      nextSeq: () => this.nextSeq++,
      written: (bytes, records) => {
        this.diskBytes += bytes;
        this.unacked += records;
      },
      onWritten: () => options.onWritten?.(),
    });
  }

  /** Locks the folder and takes stock of what an earlier run left, ready to replay it first. */
  static async open(options: SpoolOptions): Promise<Spool> {
    const spool = new Spool(options);
    try {
      await spool.recover();
    } catch (err) {
      spool.durability.closeCursor();
      spool.releaseLock();
      throw err instanceof SpoolError
        ? err
        : new SpoolError(`cannot open the spool in ${options.dir}: ${describe(err)}`, { cause: err });
    }
    spool.durability.startInterval(options.fsyncIntervalMs);
    return spool;
  }

  /** No record waits in the spool, written or not. */
  isEmpty(): boolean {
    return this.unacked === 0 && this.writer.pendingRecords === 0;
  }

  /** Records written and not yet handed out by `read()`: what a reader can get without waiting. */
  hasReadable(): boolean {
    return this.reader.hasReadable();
  }

  /** Full: appends are refused (budget reached, or a write problem has filled the buffer). */
  isFull(): boolean {
    const pendingBytes = this.writer.pendingBytes;
    return this.diskBytes + pendingBytes >= this.options.maxBytes || pendingBytes >= this.maxPendingBytes;
  }

  /** A write problem, while one lasts. */
  currentProblem(): string | null {
    return this.writer.currentProblem;
  }

  /** Takes the record unless the budget is reached or the spool is closed; `force` ignores the budget. */
  append(record: SpoolRecord, force = false): boolean {
    if (this.closed) return false;
    const size = encodedSize(record);
    const pendingBytes = this.writer.pendingBytes;
    if (
      !force &&
      (this.diskBytes + pendingBytes + size > this.options.maxBytes ||
        pendingBytes + size > this.maxPendingBytes)
    ) {
      return false;
    }
    this.writer.buffer(encodeRecord(record, size));
    this.appended++;
    return true;
  }

  /**
   * Writes records in a new segment placed before every other one, so they are read first: for
   * records the owner held in memory that are older than everything spooled. Only valid while nothing
   * has been read from the spool and not acknowledged. Throws a SpoolError when it cannot write.
   */
  prepend(records: readonly SpoolRecord[]): void {
    if (records.length === 0) return;
    if (this.closed) throw new SpoolError('the spool is closed');
    const first = this.segments[0];
    const seq = first ? first.seq - 1 : this.nextSeq++;
    const path = join(this.options.dir, segmentName(seq));
    const data = Buffer.concat([SEGMENT_MAGIC, ...records.map((record) => encodeRecord(record))]);
    try {
      writeWholeSegment(path, data, this.durability);
    } catch (err) {
      this.writeErrors++;
      throw new SpoolError(`cannot write spool segment ${path}: ${describe(err)}`, { cause: err });
    }
    const seg: Segment = {
      seq,
      path,
      end: data.length,
      fileBytes: data.length,
      records: records.length,
      start: SEGMENT_HEADER_BYTES,
      fd: null,
    };
    this.segments.unshift(seg);
    this.diskBytes += data.length;
    this.unacked += records.length;
    this.appended += records.length;
    void this.reader.rewind();
    this.options.onWritten?.();
  }

  /**
   * The next records after those already handed out, at most `maxRecords` and about `maxBytes`
   * (one record always fits), all from one segment; null when nothing written is left to read.
   */
  read(maxRecords: number, maxBytes: number): Promise<SpoolBatch | null> {
    return this.reader.read(maxRecords, maxBytes);
  }

  /** Kafka has the batch: move the acknowledged position past it and delete what is fully done. */
  async acknowledge(batch: SpoolBatch): Promise<void> {
    // A send that finished after close: the records are replayed at the next start instead.
    if (this.closed) return;
    const seg = this.segments.find((s) => s.seq === batch.seq);
    if (!seg || batch.end <= seg.start) return;
    const count = batch.records.length;
    seg.start = batch.end;
    seg.records -= count;
    this.unacked -= count;
    this.acknowledged += count;
    const done: Segment[] = [];
    while (this.segments.length > 0) {
      const head = this.segments[0] as Segment;
      const finished = head.start >= head.end && (head.fd === null ? true : this.writer.pendingRecords === 0);
      if (!finished || (head.fd !== null && this.segments.length > 1)) break;
      this.segments.shift();
      done.push(head);
    }
    const head = this.segments[0];
    // Cursor first, then delete: a crash in between replays a finished segment, never skips one.
    this.durability.writeCursor(head ? { seq: head.seq, offset: head.start } : null);
    for (const seg of done) {
      if (seg.fd !== null) closeSync(seg.fd);
      seg.fd = null;
      tryUnlink(seg.path);
      this.diskBytes -= seg.fileBytes;
    }
    // After the bookkeeping, so stats() never shows records gone but their bytes still there.
    const reading = this.reader.segment;
    if (reading && done.includes(reading)) await this.reader.rewind();
  }

  /** Writes what is buffered now (normally done at the end of the turn). */
  flush(): void {
    this.writer.flush();
  }

  stats(): SpoolStats {
    return {
      records: this.unacked + this.writer.pendingRecords,
      bytes: this.diskBytes + this.writer.pendingBytes,
      segments: this.segments.length,
      pendingBytes: this.writer.pendingBytes,
      appended: this.appended,
      acknowledged: this.acknowledged,
      fsyncs: this.durability.fsyncs,
      writeErrors: this.writeErrors + this.writer.writeErrors + this.durability.writeErrors,
      skippedBytes: this.skippedBytes + this.reader.skippedBytes,
      recovered: this.recovered,
    };
  }

  /** Writes and syncs what is buffered, closes every file and unlocks the folder. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.writer.close();
    this.closed = true;
    this.durability.stop();
    for (const seg of this.segments) {
      if (seg.fd !== null) closeSync(seg.fd);
      seg.fd = null;
    }
    this.durability.closeCursor();
    await this.reader.close();
    if (this.writer.pendingRecords > 0) {
      this.logger.error(
        { sink: this.name, lost: this.writer.pendingRecords, problem: this.writer.currentProblem },
        'spool closed with records it could not write; they are lost',
      );
    }
    this.releaseLock();
  }

  private async recover(): Promise<void> {
    const found = await findSegments(this.options.dir, this.logger, this.name, CURSOR_FILE, FIRST_SEQ);
    this.segments.push(...found.segments);
    this.nextSeq = found.nextSeq;
    this.skippedBytes += found.skippedBytes;
    for (const seg of found.segments) {
      this.diskBytes += seg.fileBytes;
      this.unacked += seg.records;
      this.recovered += seg.records;
    }
    const head = this.segments[0];
    this.durability.writeCursor(head ? { seq: head.seq, offset: head.start } : null);
    if (this.recovered > 0) {
      this.logger.info(
        { sink: this.name, records: this.recovered, segments: this.segments.length, dir: this.options.dir },
        'spool holds records from an earlier run; they are sent first',
      );
    }
  }

  private releaseLock(): void {
    tryUnlink(this.lockPath);
  }
}
