/**
 * Writes records into Avro object container files: `<base>.avro.partial` in the working folder while
 * open, renamed into the publish folder when the file rolls (age or size) and at shutdown, so whatever
 * watches the publish folder only ever sees complete files. Where files live is the target's business
 * (target.ts; LocalFolderTarget by default); what goes into them, and when, is decided here.
 *
 * Every record goes into the sink's journal first (`offer`, then `commit` once per event-loop turn,
 * before its event is answered); a delivery loop reads the journal in blocks (`flushEveryRecords`, or
 * `flushInterval` after the first record waited), writes each block to the open file and only then
 * acknowledges it. A SIGKILL at any moment therefore loses nothing answered: what is not yet in a
 * file is in the journal, and is written at the next start (at least once: a block written just
 * before the kill may be written again).
 *
 * Failure model, in short:
 * - Every I/O error (folder missing or unwritable, ENOSPC, EIO...) is caught, counted and shown through
 *   health(); nothing throws at the pipeline and no promise is left to reject unhandled.
 * - A block that cannot be written stays in the journal and is retried with back-off; while the
 *   journal itself cannot write, commit() says so and the events are `dropped: not_stored`.
 * - A file whose write failed midway is closed and set aside; once writing works again it is cut back
 *   to its last complete block and published. Publishing that fails leaves the file in the working
 *   folder and retries in the background (and at the next start); it is never deleted.
 * - At start, `.partial` files of this sink left by a crashed run of this instance (the instance id
 *   kept in its journal folder is part of every file name) are cut back to their last complete block
 *   and published, so an Avro reader can read them; header-only files are deleted; files of other
 *   instances sharing the folder or that are not Avro at all are left untouched.
 * - fsync: the file is fsynced before the rename and the publish folder after it, so a crash right
 *   after publishing never leaves a truncated published file. Blocks are not fsynced one by one (that
 *   would cost a disk flush per second per sink); a crash can lose the unsynced tail of the open file,
 *   and the start-up recovery publishes what did reach the disk.
 */
import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';
import { BlockBuilder } from './avro-container.js';
import { fileSinkFigures } from './figures.js';
import { LocalFolderTarget } from './local-folder.js';
import { createNextPartial } from './names.js';
import {
  describe,
  ignore,
  resolveFileSinkOptions,
  type FileSinkOptions,
  type FileSinkStats,
  type ResolvedFileSinkOptions,
} from './options.js';
import { FileSinkProblems } from './problems.js';
import { FileSinkRecovery, livePartials } from './recovery.js';
import type { FileTarget, PartialFile } from './target.js';
import { Delivery } from '../journal/delivery.js';
import type { SinkFigure } from '../figures.js';
import { journalFigures } from '../journal/figures.js';
import { Journal, journalStats } from '../journal/journal.js';
import { DropLog, type SinkLogger } from '../sink-logger.js';
import type { Sink, SinkHealth, SinkRecord } from '../sink.js';

export type { FileSinkOptions, FileSinkStats } from './options.js';

const deflateRawAsync = promisify(deflateRaw);

/** setTimeout turns longer delays into 1 ms; the per-write age check covers the rest. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface OpenFile {
  readonly partial: PartialFile;
  /** Where the target keeps it: the key in livePartials. */
  readonly location: string;
  readonly sync: Buffer;
  readonly openedAt: number;
  records: number;
  rollTimer: NodeJS.Timeout | null;
}

export class FileSink implements Sink {
  readonly name: string;
  private readonly o: ResolvedFileSinkOptions;
  private readonly target: FileTarget;
  private readonly logger: SinkLogger;
  private readonly dropLog: DropLog;
  private readonly recovery: FileSinkRecovery;
  private readonly problems: FileSinkProblems;

  private state: 'new' | 'running' | 'closing' | 'closed' = 'new';
  private startPromise: Promise<void> | null = null;
  private shutdownPromise: Promise<void> | null = null;
  // All file work runs one task at a time on this chain: block writes, roll timers, probes, shutdown.
  private ioChain: Promise<void> = Promise.resolve();
  private journal: Journal | null = null;
  private delivery: Delivery | null = null;
  private failures = 0;
  /** Woken after every block delivery, either way: flush and shutdown wait on these, not on timers. */
  private deliveryWaiters: Array<() => void> = [];
  private linkTimer: NodeJS.Timeout | null = null;
  private current: OpenFile | null = null;
  private seq = 0;
  // Reused for every block: blocks are written one at a time (the delivery has one in flight).
  private readonly blocks = new BlockBuilder();

  private offeredCount = 0;
  private writtenCount = 0;
  private refusedCount = 0;
  private bytesWritten = 0;

  constructor(options: FileSinkOptions) {
    const o = resolveFileSinkOptions(options);
    this.o = o;
    this.name = o.name;
    this.logger = o.logger;
    this.dropLog = new DropLog(this.logger, { sink: this.name }, 10_000, o.now);
    this.target =
      options.target ??
      new LocalFolderTarget({ workingDir: o.workingDir, publishDir: o.publishDir, fsync: o.fsync });
    this.recovery = new FileSinkRecovery(o, this.target, {
      noteWriteProblem: (err) => this.problems.noteWriteProblem(err),
      notePublishProblem: (err) => this.problems.notePublishProblem(err),
      clearPublishProblem: () => this.problems.clearPublishProblem(),
    });
    this.problems = new FileSinkProblems(o, this.target, this.recovery, {
      running: () => this.state === 'running',
      queued: () => this.journal?.unacknowledged() ?? 0,
      serial: (task) => this.serial(task),
    });
  }

  commit(): boolean {
    return this.journal?.commit() ?? true;
  }

  offer(record: SinkRecord): boolean {
    this.offeredCount++;
    if (this.state === 'running' && (this.journal as Journal).append(record)) return true;
    this.refusedCount++;
    this.dropLog.add(1);
    return false;
  }

  health(): SinkHealth {
    if (this.state === 'new') return { ready: false, detail: `file sink "${this.name}" not started` };
    if (this.state !== 'running') return { ready: false, detail: `file sink "${this.name}" shut down` };
    const problem = this.journal?.problem() ?? this.problems.writeProblem ?? this.problems.publishProblem;
    const journal = this.journal?.health();
    const figures = journal ? { journal } : {};
    return problem ? { ready: false, detail: problem, ...figures } : { ready: true, ...figures };
  }

  stats(): FileSinkStats {
    const journal = journalStats(this.journal);
    return {
      offered: this.offeredCount,
      written: this.writtenCount,
      dropped: this.refusedCount + journal.failed,
      failed: 0,
      queued: journal.records,
      filesPublished: this.recovery.filesPublished,
      bytesWritten: this.bytesWritten,
      ioErrors: this.problems.ioErrors,
      recoveredRecords: this.recovery.recoveredRecords,
      journal,
    };
  }

  figures(): SinkFigure[] {
    const stats = this.stats();
    return [...fileSinkFigures(stats), ...journalFigures(stats.journal)];
  }

  /**
   * Opens the journal (a folder another collector holds, or one that cannot be created, rejects: this
   * sink could not keep what it answers for), creates the folders and publishes what a crashed run
   * left behind. Problems with the working or publish folder do not reject: they may be temporary (a
   * volume not mounted yet), so they show in health() and are retried while the journal holds the
   * records. Configuration errors already threw in the constructor.
   */
  start(): Promise<void> {
    this.startPromise ??= (async () => {
      if (this.state !== 'new') return;
      const o = this.o;
      const journal = await Journal.open({
        dir: o.journalDir,
        maxBytes: o.journalMaxBytes,
        segmentBytes: o.journalSegmentBytes,
        fsync: o.journalFsync,
        fsyncIntervalMs: o.journalFsyncIntervalMs,
        cacheBytes: o.maxQueueBytes,
        logger: this.logger,
        name: this.name,
        onCommitted: () => this.delivery?.signal(),
      });
      this.journal = journal;
      this.recovery.instanceId = journal.instanceId;
      this.delivery = new Delivery(
        journal,
        {
          deliver: (records) =>
            this.serial(() => this.writeBlock(records)).catch((err: unknown) => {
              this.problems.noteWriteProblem(err);
              throw err;
            }),
        },
        {
          batchMaxRecords: o.flushEveryRecords,
          batchMaxBytes: Math.max(o.maxQueueBytes / 4, 1024 * 1024),
          lingerMs: o.flushEveryMs,
          nextDelay: () => Math.min(o.retryDelayMs * 2 ** Math.min(this.failures++, 16), o.maxRetryDelayMs),
          succeeded: () => {
            this.failures = 0;
            this.wakeWaiters();
          },
          failed: () => this.wakeWaiters(),
          onLoopError: (err) =>
            this.logger.error(
              { sink: this.name, err: describe(err) },
              'file sink delivery stopped unexpectedly',
            ),
        },
      );
      this.state = 'running';
      // Queued before any write on the chain, so recovery never races this run's own files.
      await this.serial(async () => {
        try {
          await this.target.preparePublish();
        } catch (err) {
          this.problems.notePublishProblem(err);
        }
        try {
          await this.target.prepareWorking();
        } catch (err) {
          this.problems.noteWriteProblem(err);
          return;
        }
        await this.recovery.scanLeftovers();
      });
      this.delivery.start();
      if (journal.hasReadable()) this.delivery.signal();
      // An open file deleted with its folder still holds acknowledged blocks: found within a second
      // even while no record arrives, and written back under its name before anything else happens.
      this.linkTimer = setInterval(() => {
        void this.serial(() => this.relinkCurrent()).catch(ignore);
      }, 1000);
      this.linkTimer.unref();
    })();
    return this.startPromise;
  }

  /**
   * Commits what was offered and waits until the journal has handed every record to the open file
   * (it does not publish), or until a write fails. A write that failed before is tried again at once
   * rather than after its back-off. Never rejects.
   */
  async flush(): Promise<void> {
    const journal = this.journal;
    const delivery = this.delivery;
    if (!journal || !delivery) return;
    journal.commit();
    const attempts = delivery.finishedAttempts;
    delivery.hurry();
    while (!journal.isEmpty() && this.state === 'running') {
      // A write tried since this flush began failed: it backs off, the caller is not kept waiting.
      if (delivery.finishedAttempts > attempts && this.failures > 0) break;
      await this.nextDelivery();
    }
  }

  private nextDelivery(): Promise<void> {
    return new Promise((resolve) => this.deliveryWaiters.push(resolve));
  }

  private wakeWaiters(): void {
    const waiters = this.deliveryWaiters;
    this.deliveryWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Stops accepting, writes what it can, publishes the open file, all within `deadlineMs` (a
   * duration). Records still in the journal at the deadline stay there and are written at the next
   * start; a file that could not be published in time stays in the working folder for the next start.
   * Never rejects.
   */
  shutdown(deadlineMs: number): Promise<void> {
    this.shutdownPromise ??= this.close(deadlineMs);
    return this.shutdownPromise;
  }

  private async close(deadlineMs: number): Promise<void> {
    const startedAt = performance.now();
    this.state = 'closing';
    this.problems.stopProbe();
    if (this.linkTimer) clearInterval(this.linkTimer);
    try {
      await this.drainJournal(startedAt + deadlineMs);
      const finalize = this.serial(async () => {
        await this.publishCurrent();
        if (this.recovery.orphans.size > 0) await this.recovery.recoverOrphans();
      });
      const remaining = deadlineMs - (performance.now() - startedAt);
      const finished = await settlesWithin(finalize, remaining);
      if (!finished || this.recovery.orphans.size > 0 || this.current) {
        this.logger.warn(
          { sink: this.name, workingDir: this.target.workingLocation, problem: this.problems.publishProblem },
          'file sink left unpublished files in its working folder; they are published at the next start',
        );
      }
    } catch (err) {
      // Every step above handles its own errors; this only guards the promise callers await.
      this.logger.error({ sink: this.name, err: describe(err) }, 'file sink shutdown failed');
    } finally {
      const left = this.journal?.unacknowledged() ?? 0;
      this.journal?.close();
      this.dropLog.flush();
      this.problems.stopProbe();
      this.state = 'closed';
      if (left > 0) {
        this.logger.warn(
          { sink: this.name, records: left, problem: this.problems.writeProblem },
          'file sink stopped with records it could not write yet; they stay in its journal for the next start',
        );
      }
    }
  }

  /** Hands the journal to the file until it is empty, a write fails, or most of the deadline is gone. */
  private async drainJournal(deadline: number): Promise<void> {
    const journal = this.journal;
    const delivery = this.delivery;
    if (!journal || !delivery) return;
    journal.commit();
    delivery.drain();
    const reserve = Math.min(1000, (deadline - performance.now()) * 0.3);
    while (!journal.isEmpty() && this.failures === 0) {
      const left = deadline - reserve - performance.now();
      if (left <= 0 || !(await settlesWithin(this.nextDelivery(), left))) break;
    }
    delivery.stop();
    this.wakeWaiters();
    await settlesWithin(delivery.stopped, Math.max(0, deadline - reserve / 2 - performance.now()));
  }

  private serial<R>(task: () => Promise<R>): Promise<R> {
    const run = this.ioChain.then(task);
    this.ioChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Restores the open file under its name when it was deleted while open (folder removed): its blocks
   * are acknowledged and no longer in the journal, so the open descriptor is their only copy.
   */
  private async relinkCurrent(): Promise<void> {
    const file = this.current;
    if (!file?.partial.relink) return;
    try {
      if (await file.partial.relink()) {
        const problem = new Error(
          `the open file ${file.location} was deleted; written back from the open file`,
        );
        this.problems.noteWriteProblem(problem);
        this.logger.error(
          { sink: this.name, file: file.location, records: file.records },
          'the open Avro file was deleted while in use; restored from the open file, nothing lost',
        );
      }
    } catch (err) {
      this.problems.noteWriteProblem(err);
      throw err;
    }
  }

  /** Runs for every block the journal hands out; a throw leaves the block in the journal for a retry. */
  private async writeBlock(batch: SinkRecord[]): Promise<void> {
    await this.relinkCurrent();
    if (this.current && this.o.now() - this.current.openedAt >= this.o.rollEveryMs)
      await this.publishCurrent();
    const file = this.current ?? (await this.openFile());

    const values: Buffer[] = new Array<Buffer>(batch.length);
    for (let i = 0; i < batch.length; i++) values[i] = (batch[i] as SinkRecord).value;
    const data = this.o.codec === 'deflate' ? [await deflateRawAsync(Buffer.concat(values))] : values;
    const block = this.blocks.build(batch.length, data, file.sync);

    try {
      await file.partial.append(block);
    } catch (err) {
      // The file may now end in a torn block. Rather than trusting a truncate on a failing disk, set
      // it aside: it is cut back to its last complete block and published once I/O works again.
      await this.abandon(file);
      throw err;
    }
    file.records += batch.length;
    this.writtenCount += batch.length;
    this.bytesWritten += block.length;
    this.problems.clearWriteProblem();

    if (file.partial.size >= this.o.rollSizeBytes) await this.publishCurrent();
    // Files set aside after a failed write; while publishing itself fails, the probe retries instead.
    if (this.recovery.orphans.size > 0 && !this.problems.publishProblem) await this.recovery.recoverOrphans();
  }

  private async openFile(): Promise<OpenFile> {
    // Only the working folder: a broken publish folder must not stop records from reaching the disk.
    await this.target.prepareWorking();
    if (!this.recovery.scanned) await this.recovery.scanLeftovers();
    const created = await createNextPartial(
      this.target,
      this.o,
      (this.journal as Journal).instanceId,
      () => this.seq++,
    );
    const file: OpenFile = {
      partial: created.partial,
      location: this.target.partialLocation(created.partial.base),
      sync: created.sync,
      openedAt: created.openedAt,
      records: 0,
      rollTimer: null,
    };
    livePartials.add(file.location);
    const timer = setTimeout(
      () => {
        void this.serial(async () => {
          if (this.current === file) await this.publishCurrent();
        }).catch(ignore);
      },
      Math.min(this.o.rollEveryMs, MAX_TIMER_MS),
    );
    timer.unref();
    file.rollTimer = timer;
    this.current = file;
    return file;
  }

  /** Closes the open file and publishes it, or deletes it when it holds no record. Never throws. */
  private async publishCurrent(): Promise<void> {
    const file = this.current;
    if (!file) return;
    // A file that lost its name cannot be renamed into the publish folder: give it its name back.
    await this.relinkCurrent().catch(ignore);
    this.current = null;
    if (file.rollTimer) clearTimeout(file.rollTimer);
    livePartials.delete(file.location);
    const { base } = file.partial;
    if (file.records === 0) {
      await file.partial.abandon();
      await this.target.remove(base).catch(ignore);
      return;
    }
    try {
      await file.partial.close();
    } catch (err) {
      this.recovery.orphans.add(base);
      this.problems.notePublishProblem(err);
      return;
    }
    await this.recovery.publish(base, file.records);
  }

  private async abandon(file: OpenFile): Promise<void> {
    if (this.current === file) this.current = null;
    if (file.rollTimer) clearTimeout(file.rollTimer);
    livePartials.delete(file.location);
    await file.partial.abandon();
    const { base } = file.partial;
    if (file.records > 0) {
      this.recovery.orphans.add(base);
    } else {
      await this.target.remove(base).catch(() => this.recovery.orphans.add(base));
    }
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
