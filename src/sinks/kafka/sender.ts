/**
 * The Kafka sink's delivery loop and the memory it sends from: `head`, the spool and `tail`, in that
 * order (kafka-sink.ts explains where a record waits and why). One batch is in flight at a time; while
 * Kafka is down the loop backs off and probes, and a failed send moves head to the front of the spool.
 */
import { describeError } from './client.js';
import type { KafkaConnection } from './connection.js';
import type { ResolvedKafkaSinkOptions } from './options.js';
import type { KafkaStats } from './stats.js';
import { RecordDeque, recordBytes } from './record-deque.js';
import type { SinkLogger } from '../sink-logger.js';
import type { Spool, SpoolBatch, SpoolRecord } from '../spool/spool.js';

interface Job {
  readonly records: SpoolRecord[];
  readonly bytes: number;
  readonly fromMemory: boolean;
  readonly spoolBatch?: SpoolBatch;
  /** Set when shutdown moved this batch to the spool while its send was still running. */
  abandoned: boolean;
}

export interface KafkaSenderParts {
  readonly name: string;
  readonly options: ResolvedKafkaSinkOptions;
  readonly spool: Spool;
  readonly connection: KafkaConnection;
  readonly counters: KafkaStats;
  readonly logger: SinkLogger;
}

export class KafkaSender {
  private readonly name: string;
  private readonly o: ResolvedKafkaSinkOptions;
  private readonly spool: Spool;
  private readonly connection: KafkaConnection;
  private readonly counters: KafkaStats;
  private readonly logger: SinkLogger;
  private readonly highRecords: number;
  private readonly highBytes: number;
  private readonly head = new RecordDeque();
  private readonly tail = new RecordDeque();
  private headSince = 0;
  private inFlight: Job | null = null;
  private draining = false;
  private stopRequested = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private waitTimer: NodeJS.Timeout | null = null;
  /** Deliveries that ended, either way; shutdown waits for one after it began. */
  private attempts = 0;

  constructor(parts: KafkaSenderParts) {
    this.name = parts.name;
    this.o = parts.options;
    this.spool = parts.spool;
    this.connection = parts.connection;
    this.counters = parts.counters;
    this.logger = parts.logger;
    this.highRecords = Math.max(1, Math.floor(this.o.maxQueueRecords * this.o.highWaterMark));
    this.highBytes = Math.max(1, Math.floor(this.o.maxQueueBytes * this.o.highWaterMark));
  }

  /** Starts the loop; an error it does not handle itself ends it with a log line, never a rejection. */
  start(): void {
    this.loop = this.run().catch((err: unknown) => {
      this.logger.error(
        { sink: this.name, err: describeError(err) },
        'kafka sink sender stopped unexpectedly',
      );
    });
  }

  /** Settles once the loop has ended. */
  get stopped(): Promise<void> {
    return this.loop;
  }

  /** Takes a record at the end of the sending order; false when memory and spool are both full. */
  accept(entry: SpoolRecord): boolean {
    const bytes = recordBytes(entry);
    const spool = this.spool;
    if (this.tail.length === 0) {
      if (
        !this.connection.down &&
        spool.isEmpty() &&
        this.head.length < this.highRecords &&
        this.head.bytes + bytes <= this.highBytes
      ) {
        if (this.head.length === 0) this.headSince = performance.now();
        this.head.push(entry, bytes);
        if (
          this.wake &&
          (this.head.length === 1 ||
            this.head.length >= this.o.batchMaxRecords ||
            this.head.bytes >= this.o.batchMaxBytes)
        )
          this.signal();
        return true;
      }
      if (spool.append(entry)) return true;
    }
    if (this.memoryRecords() < this.o.maxQueueRecords && this.memoryBytes() + bytes <= this.o.maxQueueBytes) {
      this.tail.push(entry, bytes);
      return true;
    }
    return false;
  }

  /**
   * Shutdown: sends what memory and spool hold without lingering until `until` (a performance.now()
   * time), stops the loop, moves what memory still holds into the spool and closes the spool.
   */
  async drainThenStop(until: number): Promise<void> {
    this.draining = true;
    this.signal();
    // The spool too, while Kafka takes it: a spool folder may not outlive the process (a container's
    // scratch volume), and records sent now are not sent late.
    // Kafka counting as down gets one more try: it may have come back during the back-off.
    const spool = this.spool;
    const attempts = this.attempts;
    while (
      !(this.memoryRecords() === 0 && spool.isEmpty()) &&
      !(this.connection.down && this.attempts > attempts) &&
      performance.now() < until
    ) {
      await sleep(5);
    }
    this.stopRequested = true;
    this.signal();
    // A replay batch still on its way: its acknowledgement saves sending it again at the next start.
    while (this.inFlight && !this.connection.down && performance.now() < until) await sleep(5);
    this.persistMemory();
    await this.spool.close();
  }

  memoryRecords(): number {
    return (
      this.head.length + this.tail.length + (this.inFlight?.fromMemory ? this.inFlight.records.length : 0)
    );
  }

  memoryBytes(): number {
    return this.head.bytes + this.tail.bytes + (this.inFlight?.fromMemory ? this.inFlight.bytes : 0);
  }

  /** Wakes the loop: records arrived, the spool wrote some, or shutdown began. */
  signal(): void {
    this.wake?.();
  }

  /** Memory into the spool in order: the batch in flight, head, then tail after what is spooled. */
  private persistMemory(): void {
    const spool = this.spool;
    const job = this.inFlight;
    const front: SpoolRecord[] = [];
    if (job?.fromMemory) {
      job.abandoned = true;
      this.inFlight = null;
      front.push(...job.records);
    }
    front.push(...this.head.drain());
    let lost = 0;
    try {
      spool.prepend(front);
    } catch (err) {
      lost += front.length;
      this.logger.error(
        { sink: this.name, err: describeError(err) },
        'cannot spool the records held in memory',
      );
    }
    for (const record of this.tail.drain()) if (!spool.append(record, true)) lost++;
    if (lost > 0) {
      this.counters.lost += lost;
      this.logger.error(
        { sink: this.name, lost },
        'kafka sink shut down with records it could neither send nor spool; they are lost',
      );
    }
  }

  private async run(): Promise<void> {
    while (!this.stopRequested) {
      try {
        const job = await this.nextJob();
        if (job && !this.stopRequested) await this.deliver(job);
      } catch (err) {
        // Shutdown closing the spool under a read in progress; anything else is a bug worth a log.
        if (this.stopRequested) return;
        this.logger.error({ sink: this.name, err: describeError(err) }, 'kafka sink sender error; retrying');
        await this.backoff();
      }
    }
  }

  /** The next batch in sending order, or null after waiting (for records, linger or back-off). */
  private async nextJob(): Promise<Job | null> {
    const spool = this.spool;
    if (this.head.length > 0) {
      const waited = performance.now() - this.headSince;
      if (
        this.draining ||
        waited >= this.o.lingerMs ||
        this.head.length >= this.o.batchMaxRecords ||
        this.head.bytes >= this.o.batchMaxBytes
      ) {
        const before = this.head.bytes;
        const records = this.head.take(this.o.batchMaxRecords, this.o.batchMaxBytes);
        if (this.head.length > 0) this.headSince = performance.now();
        return { records, bytes: before - this.head.bytes, fromMemory: true, abandoned: false };
      }
      await this.waitForWork(this.o.lingerMs - waited);
      return null;
    }
    if (this.connection.down && !this.draining) {
      // Also when idle: readiness must turn green again without waiting for traffic.
      await this.probe();
      if (this.connection.down) return null;
    }
    if (spool.hasReadable()) {
      const batch = await spool.read(this.o.batchMaxRecords, this.o.batchMaxBytes);
      if (batch)
        return { records: batch.records, bytes: 0, fromMemory: false, spoolBatch: batch, abandoned: false };
    }
    if (spool.isEmpty() && this.tail.length > 0) {
      for (const record of this.tail.drain()) this.head.push(record, recordBytes(record));
      this.headSince = performance.now();
      return null;
    }
    await this.waitForWork();
    return null;
  }

  private async deliver(job: Job): Promise<void> {
    this.inFlight = job;
    const started = performance.now();
    try {
      const rejected = await this.connection.send(job.records);
      if (job.abandoned) return;
      this.counters.sent(job.records.length - rejected, performance.now() - started);
      if (job.spoolBatch) {
        this.counters.replayed += job.records.length - rejected;
        await this.spool.acknowledge(job.spoolBatch);
      }
      this.inFlight = null;
      this.attempts++;
      this.connection.succeeded();
    } catch (err) {
      if (job.abandoned) return;
      this.inFlight = null;
      this.attempts++;
      this.connection.failed(err);
      if (job.fromMemory) this.head.unshift(job.records);
      this.spillHead();
      await this.backoff();
    }
  }

  /** While Kafka counts as down and nothing is to be sent: readiness must not wait for traffic. */
  private async probe(): Promise<void> {
    try {
      await this.connection.connected();
      this.connection.succeeded();
    } catch (err) {
      this.connection.failed(err);
      await this.backoff();
    }
  }

  /** Moves head (older than anything spooled) to the front of the spool, so a crash cannot lose it. */
  private spillHead(): void {
    if (this.head.length === 0 || this.tail.length > 0) return;
    const records = this.head.drain();
    try {
      this.spool.prepend(records);
    } catch (err) {
      this.head.unshift(records);
      this.logger.error(
        { sink: this.name, err: describeError(err) },
        'cannot spool the records held in memory; they stay in memory',
      );
    }
  }

  private async backoff(): Promise<void> {
    const delay = this.connection.nextDelay();
    // Only shutdown ends a back-off early; new records must not make a dead broker be hammered.
    const end = performance.now() + delay;
    while (!this.stopRequested && !this.draining && performance.now() < end) {
      await this.waitForWork(end - performance.now());
    }
  }

  /** Resolves on signal() (records, shutdown) or after the timeout. */
  private waitForWork(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopRequested) return resolve();
      const done = (): void => {
        if (this.waitTimer) clearTimeout(this.waitTimer);
        this.waitTimer = null;
        this.wake = null;
        resolve();
      };
      this.wake = done;
      if (Number.isFinite(timeoutMs)) this.waitTimer = setTimeout(done, Math.max(0, timeoutMs));
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
