/**
 * Writes records into Avro object container files: `<base>.avro.partial` in the working folder while
 * open, renamed into the publish folder when the file rolls (age or size) and at shutdown, so whatever
 * watches the publish folder only ever sees complete files.
 *
 * Failure model, in short:
 * - Every I/O error (folder missing or unwritable, ENOSPC, EIO...) is caught, counted and shown through
 *   health(); nothing throws at the pipeline and no promise is left to reject unhandled.
 * - A batch that cannot be written stays at the head of the queue and is retried with back-off, so a
 *   temporarily full disk loses nothing until the queue bound is reached; after that offer() refuses
 *   (the caller counts `dropped`). Records are counted `failed` once, the first time their write fails.
 * - A file whose write failed midway is closed and set aside; once writing works again it is cut back
 *   to its last complete block and published. Publishing that fails leaves the file in the working
 *   folder and retries in the background (and at the next start); it is never deleted.
 * - At start, `.partial` files of this sink left by a crashed run (same host, process gone or our own
 *   pid, as happens with pid 1 in containers) are cut back to their last complete block and published,
 *   so an Avro reader can read them; header-only files are deleted; files of live processes, other hosts
 *   or that are not Avro at all are left untouched.
 * - fsync: the file is fsynced before the rename and the publish folder after it, so a crash right
 *   after publishing never leaves a truncated published file. Blocks are not fsynced one by one (that
 *   would cost a disk flush per second per sink); a crash can lose the unsynced tail of the open file,
 *   and the start-up recovery publishes what did reach the disk.
 */
import {
  access,
  copyFile,
  mkdir,
  open,
  readdir,
  rename,
  unlink,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';
import avsc from 'avsc';
import type { Type } from 'avsc';
import {
  encodeBlock,
  encodeHeader,
  newSyncMarker,
  scanContainer,
  type AvroCodec,
  type ScanResult,
} from './avro-container.js';
import { BatchQueue } from './batch-queue.js';
import { DropLog, silentLogger, type SinkLogger } from './sink-logger.js';
import type { Sink, SinkHealth, SinkRecord, SinkStats } from './sink.js';
import { processAlive } from './process-alive.js';

const deflateRawAsync = promisify(deflateRaw);

const MiB = 1024 * 1024;
const PARTIAL_SUFFIX = '.avro.partial';
const PUBLISHED_SUFFIX = '.avro';
/**
 * Partial files open in this process, across sink instances: the start-up scan takes files carrying
 * our own pid for leftovers of a crashed run, which a second instance sharing the folder must not do.
 */
const livePartials = new Set<string>();
/** setTimeout turns longer delays into 1 ms; the per-write age check covers the rest. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const FILE_SINK_DEFAULTS = {
  rollEveryMs: 3_600_000,
  rollSizeBytes: 64 * MiB,
  flushEveryRecords: 1000,
  flushEveryMs: 1000,
  codec: 'null',
  fsync: true,
  maxQueueSize: 100_000,
  maxQueueBytes: 64 * MiB,
  retryDelayMs: 1000,
  maxRetryDelayMs: 30_000,
} as const;

export interface FileSinkOptions {
  /** Sink name from the configuration; part of every file name. */
  readonly name: string;
  /** The writer schema, as parsed JSON or an avsc Type; records must be encoded with it. */
  readonly schema: object | Type;
  readonly workingDir: string;
  readonly publishDir: string;
  /** Publish a file this long after it was opened, even without new records. Default 1 h. */
  readonly rollEveryMs?: number;
  /** Publish a file once it reaches this size. Default 64 MiB. */
  readonly rollSizeBytes?: number;
  /** Records per Avro block; a full block is written at once. Default 1000. */
  readonly flushEveryRecords?: number;
  /** Longest a record waits in memory before its block is written. Default 1000 ms. */
  readonly flushEveryMs?: number;
  /** Default 'null', as Divolte writes; 'deflate' is roughly 3–5 times smaller for clickstream records. */
  readonly codec?: AvroCodec;
  /** fsync file and publish folder around each publish. Default true. */
  readonly fsync?: boolean;
  /** Records held in memory (waiting or being written). Default 100 000. */
  readonly maxQueueSize?: number;
  /** Bytes of encoded records held in memory. Default 64 MiB. */
  readonly maxQueueBytes?: number;
  /** First pause before retrying a failed write (doubles up to maxRetryDelayMs); also the health probe period. Default 1000 ms. */
  readonly retryDelayMs?: number;
  /** Default 30 000 ms. */
  readonly maxRetryDelayMs?: number;
  readonly logger?: SinkLogger;
  /** Clock for file names and roll age; tests inject one. */
  readonly now?: () => number;
  readonly hostname?: string;
  readonly pid?: number;
}

export interface FileSinkStats extends SinkStats {
  readonly filesPublished: number;
  /** Bytes of blocks written (after compression), headers excluded. */
  readonly bytesWritten: number;
  /** Failed I/O operations (writes, publishes), not records. */
  readonly ioErrors: number;
  /** Records published from partial files left by an earlier run. */
  readonly recoveredRecords: number;
}

interface OpenFile {
  readonly base: string;
  readonly path: string;
  readonly handle: FileHandle;
  readonly sync: Buffer;
  readonly openedAt: number;
  size: number;
  records: number;
  rollTimer: NodeJS.Timeout | null;
}

/** Wraps an fs error with what the sink was doing; `code` is stable, the cause keeps errno details. */
export class FileSinkIoError extends Error {
  readonly code = 'FOOTFALL_ERR_FILE_SINK_IO';
  constructor(
    readonly operation: string,
    readonly path: string,
    cause: unknown,
  ) {
    super(`${operation} ${path}: ${describe(cause)}`, { cause });
    this.name = 'FileSinkIoError';
  }
}

export class FileSinkConfigError extends Error {
  readonly code = 'FOOTFALL_ERR_FILE_SINK_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'FileSinkConfigError';
  }
}

export class FileSink implements Sink {
  readonly name: string;
  private readonly schemaJson: string;
  private readonly codec: AvroCodec;
  private readonly workingDir: string;
  private readonly publishDir: string;
  private readonly rollEveryMs: number;
  private readonly rollSizeBytes: number;
  private readonly fsync: boolean;
  private readonly retryDelayMs: number;
  private readonly logger: SinkLogger;
  private readonly now: () => number;
  private readonly safeName: string;
  private readonly safeHost: string;
  private readonly pid: number;
  private readonly queue: BatchQueue<SinkRecord>;
  private readonly dropLog: DropLog;

  private state: 'new' | 'running' | 'closing' | 'closed' = 'new';
  private startPromise: Promise<void> | null = null;
  private shutdownPromise: Promise<void> | null = null;
  // All file work runs one task at a time on this chain: queue exports, roll timers, probes, shutdown.
  private ioChain: Promise<void> = Promise.resolve();
  private current: OpenFile | null = null;
  /** Closed partial files still to be (cut back and) published. */
  private readonly orphans = new Set<string>();
  private scanned = false;
  private seq = 0;
  private writeProblem: string | null = null;
  private publishProblem: string | null = null;
  private probeTimer: NodeJS.Timeout | null = null;

  private offeredCount = 0;
  private writtenCount = 0;
  private refusedCount = 0;
  private lostAtShutdown = 0;
  private filesPublished = 0;
  private bytesWritten = 0;
  private ioErrors = 0;
  private recoveredRecords = 0;

  constructor(options: FileSinkOptions) {
    if (!options.name) throw new FileSinkConfigError('file sink: name must not be empty');
    this.name = options.name;
    this.schemaJson = schemaJsonOf(options.schema, options.name);
    this.codec = options.codec ?? FILE_SINK_DEFAULTS.codec;
    if (this.codec !== 'null' && this.codec !== 'deflate') {
      throw new FileSinkConfigError(
        `file sink "${this.name}": codec must be 'null' or 'deflate', got '${String(this.codec)}'`,
      );
    }
    if (!options.workingDir || !options.publishDir) {
      throw new FileSinkConfigError(`file sink "${this.name}": workingDir and publishDir are required`);
    }
    this.workingDir = options.workingDir;
    this.publishDir = options.publishDir;
    const positive = (key: keyof typeof FILE_SINK_DEFAULTS, value: number | undefined): number => {
      const v = value ?? (FILE_SINK_DEFAULTS[key] as number);
      if (!Number.isFinite(v) || v <= 0) {
        throw new FileSinkConfigError(`file sink "${this.name}": ${key} must be a positive number, got ${v}`);
      }
      return v;
    };
    this.rollEveryMs = positive('rollEveryMs', options.rollEveryMs);
    this.rollSizeBytes = positive('rollSizeBytes', options.rollSizeBytes);
    this.retryDelayMs = positive('retryDelayMs', options.retryDelayMs);
    this.fsync = options.fsync ?? FILE_SINK_DEFAULTS.fsync;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.safeName = fileNamePart(this.name);
    this.safeHost = fileNamePart(options.hostname ?? osHostname()) || 'localhost';
    this.pid = options.pid ?? process.pid;
    this.dropLog = new DropLog(this.logger, { sink: this.name }, 10_000, this.now);

    this.queue = new BatchQueue<SinkRecord>({
      maxQueueSize: Math.floor(positive('maxQueueSize', options.maxQueueSize)),
      maxQueueBytes: Math.floor(positive('maxQueueBytes', options.maxQueueBytes)),
      sizeOf: (record) => record.value.length,
      maxBatchSize: Math.floor(positive('flushEveryRecords', options.flushEveryRecords)),
      lingerMs: positive('flushEveryMs', options.flushEveryMs),
      retryDelayMs: this.retryDelayMs,
      maxRetryDelayMs: positive('maxRetryDelayMs', options.maxRetryDelayMs),
      exportBatch: (batch) => this.serial(() => this.writeBlock(batch)),
      onDrop: (count) => this.dropLog.add(count),
      onError: (err) => {
        this.noteWriteProblem(err);
        return 'retry';
      },
    });
  }

  offer(record: SinkRecord): boolean {
    this.offeredCount++;
    if (this.state !== 'running') {
      this.refusedCount++;
      this.dropLog.add(1);
      return false;
    }
    return this.queue.offer(record);
  }

  health(): SinkHealth {
    if (this.state === 'new') return { ready: false, detail: `file sink "${this.name}" not started` };
    if (this.state !== 'running') return { ready: false, detail: `file sink "${this.name}" shut down` };
    const problem = this.writeProblem ?? this.publishProblem;
    return problem ? { ready: false, detail: problem } : { ready: true };
  }

  stats(): FileSinkStats {
    const q = this.queue.stats();
    return {
      offered: this.offeredCount,
      written: this.writtenCount,
      dropped: q.dropped + this.refusedCount + this.lostAtShutdown,
      failed: q.failed,
      queued: q.queued,
      filesPublished: this.filesPublished,
      bytesWritten: this.bytesWritten,
      ioErrors: this.ioErrors,
      recoveredRecords: this.recoveredRecords,
    };
  }

  /**
   * Creates the folders and publishes what a crashed run left behind. Folder or disk problems do not
   * reject: they may be temporary (a volume not mounted yet), so they show in health() and are retried,
   * while offers are queued up to the bound. Configuration errors already threw in the constructor.
   */
  start(): Promise<void> {
    this.startPromise ??= (async () => {
      if (this.state !== 'new') return;
      this.state = 'running';
      // Queued before any write on the chain, so recovery never races this run's own files.
      await this.serial(async () => {
        try {
          await makeDir(this.publishDir);
        } catch (err) {
          this.notePublishProblem(err);
        }
        try {
          await makeDir(this.workingDir);
        } catch (err) {
          this.noteWriteProblem(err);
          return;
        }
        await this.scanLeftovers();
      });
    })();
    return this.startPromise;
  }

  /** Writes every record queued so far into the open file (it does not publish). Never rejects. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /**
   * Stops accepting, writes what it can, publishes the open file, all within `deadlineMs` (a
   * duration). Records still queued at the deadline are counted as dropped and logged; a file that
   * could not be published in time stays in the working folder for the next start. Never rejects.
   */
  shutdown(deadlineMs: number): Promise<void> {
    this.shutdownPromise ??= this.close(deadlineMs);
    return this.shutdownPromise;
  }

  private async close(deadlineMs: number): Promise<void> {
    const startedAt = performance.now();
    this.state = 'closing';
    this.stopProbe();
    try {
      const { left, inFlight } = await this.queue.shutdown(deadlineMs);
      if (left.length > 0) {
        this.lostAtShutdown += left.length;
        this.logger.error(
          { sink: this.name, lost: left.length, problem: this.writeProblem },
          'file sink shut down with records it could not write; they are lost',
        );
      }
      if (inFlight > 0) {
        this.logger.warn(
          { sink: this.name, records: inFlight },
          'a block write was still running at the deadline',
        );
      }
      const finalize = this.serial(async () => {
        await this.publishCurrent();
        if (this.orphans.size > 0) await this.recoverOrphans();
      });
      const remaining = deadlineMs - (performance.now() - startedAt);
      const finished = await settlesWithin(finalize, remaining);
      if (!finished || this.orphans.size > 0 || this.current) {
        this.logger.warn(
          { sink: this.name, workingDir: this.workingDir, problem: this.publishProblem },
          'file sink left unpublished files in its working folder; they are published at the next start',
        );
      }
    } catch (err) {
      // Every step above handles its own errors; this only guards the promise callers await.
      this.logger.error({ sink: this.name, err: describe(err) }, 'file sink shutdown failed');
    } finally {
      this.dropLog.flush();
      this.stopProbe();
      this.state = 'closed';
    }
  }

  private serial<R>(task: () => Promise<R>): Promise<R> {
    const run = this.ioChain.then(task);
    this.ioChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Runs for every batch the queue exports; a throw sends the batch back to the queue for a retry. */
  private async writeBlock(batch: SinkRecord[]): Promise<void> {
    if (this.current && this.now() - this.current.openedAt >= this.rollEveryMs) await this.publishCurrent();
    const file = this.current ?? (await this.openFile());

    let total = 0;
    const values: Buffer[] = new Array<Buffer>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const value = (batch[i] as SinkRecord).value;
      values[i] = value;
      total += value.length;
    }
    const raw = Buffer.concat(values, total);
    const data = this.codec === 'deflate' ? await deflateRawAsync(raw) : raw;
    const block = encodeBlock(batch.length, data, file.sync);

    try {
      await writeFully(file.handle, block, file.size);
    } catch (err) {
      // The file may now end in a torn block. Rather than trusting a truncate on a failing disk, set
      // it aside: it is cut back to its last complete block and published once I/O works again.
      await this.abandon(file);
      throw new FileSinkIoError('cannot write', file.path, err);
    }
    file.size += block.length;
    file.records += batch.length;
    this.writtenCount += batch.length;
    this.bytesWritten += block.length;
    this.clearWriteProblem();

    if (file.size >= this.rollSizeBytes) await this.publishCurrent();
    // Files set aside after a failed write; while publishing itself fails, the probe retries instead.
    if (this.orphans.size > 0 && !this.publishProblem) await this.recoverOrphans();
  }

  private async openFile(): Promise<OpenFile> {
    // Only the working folder: a broken publish folder must not stop records from reaching the disk.
    await makeDir(this.workingDir);
    if (!this.scanned) await this.scanLeftovers();
    // The name is unique across processes (host, pid) and within one (seq); checking both folders
    // covers a restarted process that got the same pid within the same second (pid 1 in containers).
    for (let attempt = 0; attempt < 1000; attempt++) {
      const openedAt = this.now();
      const base = [
        'footfall',
        this.safeName,
        utcStamp(openedAt),
        this.safeHost,
        String(this.pid),
        String(this.seq++).padStart(6, '0'),
      ].join('-');
      if (await exists(join(this.publishDir, base + PUBLISHED_SUFFIX))) continue;
      const path = join(this.workingDir, base + PARTIAL_SUFFIX);
      let handle: FileHandle;
      try {
        handle = await open(path, 'wx');
      } catch (err) {
        if (errorCode(err) === 'EEXIST') continue;
        throw new FileSinkIoError('cannot create', path, err);
      }
      const sync = newSyncMarker();
      const header = encodeHeader(this.schemaJson, this.codec, sync);
      try {
        await writeFully(handle, header, 0);
      } catch (err) {
        await handle.close().catch(ignore);
        await unlink(path).catch(ignore);
        throw new FileSinkIoError('cannot write', path, err);
      }
      const file: OpenFile = {
        base,
        path,
        handle,
        sync,
        openedAt,
        size: header.length,
        records: 0,
        rollTimer: null,
      };
      livePartials.add(path);
      const timer = setTimeout(
        () => {
          void this.serial(async () => {
            if (this.current === file) await this.publishCurrent();
          }).catch(ignore);
        },
        Math.min(this.rollEveryMs, MAX_TIMER_MS),
      );
      timer.unref();
      file.rollTimer = timer;
      this.current = file;
      return file;
    }
    throw new FileSinkIoError(
      'cannot find a free file name in',
      this.workingDir,
      new Error('1000 names taken'),
    );
  }

  /** Closes the open file and publishes it, or deletes it when it holds no record. Never throws. */
  private async publishCurrent(): Promise<void> {
    const file = this.current;
    if (!file) return;
    this.current = null;
    if (file.rollTimer) clearTimeout(file.rollTimer);
    livePartials.delete(file.path);
    if (file.records === 0) {
      await file.handle.close().catch(ignore);
      await unlink(file.path).catch(ignore);
      return;
    }
    try {
      if (this.fsync) await file.handle.sync();
      await file.handle.close();
    } catch (err) {
      await file.handle.close().catch(ignore);
      this.orphans.add(file.path);
      this.notePublishProblem(new FileSinkIoError('cannot sync', file.path, err));
      return;
    }
    await this.publishPath(file.path, file.base, file.records);
  }

  private async abandon(file: OpenFile): Promise<void> {
    if (this.current === file) this.current = null;
    if (file.rollTimer) clearTimeout(file.rollTimer);
    livePartials.delete(file.path);
    await file.handle.close().catch(ignore);
    if (file.records > 0) {
      this.orphans.add(file.path);
    } else {
      await unlink(file.path).catch(() => this.orphans.add(file.path));
    }
  }

  /** Moves a closed, complete partial file into the publish folder. Never throws. */
  private async publishPath(path: string, base: string, records: number): Promise<boolean> {
    const target = join(this.publishDir, base + PUBLISHED_SUFFIX);
    try {
      await makeDir(this.publishDir);
      try {
        await rename(path, target);
      } catch (err) {
        if (errorCode(err) !== 'EXDEV') throw err;
        await this.copyAcrossDevices(path, target, base);
      }
    } catch (err) {
      this.orphans.add(path);
      this.notePublishProblem(new FileSinkIoError('cannot publish', target, err));
      return false;
    }
    // Makes the rename itself durable; the file's content was synced before.
    if (this.fsync) await syncDir(this.publishDir);
    this.orphans.delete(path);
    this.filesPublished++;
    this.clearPublishProblem();
    this.logger.info({ sink: this.name, file: target, records }, 'file published');
    return true;
  }

  /** rename() cannot cross file systems; a hidden temporary name keeps the publish step atomic. */
  private async copyAcrossDevices(path: string, target: string, base: string): Promise<void> {
    const tmp = join(this.publishDir, `.${base}${PUBLISHED_SUFFIX}.tmp`);
    try {
      await copyFile(path, tmp);
      if (this.fsync) {
        const handle = await open(tmp, 'r+');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(ignore);
      throw err;
    }
    // Should this fail, the file is published again later with the same name and content.
    await unlink(path);
  }

  /** Finds this sink's partial files left by a crashed run and publishes their readable part. */
  private async scanLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.workingDir);
    } catch (err) {
      this.noteWriteProblem(new FileSinkIoError('cannot read folder', this.workingDir, err));
      return;
    }
    this.scanned = true;
    const pattern = new RegExp(
      `^footfall-${escapeRegExp(this.safeName)}-\\d{8}T\\d{6}Z-(.+)-(\\d+)-\\d+${escapeRegExp(PARTIAL_SUFFIX)}$`,
    );
    const mine: string[] = [];
    const others: string[] = [];
    for (const name of names.sort()) {
      const match = pattern.exec(name);
      if (!match) continue;
      const path = join(this.workingDir, name);
      if (livePartials.has(path)) continue;
      const pid = Number(match[2]);
      if (match[1] !== this.safeHost || (pid !== this.pid && processAlive(pid))) others.push(name);
      else mine.push(path);
    }
    if (others.length > 0) {
      this.logger.warn(
        { sink: this.name, files: others },
        'partial files of another host or a running process left alone',
      );
    }
    let recovered = 0;
    for (const path of mine) {
      this.orphans.add(path);
      recovered += await this.recoverPartial(path, true);
    }
    this.recoveredRecords += recovered;
    if (mine.length > 0) {
      this.logger.info(
        { sink: this.name, files: mine.length, records: recovered },
        'partial files from an earlier run recovered',
      );
    }
  }

  private async recoverOrphans(): Promise<void> {
    for (const path of [...this.orphans]) await this.recoverPartial(path, false);
  }

  /**
   * Cuts a closed partial file back to its last complete block and publishes it. Returns the records
   * published. Never throws; on failure the file stays in `orphans` for a later attempt.
   */
  private async recoverPartial(path: string, leftover: boolean): Promise<number> {
    let handle: FileHandle | undefined;
    let scan: ScanResult;
    let size: number;
    try {
      try {
        handle = await open(path, 'r+');
      } catch (err) {
        if (errorCode(err) === 'ENOENT') {
          this.orphans.delete(path);
          return 0;
        }
        throw err;
      }
      size = (await handle.stat()).size;
      scan = await scanContainer(handle, size);
      if (scan.kind === 'container' && scan.records > 0) {
        if (scan.validEnd < size) await handle.truncate(scan.validEnd);
        if (this.fsync) await handle.sync();
      }
      await handle.close();
      handle = undefined;
      if (scan.kind === 'foreign') {
        this.orphans.delete(path);
        this.logger.warn(
          { sink: this.name, file: path },
          'partial file is not an Avro container; left alone',
        );
        return 0;
      }
      if (scan.kind === 'no-header' || scan.records === 0) {
        // Without a complete header or a single complete block there is no record to lose.
        await unlink(path);
        this.orphans.delete(path);
        return 0;
      }
    } catch (err) {
      await handle?.close().catch(ignore);
      this.orphans.add(path);
      this.notePublishProblem(new FileSinkIoError('cannot recover', path, err));
      return 0;
    }
    if (leftover && scan.validEnd < size) {
      this.logger.warn(
        { sink: this.name, file: path, keptBytes: scan.validEnd, droppedBytes: size - scan.validEnd },
        'partial file ended in an incomplete block; cut back to the last complete block',
      );
    }
    const published = await this.publishPath(path, basename(path, PARTIAL_SUFFIX), scan.records);
    return published ? scan.records : 0;
  }

  private noteWriteProblem(err: unknown): void {
    this.ioErrors++;
    const detail = `file sink "${this.name}" cannot write: ${describe(err)}`;
    if (detail !== this.writeProblem) {
      this.logger.error(
        { sink: this.name, code: errorCode(err), err: describe(err) },
        'file sink cannot write; records stay queued and are retried',
      );
    }
    this.writeProblem = detail;
    this.armProbe();
  }

  private clearWriteProblem(): void {
    if (this.writeProblem === null) return;
    this.writeProblem = null;
    this.logger.info({ sink: this.name }, 'file sink writing again');
  }

  private notePublishProblem(err: unknown): void {
    this.ioErrors++;
    const detail = `file sink "${this.name}" cannot publish: ${describe(err)}`;
    if (detail !== this.publishProblem) {
      this.logger.error(
        { sink: this.name, code: errorCode(err), err: describe(err) },
        'file sink cannot publish; the file stays in the working folder and is retried',
      );
    }
    this.publishProblem = detail;
    this.armProbe();
  }

  private clearPublishProblem(): void {
    if (this.publishProblem === null || this.orphans.size > 0) return;
    this.publishProblem = null;
    this.logger.info({ sink: this.name }, 'file sink publishing again');
  }

  /**
   * Readiness must be able to come back on its own: a not-ready collector may get no traffic at all,
   * so waiting for the next record to retry would leave it not ready forever.
   */
  private armProbe(): void {
    if (this.probeTimer || this.state !== 'running') return;
    this.probeTimer = setTimeout(() => {
      void this.serial(() => this.probe())
        .catch(ignore)
        .finally(() => {
          this.probeTimer = null;
          if (this.writeProblem || this.publishProblem) this.armProbe();
        });
    }, this.retryDelayMs);
    this.probeTimer.unref();
  }

  private stopProbe(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }

  private async probe(): Promise<void> {
    // With records queued, the queue's own retries are the probe (and a truer one).
    if (this.writeProblem && this.queue.stats().queued === 0) {
      const probePath = join(this.workingDir, `.footfall-probe-${this.safeName}-${this.pid}`);
      try {
        await makeDir(this.workingDir);
        await writeFile(probePath, Buffer.alloc(4096));
        await unlink(probePath);
        this.clearWriteProblem();
      } catch {
        await unlink(probePath).catch(ignore);
      }
      if (!this.writeProblem && !this.scanned) await this.scanLeftovers();
    }
    if (this.publishProblem) {
      try {
        await makeDir(this.publishDir);
      } catch {
        return;
      }
      // Publishing the waiting files is the real test; without any, a usable folder is all we can check.
      if (this.orphans.size > 0) await this.recoverOrphans();
      this.clearPublishProblem();
    }
  }
}

function schemaJsonOf(schema: object | Type, sinkName: string): string {
  try {
    if (avsc.Type.isType(schema)) return JSON.stringify((schema as Type).schema({ exportAttrs: true }));
    avsc.Type.forSchema(schema as Parameters<typeof avsc.Type.forSchema>[0]);
    return JSON.stringify(schema);
  } catch (err) {
    throw new FileSinkConfigError(`file sink "${sinkName}": invalid Avro schema: ${describe(err)}`);
  }
}

async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new FileSinkIoError('cannot create folder', dir, err);
  }
}

async function writeFully(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await handle.write(buf, offset, buf.length - offset, position + offset);
    if (bytesWritten <= 0) throw new Error('short write');
    offset += bytesWritten;
  }
}

async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems cannot open or fsync a folder; the rename has happened anyway.
  } finally {
    await handle?.close().catch(ignore);
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  const done = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function utcStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');
}

/** Keeps names portable and the `-`-separated layout parseable from the right. */
function fileNamePart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
  if (typeof code === 'string' && !code.startsWith('FOOTFALL_')) return code;
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function ignore(): void {}
