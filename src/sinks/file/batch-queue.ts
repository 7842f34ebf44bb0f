/**
 * A bounded batching queue modelled on OpenTelemetry's BatchSpanProcessor: producers `offer()`
 * synchronously and never wait; batches leave when one fills up or when the linger timer fires; one
 * export runs at a time; drops and failures are counted, never thrown at the producer.
 *
 * What the owner decides (and the queue does not): whether a failed batch is retried (return 'retry'
 * from `onError`, the batch goes back to the head and the queue backs off) or released, how drops are
 * logged, and what happens to the leftovers `shutdown()` hands back.
 */

/** Returned by `onError`: 'retry' keeps the batch at the head of the queue; anything else lets it go. */
export type ExportFailureDecision = 'retry' | void;

export interface BatchQueueOptions<T> {
  /**
   * Most items held at once, counting the batch being exported: memory stays bounded even while an
   * export hangs, and a failed batch always fits back in.
   */
  readonly maxQueueSize: number;
  /** Most items per `exportBatch` call; a full batch is exported without waiting for the linger timer. */
  readonly maxBatchSize: number;
  /** Optional bound on the summed `sizeOf` of the items held (needs `sizeOf`). */
  readonly maxQueueBytes?: number;
  /** Size of one item for `maxQueueBytes` and `queuedBytes`; must return the same value every time. */
  readonly sizeOf?: (item: T) => number;
  /** Longest an item waits for its batch to fill before it is exported anyway. */
  readonly lingerMs: number;
  /** Delivers one batch. A rejection (or throw) is reported to `onError`. */
  readonly exportBatch: (batch: T[]) => Promise<void>;
  /** Called with the number of items refused since the last call; bursts within one tick are merged. */
  readonly onDrop?: (count: number) => void;
  /** Called once per failed export; return 'retry' to keep the batch for the next attempt. */
  readonly onError?: (err: unknown, batch: readonly T[]) => ExportFailureDecision;
  /** First pause after a retried failure; it doubles up to `maxRetryDelayMs`. Default: `lingerMs`, at least 100. */
  readonly retryDelayMs?: number;
  /** Default 30 000. */
  readonly maxRetryDelayMs?: number;
}

export interface BatchQueueStats {
  /** Items held: waiting plus the batch in flight. */
  readonly queued: number;
  readonly queuedBytes: number;
  /** Items delivered by a successful export. */
  readonly exported: number;
  /** Items refused by `offer()` (queue full or shut down). */
  readonly dropped: number;
  /** Distinct items whose export failed at least once; a retried item that fails again is not recounted. */
  readonly failed: number;
  /** Successful `exportBatch` calls. */
  readonly batches: number;
}

export interface BatchQueueShutdownResult<T> {
  /** Items exported successfully between the `shutdown()` call and its return. */
  readonly drained: number;
  /** Items never exported, in order, for the owner to spool or count as lost. */
  readonly left: T[];
  /**
   * Items of an export still running at the deadline. They are in neither `drained` nor `left`: the
   * export may still succeed, so the queue only counts its outcome (`exported` or `failed`) when it ends.
   */
  readonly inFlight: number;
}

type ExportOutcome = 'idle' | 'ok' | 'released' | 'retry';

const DEFAULT_MAX_RETRY_DELAY_MS = 30_000;
/** Above this many consumed slots at the head, the backing array is compacted. */
const COMPACT_AFTER = 4096;

export class BatchQueue<T> {
  private readonly maxQueueSize: number;
  private readonly maxBatchSize: number;
  private readonly maxQueueBytes: number;
  private readonly sizeOf: ((item: T) => number) | undefined;
  private readonly lingerMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly exportBatch: (batch: T[]) => Promise<void>;
  private readonly onDrop: ((count: number) => void) | undefined;
  private readonly onError: ((err: unknown, batch: readonly T[]) => ExportFailureDecision) | undefined;

  // Waiting items live in items[head..]; shifting one by one would be O(n) per batch.
  private items: T[] = [];
  private head = 0;
  private pendingBytes = 0;
  private inFlightCount = 0;
  private inFlightBytes = 0;
  /** Waiting items at the head that already count in `failed` (they came back from a retried batch). */
  private failedAtHead = 0;

  // Every accepted item has a position in acceptance order; `settled` items have left for good.
  // Because retried batches go back to the head, the queue stays FIFO and these two counters are enough
  // to tell whether everything accepted before some moment has been dealt with.
  private accepted = 0;
  private settled = 0;
  /** The linger timer (or a retry timer) asks for everything accepted before this position. */
  private dueUntil = 0;

  private exporting: Promise<ExportOutcome> | null = null;
  private pumping = false;
  private lingerTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryAttempt = 0;
  private closed = false;
  /** Set once shutdown has returned: late results of the in-flight export are only counted. */
  private finished = false;
  private shutdownResult: Promise<BatchQueueShutdownResult<T>> | null = null;
  private unreportedDrops = 0;

  private exportedCount = 0;
  private droppedCount = 0;
  private failedCount = 0;
  private batchCount = 0;

  constructor(options: BatchQueueOptions<T>) {
    const positive = (key: string, value: number): number => {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`BatchQueue: ${key} must be a positive integer, got ${value}`);
      }
      return value;
    };
    this.maxQueueSize = positive('maxQueueSize', options.maxQueueSize);
    // As in OTel: a batch larger than the queue could never fill, so it would only ever leave on linger.
    this.maxBatchSize = Math.min(positive('maxBatchSize', options.maxBatchSize), this.maxQueueSize);
    if (!(options.lingerMs >= 0) || !Number.isFinite(options.lingerMs)) {
      throw new RangeError(`BatchQueue: lingerMs must be a finite number >= 0, got ${options.lingerMs}`);
    }
    this.lingerMs = options.lingerMs;
    if (options.maxQueueBytes !== undefined) {
      positive('maxQueueBytes', options.maxQueueBytes);
      if (!options.sizeOf) throw new RangeError('BatchQueue: maxQueueBytes needs sizeOf');
    }
    this.maxQueueBytes = options.maxQueueBytes ?? Number.POSITIVE_INFINITY;
    this.sizeOf = options.sizeOf;
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? Math.max(100, this.lingerMs));
    this.maxRetryDelayMs = Math.max(this.retryDelayMs, options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS);
    this.exportBatch = options.exportBatch;
    this.onDrop = options.onDrop;
    this.onError = options.onError;
  }

  /** Takes the item if there is room; never waits, never throws for a full queue. */
  offer(item: T): boolean {
    if (this.closed) return this.drop();
    const size = this.sizeOf ? this.sizeOf(item) : 0;
    if (
      this.pendingCount() + this.inFlightCount >= this.maxQueueSize ||
      this.pendingBytes + this.inFlightBytes + size > this.maxQueueBytes
    ) {
      return this.drop();
    }
    this.items.push(item);
    this.pendingBytes += size;
    this.accepted++;
    // While backing off nothing may leave early; the retry timer brings everything along.
    if (this.retryTimer) return true;
    if (this.pendingCount() >= this.maxBatchSize) this.pump();
    else if (!this.lingerTimer) this.armLinger();
    return true;
  }

  stats(): BatchQueueStats {
    return {
      queued: this.pendingCount() + this.inFlightCount,
      queuedBytes: this.pendingBytes + this.inFlightBytes,
      exported: this.exportedCount,
      dropped: this.droppedCount,
      failed: this.failedCount,
      batches: this.batchCount,
    };
  }

  /**
   * Exports everything accepted before the call, one batch at a time, ignoring any retry back-off.
   * Resolves (never rejects) once that is done or as soon as an export fails with 'retry': looping
   * on a dead destination would never end, and the failure has already gone to `onError`.
   */
  async flush(): Promise<void> {
    const target = this.accepted;
    for (;;) {
      const outcome = await this.exportNext(() => this.settled < target);
      if (outcome === 'idle' || outcome === 'retry') break;
    }
    this.rearm();
  }

  /**
   * Stops accepting, exports what it can until `deadlineMs` (a duration) has passed, and hands back
   * the rest. Idempotent: later calls get the first call's result. Never rejects.
   *
   * A failed export during shutdown ends the drain at once instead of backing off: the owner is about
   * to spool or count the leftovers, and retrying a dead destination would only burn the deadline.
   */
  shutdown(deadlineMs: number): Promise<BatchQueueShutdownResult<T>> {
    this.shutdownResult ??= this.drainAndClose(deadlineMs);
    return this.shutdownResult;
  }

  private async drainAndClose(deadlineMs: number): Promise<BatchQueueShutdownResult<T>> {
    this.closed = true;
    this.clearTimers();
    const exportedBefore = this.exportedCount;
    let expired = false;
    let deadlineTimer: NodeJS.Timeout | undefined;
    // Not unref'd: the caller is waiting for this promise, and it must settle even if nothing else
    // keeps the event loop alive.
    const deadline = new Promise<void>((resolve) => {
      deadlineTimer = setTimeout(resolve, Math.max(0, deadlineMs));
    });
    const drain = (async () => {
      for (;;) {
        const outcome = await this.exportNext(() => !expired);
        if (outcome === 'idle' || outcome === 'retry') return;
      }
    })();
    await Promise.race([drain, deadline]);
    expired = true;
    clearTimeout(deadlineTimer);
    this.finished = true;
    const left = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.pendingBytes = 0;
    this.failedAtHead = 0;
    this.settled += left.length;
    this.reportDrops();
    return { drained: this.exportedCount - exportedBefore, left, inFlight: this.inFlightCount };
  }

  private pendingCount(): number {
    return this.items.length - this.head;
  }

  private drop(): false {
    this.droppedCount++;
    if (this.onDrop && this.unreportedDrops++ === 0) queueMicrotask(() => this.reportDrops());
    return false;
  }

  private reportDrops(): void {
    const count = this.unreportedDrops;
    if (count === 0 || !this.onDrop) return;
    this.unreportedDrops = 0;
    try {
      this.onDrop(count);
    } catch {
      // A throwing callback must not break offer() for the next producer.
    }
  }

  private armLinger(): void {
    const timer = setTimeout(() => {
      this.lingerTimer = null;
      this.dueUntil = this.accepted;
      this.pump();
    }, this.lingerMs);
    timer.unref();
    this.lingerTimer = timer;
  }

  private armRetry(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    const delay = Math.min(this.retryDelayMs * 2 ** this.retryAttempt, this.maxRetryDelayMs);
    this.retryAttempt++;
    const timer = setTimeout(() => {
      this.retryTimer = null;
      this.dueUntil = this.accepted;
      this.pump();
    }, delay);
    timer.unref();
    this.retryTimer = timer;
  }

  private clearTimers(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.lingerTimer = null;
    this.retryTimer = null;
  }

  /** After any export activity: make sure waiting items will leave, by size or by timer. */
  private rearm(): void {
    if (this.closed || this.retryTimer) return;
    if (this.pendingCount() >= this.maxBatchSize) this.pump();
    else if (this.pendingCount() > 0 && !this.lingerTimer) this.armLinger();
  }

  private isDue(): boolean {
    return this.pendingCount() >= this.maxBatchSize || this.settled < this.dueUntil;
  }

  /** The background driver for size and timer triggers; at most one runs at a time. */
  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    void this.pumpLoop().finally(() => {
      this.pumping = false;
      this.rearm();
    });
  }

  private async pumpLoop(): Promise<void> {
    for (;;) {
      const outcome = await this.exportNext(() => !this.closed && !this.retryTimer && this.isDue());
      if (outcome === 'idle' || outcome === 'retry') return;
    }
  }

  /**
   * Waits for the export in flight, then exports the next batch if `due()` still holds. Every caller
   * (pump, flush, shutdown) goes through here, which is what keeps exports one at a time.
   */
  private async exportNext(due: () => boolean): Promise<ExportOutcome> {
    while (this.exporting) await this.exporting;
    if (this.pendingCount() === 0 || !due()) return 'idle';

    const n = Math.min(this.maxBatchSize, this.pendingCount());
    const batch = this.items.slice(this.head, this.head + n);
    this.head += n;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    let bytes = 0;
    if (this.sizeOf) for (const item of batch) bytes += this.sizeOf(item);
    this.pendingBytes -= bytes;
    this.inFlightCount = n;
    this.inFlightBytes = bytes;
    const seenBefore = Math.min(this.failedAtHead, n);
    this.failedAtHead -= seenBefore;

    const run = this.runExport(batch, bytes, seenBefore);
    this.exporting = run;
    // Registered before any waiter, so waiters always wake up to a cleared slot.
    void run.then(() => {
      if (this.exporting === run) this.exporting = null;
    });
    return run;
  }

  private async runExport(batch: T[], bytes: number, seenBefore: number): Promise<ExportOutcome> {
    let error: unknown;
    let ok = true;
    try {
      await this.exportBatch(batch);
    } catch (err) {
      ok = false;
      error = err;
    }
    this.inFlightCount = 0;
    this.inFlightBytes = 0;
    if (ok) {
      this.exportedCount += batch.length;
      this.batchCount++;
      this.settled += batch.length;
      this.retryAttempt = 0;
      // A flush() succeeding during back-off proves the destination is back: stop waiting.
      if (this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
      }
      return 'ok';
    }

    this.failedCount += batch.length - seenBefore;
    let decision: ExportFailureDecision = undefined;
    try {
      decision = this.onError?.(error, batch);
    } catch {
      // The owner's handler failing must not wedge the queue; treat it as "let go".
    }
    if (decision !== 'retry' || this.finished) {
      this.settled += batch.length;
      return 'released';
    }
    this.items = this.head === this.items.length ? batch : batch.concat(this.items.slice(this.head));
    this.head = 0;
    this.pendingBytes += bytes;
    this.failedAtHead += batch.length;
    if (!this.closed) this.armRetry();
    return 'retry';
  }
}
