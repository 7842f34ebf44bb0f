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
import { fileSinkFigures } from './figures.js';
import { LocalFolderTarget } from './local-folder.js';
import {
  describe,
  ignore,
  resolveFileSinkOptions,
  type FileSinkOptions,
  type FileSinkStats,
  type ResolvedFileSinkOptions,
} from './options.js';
import { FileSinkProblems } from './problems.js';
import { FileSinkRecovery } from './recovery.js';
import { RollingFile } from './rolling-file.js';
import type { FileTarget } from './target.js';
import { Delivery } from '../journal/delivery.js';
import type { SinkFigure } from '../figures.js';
import { journalFigures } from '../journal/figures.js';
import { Journal, journalStats } from '../journal/journal.js';
import { DropLog, type SinkLogger } from '../sink-logger.js';
import type { Sink, SinkHealth, SinkRecord } from '../sink.js';
import { settlesWithin } from '../settles-within.js';

export type { FileSinkOptions, FileSinkStats } from './options.js';

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
  private offeredCount = 0;
  private refusedCount = 0;
  private readonly file: RollingFile;

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
    this.file = new RollingFile(o, this.target, this.recovery, this.problems, {
      serial: (task) => this.serial(task),
      instanceId: () => (this.journal as Journal).instanceId,
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
      written: this.file.writtenCount,
      dropped: this.refusedCount + journal.failed,
      failed: 0,
      queued: journal.records,
      filesPublished: this.recovery.filesPublished,
      bytesWritten: this.file.bytesWritten,
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
            this.serial(() => this.file.writeBlock(records)).catch((err: unknown) => {
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
        void this.serial(() => this.file.relinkCurrent()).catch(ignore);
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
        await this.file.publishCurrent();
        if (this.recovery.orphans.size > 0) await this.recovery.recoverOrphans();
      });
      const remaining = deadlineMs - (performance.now() - startedAt);
      const finished = await settlesWithin(finalize, remaining);
      if (!finished || this.recovery.orphans.size > 0 || this.file.current) {
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
}
