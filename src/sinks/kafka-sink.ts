/**
 * The Kafka sink: records leave in batches (count, bytes, linger), one send in flight at a time, and
 * nothing is lost while Kafka is away.
 *
 * Where a record waits, oldest first — and the sender sends in exactly this order:
 *   1. `head`: memory, while Kafka keeps up (the normal path);
 *   2. the disk spool: once the broker is unreachable or head passes its high-water mark, and from
 *      then on until the spool is empty again, so nothing overtakes what is spooled;
 *   3. `tail`: memory again, only while the spool refuses (budget reached or disk failing).
 * Only when memory and spool are both full does `offer()` refuse (the caller counts the event dropped).
 * One send in flight plus this single order keeps every partition, and so every party, in order.
 *
 * When a send fails (after kafkajs's own short retries), the broker counts as unreachable: the failed
 * batch and the rest of head are written to the front of the spool, and the sender retries from the
 * spool with back-off until a send succeeds. A killed collector therefore loses at most the records
 * of its last event-loop turn, and a restarted one replays its spool before anything new.
 *
 * Delivery is at least once: a send whose acknowledgement was lost (broker killed after writing it)
 * is sent again, so a consumer can see a record twice after a broker crash; it never sees one early.
 */
import { frame } from '../schema/index.js';
import { describeError, kafkajsClient } from './kafka-client.js';
import { KafkaConnection, settlesWithin } from './kafka-connection.js';
import {
  KAFKA_SINK_DEFAULTS,
  KafkaSinkError,
  type KafkaSinkOptions,
  type KafkaSinkStats,
} from './kafka-sink-options.js';
import { KafkaStats } from './kafka-stats.js';
import { RecordDeque, recordBytes } from './record-deque.js';
import { DropLog, silentLogger, type SinkLogger } from './sink-logger.js';
import type { Sink, SinkHealth, SinkRecord } from './sink.js';
import { Spool, type SpoolBatch, type SpoolRecord, type SpoolStats } from './spool.js';

/** How long start() waits for the brokers to answer the topic check before it starts spooling. */
const START_CHECK_MS = 5000;

export {
  KAFKA_SINK_DEFAULTS,
  KafkaSinkError,
  type KafkaSinkOptions,
  type KafkaSinkStats,
} from './kafka-sink-options.js';

interface Job {
  readonly records: SpoolRecord[];
  readonly bytes: number;
  readonly fromMemory: boolean;
  readonly spoolBatch?: SpoolBatch;
  /** Set when shutdown moved this batch to the spool while its send was still running. */
  abandoned: boolean;
}

type State = 'new' | 'starting' | 'running' | 'closing' | 'closed';

export class KafkaSink implements Sink {
  readonly name: string;
  private readonly o: Required<Omit<KafkaSinkOptions, 'client' | 'logger'>>;
  private readonly logger: SinkLogger;
  private readonly dropLog: DropLog;
  private readonly counters = new KafkaStats();
  private readonly highRecords: number;
  private readonly highBytes: number;
  private readonly connection: KafkaConnection;

  private state: State = 'new';
  private startPromise: Promise<void> | null = null;
  private shutdownPromise: Promise<void> | null = null;
  private spool: Spool | null = null;
  private readonly head = new RecordDeque();
  private readonly tail = new RecordDeque();
  private headSince = 0;
  private inFlight: Job | null = null;
  private draining = false;
  private stopRequested = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private waitTimer: NodeJS.Timeout | null = null;
  private lastDropAt = Number.NEGATIVE_INFINITY;
  /** Deliveries that ended, either way; shutdown waits for one after it began. */
  private attempts = 0;

  constructor(options: KafkaSinkOptions) {
    const fail = (message: string): never => {
      throw new KafkaSinkError('FOOTFALL_ERR_KAFKA_CONFIG', `kafka sink "${options.name}": ${message}`);
    };
    if (!options.name) fail('name must not be empty');
    if (options.brokers.length === 0) fail('brokers must name at least one broker');
    if (!options.topic) fail('topic must not be empty');
    if (!options.spoolDir) fail('spoolDir is required');
    this.name = options.name;
    const { client, logger, ...rest } = options;
    this.o = { ...KAFKA_SINK_DEFAULTS, ...stripUndefined(rest) } as Required<
      Omit<KafkaSinkOptions, 'client' | 'logger'>
    >;
    for (const key of [
      'maxQueueRecords',
      'maxQueueBytes',
      'batchMaxRecords',
      'batchMaxBytes',
      'spoolMaxBytes',
      'spoolSegmentBytes',
      'fsyncIntervalMs',
      'retryDelayMs',
      'maxRetryDelayMs',
    ] as const) {
      if (!(this.o[key] > 0)) fail(`${key} must be a positive number, got ${this.o[key]}`);
    }
    if (!(this.o.lingerMs >= 0)) fail(`lingerMs must be >= 0, got ${this.o.lingerMs}`);
    if (!(this.o.highWaterMark > 0 && this.o.highWaterMark <= 1))
      fail(`highWaterMark must be in (0, 1], got ${this.o.highWaterMark}`);
    // Checked once here rather than failing on the first record.
    frame(Buffer.alloc(0), this.o.framing, this.o.schemaId);
    this.highRecords = Math.max(1, Math.floor(this.o.maxQueueRecords * this.o.highWaterMark));
    this.highBytes = Math.max(1, Math.floor(this.o.maxQueueBytes * this.o.highWaterMark));
    this.logger = logger ?? silentLogger;
    this.dropLog = new DropLog(this.logger, { sink: this.name });
    this.connection = new KafkaConnection({
      sink: this.name,
      client:
        client ??
        kafkajsClient({
          brokers: this.o.brokers,
          clientId: this.o.clientId,
          topic: this.o.topic,
          acks: this.o.acks,
          compression: this.o.compression,
        }),
      topic: this.o.topic,
      createTopic: this.o.createTopic,
      brokers: this.o.brokers,
      retryDelayMs: this.o.retryDelayMs,
      maxRetryDelayMs: this.o.maxRetryDelayMs,
      logger: this.logger,
      counters: this.counters,
      spooled: () => this.spool?.stats().records ?? 0,
    });
  }

  offer(record: SinkRecord): boolean {
    this.counters.offered++;
    if (this.state !== 'running') return this.refuse();
    const value = frame(record.value, this.o.framing, this.o.schemaId);
    const entry: SpoolRecord =
      value === record.value ? record : { key: record.key, value, timestamp: record.timestamp };
    const bytes = recordBytes(entry);
    const spool = this.spool as Spool;
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
    return this.refuse();
  }

  health(): SinkHealth {
    const who = `kafka sink "${this.name}"`;
    if (this.state === 'new' || this.state === 'starting')
      return { ready: false, detail: `${who} not started` };
    if (this.state !== 'running') return { ready: false, detail: `${who} shut down` };
    const spool = this.spool as Spool;
    const spooled = `${spool.stats().records} record(s) spooled`;
    const unreachable = this.connection.problem();
    if (unreachable) return { ready: false, detail: `${unreachable}; ${spooled}` };
    const problem = spool.currentProblem();
    if (problem) return { ready: false, detail: `${who}: ${problem}` };
    if (spool.isFull()) return { ready: false, detail: `${who}: spool full (${spooled})` };
    if (performance.now() - this.lastDropAt < 5000)
      return { ready: false, detail: `${who}: dropping records, memory and spool full` };
    return { ready: true };
  }

  stats(): KafkaSinkStats {
    const spool = this.spool?.stats() ?? emptySpoolStats();
    const counters = this.counters.snapshot();
    return {
      ...counters,
      queued: this.memoryRecords(),
      queuedBytes: this.memoryBytes(),
      spooledRecords: spool.records,
      spoolBytes: spool.bytes,
      spool,
      sendLatencyCount: counters.sendLatency.count,
      sendLatencySumMs: counters.sendLatency.sumMs,
      sendLatencyMaxMs: counters.sendLatency.maxMs,
      brokerReachable: this.state === 'running' && !this.connection.down ? 1 : 0,
      spoolFsyncs: spool.fsyncs,
      spoolWriteErrors: spool.writeErrors,
    };
  }

  /**
   * Opens the spool (replaying what an earlier run left comes first) and checks the topic. A missing
   * topic rejects with FOOTFALL_ERR_KAFKA_TOPIC unless `createTopic` is set. An unreachable broker
   * does not: the sink starts spooling, not ready, and keeps trying.
   */
  start(): Promise<void> {
    this.startPromise ??= this.open();
    return this.startPromise;
  }

  private async open(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    try {
      this.spool = await Spool.open({
        dir: this.o.spoolDir,
        maxBytes: this.o.spoolMaxBytes,
        segmentBytes: this.o.spoolSegmentBytes,
        fsync: this.o.fsync,
        fsyncIntervalMs: this.o.fsyncIntervalMs,
        logger: this.logger,
        name: this.name,
        onWritten: () => this.signal(),
      });
    } catch (err) {
      this.state = 'closed';
      throw err;
    }
    // A broker that accepts the connection but never answers would hold the check for kafkajs's whole
    // request timeout and retries (minutes). Start spooling after a few seconds instead; the sender
    // keeps trying, and a missing topic found later is reported like any other outage.
    const check = this.connection.verifyTopic();
    check.catch(() => undefined);
    if (!(await settlesWithin(check, START_CHECK_MS))) {
      this.connection.failed(new Error(`no answer from the brokers within ${START_CHECK_MS} ms`));
    } else {
      try {
        await check;
      } catch (err) {
        if (err instanceof KafkaSinkError) {
          await this.spool.close();
          this.state = 'closed';
          throw err;
        }
        this.connection.failed(err);
      }
    }
    this.state = 'running';
    this.loop = this.run().catch((err: unknown) => {
      this.logger.error(
        { sink: this.name, err: describeError(err) },
        'kafka sink sender stopped unexpectedly',
      );
    });
  }

  /** Sends what memory holds within the deadline (a duration), spools the rest, closes. Never rejects. */
  shutdown(deadlineMs: number): Promise<void> {
    this.shutdownPromise ??= this.close(deadlineMs);
    return this.shutdownPromise;
  }

  private async close(deadlineMs: number): Promise<void> {
    const deadline = performance.now() + Math.max(0, deadlineMs);
    if (this.state === 'starting') await this.startPromise?.catch(() => {});
    if (this.state !== 'running') {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    this.draining = true;
    this.signal();
    try {
      // Keep a little of the deadline for writing leftovers to the spool and closing the files.
      const reserve = Math.min(1000, deadlineMs * 0.2);
      // The spool too, while Kafka takes it: a spool folder may not outlive the process (a container's
      // scratch volume), and records sent now are not sent late.
      // Kafka counting as down gets one more try: it may have come back during the back-off.
      const spool = this.spool as Spool;
      const attempts = this.attempts;
      while (
        !(this.memoryRecords() === 0 && spool.isEmpty()) &&
        !(this.connection.down && this.attempts > attempts) &&
        performance.now() < deadline - reserve
      ) {
        await sleep(5);
      }
      this.stopRequested = true;
      this.signal();
      // A replay batch still on its way: its acknowledgement saves sending it again at the next start.
      while (this.inFlight && !this.connection.down && performance.now() < deadline - reserve) await sleep(5);
      this.persistMemory();
      await (this.spool as Spool).close();
      await settlesWithin(this.loop ?? Promise.resolve(), deadline - performance.now());
      await this.connection.close(Math.min(2000, Math.max(100, deadline - performance.now())));
    } catch (err) {
      this.logger.error({ sink: this.name, err: describeError(err) }, 'kafka sink shutdown failed');
    } finally {
      this.dropLog.flush();
      this.state = 'closed';
      const s = this.stats();
      const fields = { sink: this.name, written: s.written, spooled: s.spooledRecords, dropped: s.dropped };
      if (s.spooledRecords > 0) {
        this.logger.warn(fields, 'kafka sink stopped; spooled records are sent at the next start');
      } else {
        this.logger.info(fields, 'kafka sink stopped');
      }
    }
  }

  /** Memory into the spool in order: the batch in flight, head, then tail after what is spooled. */
  private persistMemory(): void {
    const spool = this.spool as Spool;
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
    const spool = this.spool as Spool;
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
        await (this.spool as Spool).acknowledge(job.spoolBatch);
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
      (this.spool as Spool).prepend(records);
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

  private signal(): void {
    this.wake?.();
  }

  private refuse(): false {
    this.counters.refused++;
    this.lastDropAt = performance.now();
    this.dropLog.add(1);
    return false;
  }

  private memoryRecords(): number {
    return (
      this.head.length + this.tail.length + (this.inFlight?.fromMemory ? this.inFlight.records.length : 0)
    );
  }

  private memoryBytes(): number {
    return this.head.bytes + this.tail.bytes + (this.inFlight?.fromMemory ? this.inFlight.bytes : 0);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function emptySpoolStats(): SpoolStats {
  return {
    records: 0,
    bytes: 0,
    segments: 0,
    pendingBytes: 0,
    appended: 0,
    acknowledged: 0,
    fsyncs: 0,
    writeErrors: 0,
    skippedBytes: 0,
    recovered: 0,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
