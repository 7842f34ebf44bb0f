/**
 * The Kafka sink: every record it takes goes into its journal first, and leaves the journal only once
 * Kafka has acknowledged it.
 *
 * - `offer()` appends the framed record to the journal; `commit()` (once per event-loop turn, by the
 *   ingest seam, before any answer leaves) writes the turn's records to disk. There is no memory-only
 *   window: what the sender holds in memory is the journal's tail cache.
 * - The delivery loop reads batches from the journal (count, bytes, linger), sends one at a time, and
 *   acknowledges each once Kafka has (acks=all by default). A failed send — a replay batch included —
 *   rewinds the journal and is retried with back-off, never skipped. A send that does not settle within
 *   `deliveryTimeoutMs` (10 s) counts as failed: a broker that accepts connections but never answers
 *   turns readiness red in seconds rather than after the client's own timeouts.
 * - One send in flight and one journal order keep every partition, and so every party, in order.
 *
 * Delivery is at least once: a send whose acknowledgement was lost (broker killed after writing it),
 * or records that were sent but not yet acknowledged when the collector died, are sent again; the
 * `redelivered` count says how many records went a second time. A consumer never sees a record early.
 */
import { frame } from '../../schema/index.js';
import { Delivery } from '../journal/delivery.js';
import type { SinkFigure } from '../figures.js';
import { journalFigures } from '../journal/figures.js';
import { Journal, journalStats, type JournalRecord } from '../journal/journal.js';
import { DropLog, silentLogger, type SinkLogger } from '../sink-logger.js';
import type { Sink, SinkHealth, SinkRecord } from '../sink.js';
import { describeError, kafkaClient } from './client.js';
import { settlesWithin } from '../settles-within.js';
import { KafkaConnection } from './connection.js';
import {
  KafkaSinkError,
  resolveKafkaSinkOptions,
  type KafkaSinkOptions,
  type KafkaSinkStats,
  type ResolvedKafkaSinkOptions,
} from './options.js';
import { KafkaStats } from './stats.js';

/** How long start() waits for the brokers to answer the topic check before it starts journaling. */
const START_CHECK_MS = 5000;

export { KafkaSinkError, type KafkaSinkOptions, type KafkaSinkStats } from './options.js';

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
  private journal: Journal | null = null;
  private delivery: Delivery | null = null;
  private lastDropAt = Number.NEGATIVE_INFINITY;
  private redelivered = 0;

  constructor(options: KafkaSinkOptions) {
    this.o = resolveKafkaSinkOptions(options);
    this.name = options.name;
    this.logger = options.logger ?? silentLogger;
    this.dropLog = new DropLog(this.logger, { sink: this.name });
    this.connection = new KafkaConnection({
      sink: this.name,
      client:
        options.client ??
        kafkaClient({
          brokers: this.o.brokers,
          clientId: this.o.clientId,
          topic: this.o.topic,
          acks: this.o.acks,
          compression: this.o.compression,
          security: this.o.security,
          idempotent: this.o.idempotent,
        }),
      topic: this.o.topic,
      createTopic: this.o.createTopic,
      brokers: this.o.brokers,
      retryDelayMs: this.o.retryDelayMs,
      maxRetryDelayMs: this.o.maxRetryDelayMs,
      logger: this.logger,
      counters: this.counters,
      spooled: () => this.journal?.unacknowledged() ?? 0,
    });
  }

  offer(record: SinkRecord): boolean {
    this.counters.offered++;
    if (this.state !== 'running') return this.refuse();
    const value = frame(record.value, this.o.framing, this.o.schemaId);
    const entry: JournalRecord =
      value === record.value ? record : { key: record.key, value, timestamp: record.timestamp };
    if ((this.journal as Journal).append(entry)) return true;
    return this.refuse();
  }

  commit(): boolean {
    const journal = this.journal;
    if (journal === null) return true;
    if (journal.commit()) return true;
    this.lastDropAt = performance.now();
    return false;
  }

  health(): SinkHealth {
    const who = `kafka sink "${this.name}"`;
    if (this.state === 'new' || this.state === 'starting')
      return { ready: false, detail: `${who} not started` };
    if (this.state !== 'running') return { ready: false, detail: `${who} shut down` };
    const journal = (this.journal as Journal).health();
    const held = `${journal.records} record(s) in the journal`;
    const problem = (this.journal as Journal).problem();
    if (problem) return { ready: false, detail: `${who}: ${problem}`, journal };
    const unreachable = this.connection.problem();
    if (unreachable) return { ready: false, detail: `${unreachable}; ${held}`, journal };
    if (performance.now() - this.lastDropAt < 5000)
      return { ready: false, detail: `${who}: refusing records, the journal is full or failing`, journal };
    return { ready: true, journal };
  }

  stats(): KafkaSinkStats {
    const journal = journalStats(this.journal);
    const counters = this.counters.snapshot();
    return {
      ...counters,
      dropped: counters.dropped + journal.failed,
      queued: journal.records,
      journal,
      redelivered: this.redelivered,
      brokerReachable: this.brokerReachable() ? 1 : 0,
    };
  }

  figures(): SinkFigure[] {
    return [...this.counters.figures(this.brokerReachable()), ...journalFigures(journalStats(this.journal))];
  }

  private brokerReachable(): boolean {
    return this.state === 'running' && !this.connection.down;
  }

  /**
   * Opens the journal (what an earlier run left is delivered first) and checks the topic. A missing
   * topic rejects with FOOTFALL_ERR_KAFKA_TOPIC unless `createTopic` is set. An unreachable broker
   * does not: the sink starts journaling, not ready, and keeps trying.
   */
  start(): Promise<void> {
    this.startPromise ??= this.open();
    return this.startPromise;
  }

  private async open(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    let journal: Journal;
    try {
      journal = await Journal.open({
        dir: this.o.spoolDir,
        maxBytes: this.o.spoolMaxBytes,
        segmentBytes: this.o.spoolSegmentBytes,
        fsync: this.o.fsync,
        fsyncIntervalMs: this.o.fsyncIntervalMs,
        cacheBytes: this.o.maxQueueBytes,
        logger: this.logger,
        name: this.name,
        onCommitted: () => this.delivery?.signal(),
      });
    } catch (err) {
      this.state = 'closed';
      throw err;
    }
    this.journal = journal;
    this.redelivered = journal.stats().recovered;
    // A broker that accepts the connection but never answers would hold the check for the client's
    // whole request timeout and retries (minutes). Start journaling after a few seconds instead.
    const check = this.connection.verifyTopic();
    check.catch(() => undefined);
    if (!(await settlesWithin(check, START_CHECK_MS))) {
      this.connection.failed(new Error(`no answer from the brokers within ${START_CHECK_MS} ms`));
    } else {
      try {
        await check;
      } catch (err) {
        if (err instanceof KafkaSinkError) {
          journal.close();
          this.state = 'closed';
          throw err;
        }
        this.connection.failed(err);
      }
    }
    this.delivery = new Delivery(
      journal,
      {
        // Records the broker refuses for good (too large, invalid) are counted and logged there.
        deliver: (records) => this.connection.send(records),
      },
      {
        batchMaxRecords: this.o.batchMaxRecords,
        batchMaxBytes: this.o.batchMaxBytes,
        lingerMs: this.o.lingerMs,
        timeoutMs: this.o.deliveryTimeoutMs,
        nextDelay: () => this.connection.nextDelay(),
        down: () => this.connection.down,
        probe: async () => {
          try {
            await this.connection.connected();
            this.connection.succeeded();
            return true;
          } catch (err) {
            this.connection.failed(err);
            return false;
          }
        },
        succeeded: (records, ms, again) => {
          this.counters.sent(records, ms);
          this.counters.replayed += again;
          this.redelivered += again;
          this.connection.succeeded();
        },
        failed: (err) => this.connection.failed(err),
        onLoopError: (err) =>
          this.logger.error(
            { sink: this.name, err: describeError(err) },
            'kafka sink delivery stopped unexpectedly',
          ),
      },
    );
    this.state = 'running';
    this.delivery.start();
    if (journal.hasReadable()) this.delivery.signal();
  }

  /** Sends what the journal holds within the deadline (a duration), keeps the rest for the next start. */
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
    const journal = this.journal as Journal;
    const delivery = this.delivery as Delivery;
    try {
      journal.commit();
      delivery.drain();
      // Kafka counting as down gets one more try: it may have come back during the back-off.
      const attempts = delivery.finishedAttempts;
      const reserve = Math.min(1000, deadlineMs * 0.2);
      while (
        !journal.isEmpty() &&
        !(this.connection.down && delivery.finishedAttempts > attempts) &&
        performance.now() < deadline - reserve
      ) {
        await sleep(5);
      }
      delivery.stop();
      // A batch still on its way: its acknowledgement saves sending it again at the next start.
      await settlesWithin(delivery.stopped, Math.max(0, deadline - performance.now() - reserve / 2));
      await this.connection.close(Math.min(2000, Math.max(100, deadline - performance.now())));
    } catch (err) {
      this.logger.error({ sink: this.name, err: describeError(err) }, 'kafka sink shutdown failed');
    } finally {
      journal.close();
      this.dropLog.flush();
      this.state = 'closed';
      const s = this.stats();
      const fields = {
        sink: this.name,
        written: s.written,
        journaled: s.journal.records,
        dropped: s.dropped,
      };
      if (s.journal.records > 0) {
        this.logger.warn(
          fields,
          'kafka sink stopped; records left in the journal are sent at the next start',
        );
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
