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
import { frame } from '../../schema/index.js';
import { describeError, kafkajsClient } from './client.js';
import { KafkaConnection, settlesWithin } from './connection.js';
import { KafkaSender } from './sender.js';
import {
  KafkaSinkError,
  resolveKafkaSinkOptions,
  type KafkaSinkOptions,
  type KafkaSinkStats,
  type ResolvedKafkaSinkOptions,
} from './options.js';
import { KafkaStats } from './stats.js';
import { DropLog, silentLogger, type SinkLogger } from '../sink-logger.js';
import type { Sink, SinkHealth, SinkRecord } from '../sink.js';
import { Spool, type SpoolRecord, type SpoolStats } from '../spool/spool.js';

/** How long start() waits for the brokers to answer the topic check before it starts spooling. */
const START_CHECK_MS = 5000;

export {
  KAFKA_SINK_DEFAULTS,
  KafkaSinkError,
  type KafkaSinkOptions,
  type KafkaSinkStats,
} from './options.js';

type State = 'new' | 'starting' | 'running' | 'closing' | 'closed';

export class KafkaSink implements Sink {
  readonly name: string;
  private readonly o: ResolvedKafkaSinkOptions;
  private readonly logger: SinkLogger;
  private readonly dropLog: DropLog;
  private readonly counters = new KafkaStats();
  private readonly connection: KafkaConnection;

  private state: State = 'new';
  private startPromise: Promise<void> | null = null;
  private shutdownPromise: Promise<void> | null = null;
  private spool: Spool | null = null;
  /** Created once the sink runs; holds the records kept in memory. */
  private sender: KafkaSender | null = null;
  private lastDropAt = Number.NEGATIVE_INFINITY;

  constructor(options: KafkaSinkOptions) {
    this.o = resolveKafkaSinkOptions(options);
    this.name = options.name;
    this.logger = options.logger ?? silentLogger;
    this.dropLog = new DropLog(this.logger, { sink: this.name });
    this.connection = new KafkaConnection({
      sink: this.name,
      client:
        options.client ??
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
    if ((this.sender as KafkaSender).accept(entry)) return true;
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
      queued: this.sender?.memoryRecords() ?? 0,
      queuedBytes: this.sender?.memoryBytes() ?? 0,
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
        onWritten: () => this.sender?.signal(),
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
    this.sender = new KafkaSender({
      name: this.name,
      options: this.o,
      spool: this.spool,
      connection: this.connection,
      counters: this.counters,
      logger: this.logger,
    });
    this.state = 'running';
    this.sender.start();
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
    const sender = this.sender as KafkaSender;
    try {
      // Keep a little of the deadline for writing leftovers to the spool and closing the files.
      const reserve = Math.min(1000, deadlineMs * 0.2);
      await sender.drainThenStop(deadline - reserve);
      await settlesWithin(sender.stopped, deadline - performance.now());
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

  private refuse(): false {
    this.counters.refused++;
    this.lastDropAt = performance.now();
    this.dropLog.add(1);
    return false;
  }
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
