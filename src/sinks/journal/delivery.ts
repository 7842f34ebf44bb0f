/**
 * The loop that moves records from a journal to where they are stored for good (a Kafka topic, an
 * Avro file): read a batch, deliver it, acknowledge it, in order, one batch in flight. A delivery that
 * fails is never skipped: the journal rewinds, the loop backs off, and the same records go again.
 *
 * Batches leave when they are full (records or bytes) or when the oldest record in them has waited
 * `lingerMs`; while draining for shutdown they leave at once.
 */
import type { Journal, JournalRecord } from './journal.js';

export interface DeliveryTarget {
  /**
   * Stores the records downstream; resolves once they are stored (with the number the target refused
   * for good, e.g. a record too large for Kafka, which it has counted and logged), rejects when they
   * are not stored and must be tried again.
   */
  deliver(records: JournalRecord[]): Promise<number | void>;
}

export interface DeliveryPolicy {
  readonly batchMaxRecords: number;
  readonly batchMaxBytes: number;
  readonly lingerMs: number;
  /** Pause before the next try after a failure (back-off grows with consecutive failures). */
  readonly nextDelay: () => number;
  readonly succeeded: (stored: number, ms: number, redelivered: number) => void;
  readonly failed: (err: unknown) => void;
  /** While failing and idle, checks whether the target is back (so readiness recovers without traffic). */
  readonly probe?: () => Promise<boolean>;
  /** True while the target counts as down; the loop probes then instead of lingering. */
  readonly down?: () => boolean;
  readonly onLoopError?: (err: unknown) => void;
  /**
   * A delivery not settled by then counts as failed: a target that accepts connections and never
   * answers must turn readiness red within seconds, not after a client library's own long timeouts.
   */
  readonly timeoutMs?: number;
}

class DeliveryTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeliveryTimeoutError';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined || !Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeliveryTimeoutError(ms)), ms);
  });
  // A late failure of the abandoned attempt must not surface as an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class Delivery {
  private stopRequested = false;
  private draining = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> = Promise.resolve();
  private readableSince: number | null = null;
  /** Records handed out again after a rewind: delivered twice downstream, at worst. */
  private redeliverFrom = 0;
  private attempts = 0;
  private retryNow = false;
  /** Waiting out the linger time with a batch not yet full: a commit need not wake the loop. */
  private lingering = false;

  constructor(
    private readonly journal: Journal,
    private readonly target: DeliveryTarget,
    private readonly policy: DeliveryPolicy,
  ) {}

  start(): void {
    this.loop = this.run().catch((err: unknown) => this.policy.onLoopError?.(err));
  }

  /** Settles once the loop has ended. */
  get stopped(): Promise<void> {
    return this.loop;
  }

  /** Deliveries that ended either way; shutdown waits for one more after it began. */
  get finishedAttempts(): number {
    return this.attempts;
  }

  /**
   * Wakes the loop: records were committed, or shutdown began. While the loop lingers over a batch
   * that is not full yet, a commit changes nothing it waits for; waking it anyway cost a timer and two
   * promises per event-loop turn.
   */
  signal(): void {
    if (this.readableSince === null) this.readableSince = performance.now();
    if (this.lingering && this.journal.unacknowledged() < this.policy.batchMaxRecords) return;
    this.wake?.();
  }

  /**
   * Delivers what is there now: without waiting out the linger time, and without waiting out a
   * back-off after a failure (a caller's explicit flush).
   */
  hurry(): void {
    this.readableSince = Number.NEGATIVE_INFINITY;
    this.retryNow = true;
    this.wake?.();
  }

  /** Delivers without lingering from now on (shutdown). */
  drain(): void {
    this.draining = true;
    this.wake?.();
  }

  /** Ends the loop after the delivery in flight, if any. */
  stop(): void {
    this.stopRequested = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopRequested) {
      if (!this.journal.hasReadable()) {
        this.readableSince = null;
        if (this.policy.down?.() && this.policy.probe && !this.draining) {
          if (!(await this.policy.probe())) await this.wait(this.policy.nextDelay());
          continue;
        }
        await this.wait(Number.POSITIVE_INFINITY);
        continue;
      }
      this.readableSince ??= performance.now();
      const waited = performance.now() - this.readableSince;
      if (
        !this.draining &&
        waited < this.policy.lingerMs &&
        this.journal.unacknowledged() < this.policy.batchMaxRecords
      ) {
        this.lingering = true;
        await this.wait(this.policy.lingerMs - waited);
        this.lingering = false;
        continue;
      }
      const batch = this.journal.read(this.policy.batchMaxRecords, this.policy.batchMaxBytes);
      if (!batch) continue;
      this.readableSince = this.journal.hasReadable() ? performance.now() : null;
      const again = Math.min(batch.records.length, this.redeliverFrom);
      const started = performance.now();
      try {
        const refused = (await withTimeout(this.target.deliver(batch.records), this.policy.timeoutMs)) ?? 0;
        this.attempts++;
        this.journal.acknowledge(batch);
        this.redeliverFrom -= again;
        this.policy.succeeded(batch.records.length - refused, performance.now() - started, again);
      } catch (err) {
        this.attempts++;
        // The failed batch starts at the acknowledged position, so it is what comes first again; some
        // of it may have been stored (an answer lost on the way), so it counts as delivered twice.
        this.redeliverFrom = Math.max(this.redeliverFrom, batch.records.length);
        this.journal.rewind();
        this.policy.failed(err);
        if (!this.stopRequested) await this.wait(this.policy.nextDelay(), true);
      }
    }
  }

  /** Resolves on signal(), drain() or stop(), or after the timeout; a back-off ignores new records. */
  private wait(ms: number, backoff = false): Promise<void> {
    if (this.stopRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wake = null;
        resolve();
      };
      this.wake = backoff
        ? () => {
            if (this.stopRequested || this.draining || this.retryNow) done();
          }
        : done;
      if (backoff && this.retryNow) this.retryNow = false;
      if (Number.isFinite(ms)) this.timer = setTimeout(done, Math.max(0, ms));
    });
  }
}
