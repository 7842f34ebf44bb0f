/**
 * The journal: where every record a sink accepts is on disk before the collector answers for it.
 *
 * - `append()` buffers a record; `commit()` writes everything appended since the last commit in one
 *   synchronous write (group commit: one write per event-loop turn, whatever the number of events in
 *   it) and says whether it reached the file. Only after a commit that returned true may the events
 *   behind those records be answered: a write that returned survives a SIGKILL of the process (the
 *   page cache has it); what survives a power loss is the fsync policy's business (`always` syncs the
 *   group before commit returns, `interval` once per interval, `never` leaves it to the OS).
 * - The deliverer (Kafka sends, Avro files) reads the records back in order with `read()` and calls
 *   `acknowledge()` once they are stored downstream; only then does the journal forget them. A failed
 *   delivery calls `rewind()` and the same records come again: nothing is ever skipped. Records just
 *   committed are also kept in a bounded memory cache, so the normal path never reads the disk: the
 *   memory is a cache of the journal's tail, never the only copy.
 * - Segment files carry records with their own length and CRC-32. The reader steps over damage to the
 *   next valid record; a damaged segment is quarantined (moved aside, logged, counted), never deleted.
 * - Every segment file stays open until it is done with, so a journal folder deleted while running is
 *   rebuilt from the open descriptors (checked every second through the files' link counts).
 * - When the disk cannot take a write (full, read-only, gone), the group is reported not stored,
 *   appends are refused for `retryDelayMs`, and `problem()` says why until a write succeeds again.
 */
import { ftruncateSync, mkdirSync } from 'node:fs';
import { silentLogger, type SinkLogger } from '../sink-logger.js';
import type { JournalHealth } from '../sink.js';
import { describe, writeAll } from './fs.js';
import { encodedSize, SEGMENT_HEADER_BYTES, writeRecord, type JournalRecord } from './format.js';
import type { FsyncPolicy } from './policy.js';
import { newInstanceId, readInstanceId, writeInstanceId } from './identity.js';
import { lockFolder, type FolderLock } from './lock.js';
import { SegmentFiles } from './segment-files.js';
import { readAt, walkRecords, type JournalSegment } from './segments.js';
import { TailCache } from './tail-cache.js';

export type { JournalRecord } from './format.js';

class JournalError extends Error {
  readonly code = 'FOOTFALL_ERR_JOURNAL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JournalError';
  }
}

export interface JournalOptions {
  readonly dir: string;
  /** Disk budget: segment files plus records appended and not yet written. */
  readonly maxBytes: number;
  readonly segmentBytes?: number;
  readonly fsync?: FsyncPolicy;
  readonly fsyncIntervalMs?: number;
  /** Committed records kept in memory for the deliverer. */
  readonly cacheBytes?: number;
  /** After a failed write, appends are refused this long before a write is tried again. */
  readonly retryDelayMs?: number;
  readonly lockStaleMs?: number;
  readonly logger?: SinkLogger;
  /** Shown in log lines (the sink's name). */
  readonly name?: string;
  /** Called after a commit wrote records, so a waiting deliverer can look again. */
  readonly onCommitted?: () => void;
}

const JOURNAL_DEFAULTS = {
  segmentBytes: 16 * 1024 * 1024,
  fsync: 'interval' as FsyncPolicy,
  fsyncIntervalMs: 1000,
  cacheBytes: 16 * 1024 * 1024,
  retryDelayMs: 1000,
};

/** Records read from the journal; acknowledging the batch acknowledges everything up to its end. */
export interface JournalBatch {
  readonly records: JournalRecord[];
  readonly seq: number;
  readonly end: number;
}

export interface JournalStats {
  /** Records held and not yet acknowledged, written or not. */
  readonly records: number;
  /** Segment files on disk plus bytes appended and not yet written. */
  readonly bytes: number;
  readonly segments: number;
  readonly appended: number;
  readonly committed: number;
  readonly acknowledged: number;
  /** Records whose commit failed: never answered as stored. */
  readonly failed: number;
  readonly fsyncs: number;
  readonly writeErrors: number;
  /** Bytes found damaged and stepped over. */
  readonly damagedBytes: number;
  readonly quarantinedSegments: number;
  /** Records found at open, left by an earlier run. */
  readonly recovered: number;
  /** Times the folder was rebuilt from open files after it was deleted. */
  readonly rebuilt: number;
  /** Receive time (ms since the epoch) of the oldest record not yet acknowledged; null when none. */
  readonly oldestUnacknowledgedAt: number | null;
}

const NO_JOURNAL: JournalStats = Object.freeze({
  records: 0,
  bytes: 0,
  segments: 0,
  appended: 0,
  committed: 0,
  acknowledged: 0,
  failed: 0,
  fsyncs: 0,
  writeErrors: 0,
  damagedBytes: 0,
  quarantinedSegments: 0,
  recovered: 0,
  rebuilt: 0,
  oldestUnacknowledgedAt: null,
});

/** The stats of a sink's journal, or zeros before it is open. */
export function journalStats(journal: Journal | null): JournalStats {
  return journal?.stats() ?? NO_JOURNAL;
}

export class Journal {
  private readonly files: SegmentFiles;
  private readonly cache: TailCache;
  private readonly logger: SinkLogger;
  private readonly name: string;
  private readonly segmentBytes: number;
  private readonly retryDelayMs: number;
  private lock: FolderLock | null = null;
  /** The encoded records appended since the last commit, `pendingBytes` of them. */
  private slab = Buffer.allocUnsafeSlow(256 * 1024);
  /** Records appended since the last commit (their bytes are in the slab), and the first one's time. */
  private pendingCount = 0;
  private pendingFirstTimestamp: number | null = null;
  private pendingBytes = 0;
  private commitScheduled = false;
  /** A write of appended records failed without a caller's commit() to hear it (the fallback above). */
  private unreportedFailure = false;
  private unacked = 0;
  /** Next record to hand out: segment and offset. */
  private readSeq = 0;
  private readOffset = 0;
  private problemText: string | null = null;
  private refuseUntil = 0;
  private checkTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private counts = { appended: 0, committed: 0, acknowledged: 0, failed: 0, writeErrors: 0 };
  private recovered = 0;
  /** This folder's owner: kept in it across restarts (identity.ts), a new one for a new folder. */
  private ownerId = newInstanceId();

  private constructor(private readonly o: JournalOptions) {
    this.logger = o.logger ?? silentLogger;
    this.name = o.name ?? 'journal';
    this.segmentBytes = o.segmentBytes ?? JOURNAL_DEFAULTS.segmentBytes;
    this.retryDelayMs = o.retryDelayMs ?? JOURNAL_DEFAULTS.retryDelayMs;
    this.cache = new TailCache(o.cacheBytes ?? JOURNAL_DEFAULTS.cacheBytes);
    this.files = new SegmentFiles({
      dir: o.dir,
      fsync: o.fsync ?? JOURNAL_DEFAULTS.fsync,
      logger: this.logger,
      name: this.name,
    });
  }

  /** The id of the instance owning this folder (identity.ts). */
  get instanceId(): string {
    return this.ownerId;
  }

  /** Creates and locks the folder and takes stock of what an earlier run left, to be delivered first. */
  static async open(options: JournalOptions): Promise<Journal> {
    const journal = new Journal(options);
    try {
      mkdirSync(options.dir, { recursive: true });
    } catch (err) {
      throw new JournalError(`cannot create the journal folder ${options.dir}: ${describe(err)}`, {
        cause: err,
      });
    }
    const knownId = readInstanceId(options.dir);
    if (knownId !== null) journal.ownerId = knownId;
    journal.lock = await lockFolder(options.dir, {
      owner: journal.ownerId,
      ...(options.lockStaleMs === undefined ? {} : { staleMs: options.lockStaleMs }),
    });
    try {
      if (knownId === null) writeInstanceId(options.dir, journal.ownerId);
      journal.recovered = journal.files.recover();
      journal.unacked = journal.recovered;
      journal.rewind();
      if (journal.recovered > 0) {
        journal.logger.info(
          {
            sink: journal.name,
            records: journal.recovered,
            segments: journal.files.list.length,
            dir: options.dir,
          },
          'journal holds records from an earlier run; they are delivered first',
        );
      }
    } catch (err) {
      journal.releaseFiles();
      throw err instanceof JournalError
        ? err
        : new JournalError(`cannot open the journal in ${options.dir}: ${describe(err)}`, { cause: err });
    }
    journal.files.durability.startInterval(options.fsyncIntervalMs ?? JOURNAL_DEFAULTS.fsyncIntervalMs);
    journal.checkTimer = setInterval(() => journal.checkFiles(), 1000);
    journal.checkTimer.unref();
    return journal;
  }

  /** Buffers a record for the next commit; false when the journal cannot take it (full, failing, closed). */
  append(record: JournalRecord): boolean {
    if (this.closed) return false;
    if (this.problemText !== null && performance.now() < this.refuseUntil) return false;
    const size = encodedSize(record);
    if (this.files.diskBytes + this.pendingBytes + size > this.o.maxBytes) return false;
    // Encoded straight into one slab reused from turn to turn: no buffer per record, no concat.
    if (this.pendingBytes + size > this.slab.length) this.growSlab(this.pendingBytes + size);
    writeRecord(record, this.slab, this.pendingBytes, size);
    if (this.pendingCount === 0) this.pendingFirstTimestamp = record.timestamp;
    this.pendingCount++;
    this.pendingBytes += size;
    this.counts.appended++;
    if (!this.commitScheduled) {
      // Callers commit at the end of their batch; this only covers one that forgot, and a write it
      // could not make is reported by the caller's next commit(), never swallowed.
      this.commitScheduled = true;
      setImmediate(() => {
        this.commitScheduled = false;
        if (!this.writePending()) this.unreportedFailure = true;
      });
    }
    return true;
  }

  /**
   * Writes what was appended since the last commit. True when it reached the file (and, with fsync
   * `always`, the disk); false when it did not, and those records are not in the journal.
   */
  commit(): boolean {
    const written = this.writePending();
    const failedEarlier = this.unreportedFailure;
    this.unreportedFailure = false;
    return written && !failedEarlier;
  }

  private growSlab(needed: number): void {
    let length = this.slab.length * 2;
    while (length < needed) length *= 2;
    const slab = Buffer.allocUnsafeSlow(length);
    this.slab.copy(slab, 0, 0, this.pendingBytes);
    this.slab = slab;
  }

  private writePending(): boolean {
    const count = this.pendingCount;
    if (count === 0) return true;
    const bytes = this.pendingBytes;
    this.pendingCount = 0;
    this.pendingFirstTimestamp = null;
    this.pendingBytes = 0;
    if (this.closed) {
      this.counts.failed += count;
      return false;
    }
    let seg: JournalSegment;
    try {
      seg = this.files.active() ?? this.files.newSegment();
      // Written synchronously, so the slab is free for the next turn as soon as this returns.
      const data = this.slab.subarray(0, bytes);
      try {
        writeAll(seg.fd, data, seg.end);
      } catch (err) {
        // Cut a partial write back, so the next write does not land after garbage.
        try {
          ftruncateSync(seg.fd, seg.end);
        } catch {
          this.files.seal(seg);
        }
        throw err;
      }
    } catch (err) {
      this.writeFailed(err, count);
      return false;
    }
    // The deliverer reads the turn from memory: a copy of exactly its bytes (the slab is reused).
    const kept = Buffer.allocUnsafe(bytes);
    this.slab.copy(kept, 0, 0, bytes);
    this.cache.push(kept, seg.seq, seg.end);
    const at = seg.end + bytes;
    seg.end = at;
    seg.fileBytes = at;
    this.files.diskBytes += bytes;
    this.unacked += count;
    this.counts.committed += count;
    let durable = true;
    try {
      this.files.durability.appended(seg.fd);
    } catch (err) {
      // Written but not synced: the records are in the journal and will be delivered, but the
      // policy's promise does not hold for them, so their events are not answered as stored.
      this.writeFailed(err, count);
      durable = false;
    }
    if (seg.end >= this.segmentBytes) this.files.seal(seg);
    if (durable && this.problemText !== null) {
      this.problemText = null;
      this.logger.info({ sink: this.name }, 'journal writing again');
    }
    this.o.onCommitted?.();
    return durable;
  }

  /** Why the journal cannot store right now, or null. */
  problem(): string | null {
    return this.problemText;
  }

  /** Records committed and not yet handed out by `read()`. */
  hasReadable(): boolean {
    const last = this.files.list[this.files.list.length - 1];
    if (!last) return false;
    return this.readSeq < last.seq || (this.readSeq === last.seq && this.readOffset < last.end);
  }

  /** Records committed and not yet acknowledged. */
  unacknowledged(): number {
    return this.unacked;
  }

  /** Records held and not acknowledged (committed or pending). */
  isEmpty(): boolean {
    return this.unacked === 0 && this.pendingCount === 0;
  }

  /**
   * The next records after those already handed out, at most `maxRecords` and about `maxBytes` (one
   * record always fits); null when nothing committed is left to read.
   */
  read(maxRecords: number, maxBytes: number): JournalBatch | null {
    const cached = this.cache.readFrom(this.readSeq, this.readOffset, maxRecords, maxBytes);
    if (cached) {
      this.readSeq = cached.seq;
      this.readOffset = cached.end;
      return cached;
    }
    for (;;) {
      const segments = this.files.list;
      const index = segments.findIndex((s) => s.seq >= this.readSeq);
      const seg = segments[index];
      if (!seg) return null;
      if (seg.seq > this.readSeq) {
        this.readSeq = seg.seq;
        this.readOffset = seg.start;
      }
      if (this.readOffset >= seg.end) {
        const next = segments[index + 1];
        if (!next) return null;
        this.readSeq = next.seq;
        this.readOffset = next.start;
        continue;
      }
      const want = Math.min(seg.end - this.readOffset, Math.max(maxBytes, 0) + 64 * 1024);
      let chunk = readAt(seg.fd, this.readOffset, want);
      let walk = walkRecords(chunk, 0, chunk.length, { maxRecords, maxBytes });
      if (walk.count === 0 && chunk.length < seg.end - this.readOffset) {
        // One record larger than the chunk, or damage: read the rest of the segment.
        chunk = readAt(seg.fd, this.readOffset, seg.end - this.readOffset);
        walk = walkRecords(chunk, 0, chunk.length, { maxRecords, maxBytes });
      }
      if (walk.damagedBytes > 0 || walk.count === 0)
        this.files.markDamaged(seg, walk.count === 0 ? chunk.length : walk.damagedBytes);
      if (walk.count === 0) {
        this.readOffset = seg.end;
        continue;
      }
      this.readOffset += walk.end;
      return { records: walk.records, seq: seg.seq, end: this.readOffset };
    }
  }

  /** Everything up to the batch's end is stored downstream: forget it, delete what is finished. */
  acknowledge(batch: JournalBatch): void {
    if (this.closed) return; // A late acknowledgement: the records are delivered again next start.
    this.unacked -= batch.records.length;
    this.counts.acknowledged += batch.records.length;
    this.cache.dropThrough(batch.seq, batch.end);
    let done = 0;
    for (const seg of this.files.list) {
      if (seg.seq < batch.seq) done++;
      else if (seg.seq === batch.seq) {
        seg.start = batch.end;
        if (seg.start >= seg.end && (!seg.active || this.worthRetiring(seg))) done++;
      }
    }
    if (done > 0) this.files.retireFirst(done);
    else this.files.writeCursor();
  }

  /**
   * A fully acknowledged active segment is kept for the next appends (a new file per batch would cost
   * a folder sync each), unless it has grown to 1 MB or the journal is past half its budget.
   */
  private worthRetiring(seg: JournalSegment): boolean {
    return (
      seg.fileBytes >= Math.min(this.segmentBytes, 1024 * 1024) || this.files.diskBytes * 2 > this.o.maxBytes
    );
  }

  /** After a failed delivery: the next read starts again at the first record not acknowledged. */
  rewind(): void {
    const head = this.files.first;
    this.readSeq = head ? head.seq : this.files.upcomingSeq;
    this.readOffset = head ? head.start : SEGMENT_HEADER_BYTES;
  }

  stats(): JournalStats {
    return {
      records: this.unacked + this.pendingCount,
      bytes: this.files.diskBytes + this.pendingBytes,
      segments: this.files.list.length,
      ...this.counts,
      fsyncs: this.files.durability.fsyncs,
      writeErrors: this.counts.writeErrors + this.files.durability.writeErrors,
      damagedBytes: this.files.damagedBytes,
      quarantinedSegments: this.files.quarantined,
      recovered: this.recovered,
      rebuilt: this.files.rebuilt,
      oldestUnacknowledgedAt: this.oldestTimestamp(),
    };
  }

  /** The figures /health/ready shows for the journal. */
  health(): JournalHealth {
    const s = this.stats();
    const oldest = s.oldestUnacknowledgedAt;
    return {
      instance: this.ownerId,
      records: s.records,
      bytes: s.bytes,
      oldestUnacknowledgedSeconds:
        oldest === null ? 0 : Math.max(0, Math.round((Date.now() - oldest) / 100) / 10),
      quarantinedSegments: s.quarantinedSegments,
    };
  }

  /** Commits what is pending, syncs (unless `never`), closes every file and unlocks. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.writePending();
    this.closed = true;
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.files.durability.stop();
    this.files.retireIfDone();
    this.releaseFiles();
  }

  private writeFailed(err: unknown, records: number): void {
    this.counts.writeErrors++;
    this.counts.failed += records;
    const text = `journal cannot write in ${this.o.dir}: ${describe(err)}`;
    if (text !== this.problemText) {
      this.logger.error(
        { sink: this.name, err: describe(err), records },
        'journal cannot write; events are refused until it can',
      );
    }
    this.problemText = text;
    this.refuseUntil = performance.now() + this.retryDelayMs;
  }

  private oldestTimestamp(): number | null {
    const head = this.files.first;
    if (this.unacked === 0 || !head) return this.pendingFirstTimestamp;
    const cached = this.cache.timestampAt(head.seq, head.start);
    if (cached !== undefined) return cached;
    for (const seg of this.files.list) {
      if (seg.start >= seg.end) continue;
      try {
        const chunk = readAt(seg.fd, seg.start, Math.min(seg.end - seg.start, 64 * 1024));
        const walk = walkRecords(chunk, 0, chunk.length, { maxRecords: 1 });
        if (walk.records[0]) return walk.records[0].timestamp;
      } catch {
        return null;
      }
    }
    return null;
  }

  /** Once a second: files deleted while open are rebuilt; appends are refused while they are. */
  private checkFiles(): void {
    if (this.closed) return;
    const result = this.files.rebuildDeleted();
    if (result === null) return;
    if (result.problem === null) {
      try {
        writeInstanceId(this.o.dir, this.ownerId);
      } catch {
        // The segments came back; the id is written again the next time the folder is rebuilt or opened.
      }
    }
    this.problemText = result.problem;
    if (result.problem) this.refuseUntil = performance.now() + this.retryDelayMs;
  }

  private releaseFiles(): void {
    this.files.closeAll();
    this.lock?.release();
    this.lock = null;
  }
}
