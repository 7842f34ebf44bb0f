/**
 * The file sink's write and publish problems: counted as I/O errors, logged once per new cause, shown
 * through health(), and retried by a probe while they last, so readiness comes back on its own.
 */
import { describe, errorCode, ignore, type ResolvedFileSinkOptions } from './options.js';
import type { FileSinkRecovery, RecoveryProblems } from './recovery.js';
import type { FileTarget } from './target.js';

const PROBLEM_LOG = {
  write: 'file sink cannot write; records stay queued and are retried',
  publish: 'file sink cannot publish; the file stays in the working folder and is retried',
} as const;

/** What the probe needs from the sink. */
export interface FileSinkProblemsHost {
  running(): boolean;
  /** Records waiting in the queue or being written. */
  queued(): number;
  /** Runs a task on the sink's one-at-a-time file work chain. */
  serial(task: () => Promise<void>): Promise<void>;
}

export class FileSinkProblems implements RecoveryProblems {
  writeProblem: string | null = null;
  publishProblem: string | null = null;
  /** Failed I/O operations (writes, publishes), not records. */
  ioErrors = 0;
  private probeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly o: ResolvedFileSinkOptions,
    private readonly target: FileTarget,
    private readonly recovery: FileSinkRecovery,
    private readonly host: FileSinkProblemsHost,
  ) {}

  noteWriteProblem(err: unknown): void {
    this.writeProblem = this.logProblem(err, 'write', this.writeProblem);
    this.armProbe();
  }

  clearWriteProblem(): void {
    if (this.writeProblem === null) return;
    this.writeProblem = null;
    this.o.logger.info({ sink: this.o.name }, 'file sink writing again');
  }

  notePublishProblem(err: unknown): void {
    this.publishProblem = this.logProblem(err, 'publish', this.publishProblem);
    this.armProbe();
  }

  /** Counts the error and logs it unless it repeats the current problem; returns the new detail. */
  private logProblem(err: unknown, what: 'write' | 'publish', current: string | null): string {
    this.ioErrors++;
    const detail = `file sink "${this.o.name}" cannot ${what}: ${describe(err)}`;
    if (detail !== current) {
      this.o.logger.error({ sink: this.o.name, code: errorCode(err), err: describe(err) }, PROBLEM_LOG[what]);
    }
    return detail;
  }

  clearPublishProblem(): void {
    if (this.publishProblem === null || this.recovery.orphans.size > 0) return;
    this.publishProblem = null;
    this.o.logger.info({ sink: this.o.name }, 'file sink publishing again');
  }

  /**
   * Readiness must be able to come back on its own: a not-ready collector may get no traffic at all,
   * so waiting for the next record to retry would leave it not ready forever.
   */
  private armProbe(): void {
    if (this.probeTimer || !this.host.running()) return;
    this.probeTimer = setTimeout(() => {
      void this.host
        .serial(() => this.probe())
        .catch(ignore)
        .finally(() => {
          this.probeTimer = null;
          if (this.writeProblem || this.publishProblem) this.armProbe();
        });
    }, this.o.retryDelayMs);
    this.probeTimer.unref();
  }

  stopProbe(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }

  private async probe(): Promise<void> {
    // With records queued, the queue's own retries are the probe (and a truer one).
    if (this.writeProblem && this.host.queued() === 0) {
      try {
        await this.target.prepareWorking();
        await this.target.probe(
          `.footfall-probe-${this.o.safeName}-${this.recovery.instanceId ?? this.o.pid}`,
        );
        this.clearWriteProblem();
      } catch {
        // Still failing; the next probe tries again.
      }
      if (!this.writeProblem && !this.recovery.scanned) await this.recovery.scanLeftovers();
    }
    if (this.publishProblem) {
      try {
        await this.target.preparePublish();
      } catch {
        return;
      }
      // Publishing the waiting files is the real test; without any, a usable folder is all we can check.
      if (this.recovery.orphans.size > 0) await this.recovery.recoverOrphans();
      this.clearPublishProblem();
    }
  }
}
