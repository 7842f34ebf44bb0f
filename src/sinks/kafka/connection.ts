/**
 * What the Kafka sink knows about the broker: whether the topic was found, whether sends work, the
 * producer in use and the back-off between attempts. State changes are logged once each, never per
 * failed attempt, so an outage of an hour is two log lines, not thousands.
 */
import { classifyKafkaError, describeError, type KafkaClientPort, type KafkaProducerPort } from './client.js';
import { KafkaSinkError } from './options.js';
import { explainSecurityError } from './security.js';
import type { KafkaStats } from './stats.js';
import type { SinkLogger } from '../sink-logger.js';
import type { JournalRecord } from '../journal/format.js';
import { settlesWithin } from '../settles-within.js';

export interface KafkaConnectionOptions {
  readonly sink: string;
  readonly client: KafkaClientPort;
  readonly topic: string;
  readonly createTopic: boolean;
  readonly brokers: readonly string[];
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly logger: SinkLogger;
  readonly counters: KafkaStats;
  /** Records waiting in the spool, for the "back again" log line. */
  readonly spooled: () => number;
}

export class KafkaConnection {
  readonly brokerList: string;
  private producer: KafkaProducerPort | null = null;
  private topicVerified = false;
  private topicProblem: string | null = null;
  private unreachable = false;
  private downSince = 0;
  private lastError: string | null = null;
  /** What TLS or SASL refused in the last failure ("SASL authentication failed"); null for an outage. */
  private refused: string | null = null;
  private attempt = 0;

  constructor(private readonly o: KafkaConnectionOptions) {
    this.brokerList = o.brokers.join(',');
  }

  /** True from a failed send or connection attempt until the next one that works. */
  get down(): boolean {
    return this.unreachable;
  }

  /** Why the sink cannot deliver right now, for readiness; null while it can. */
  problem(): string | null {
    if (this.topicProblem) return this.topicProblem;
    if (!this.unreachable) return null;
    const state = this.refused !== null ? 'refused the connection' : 'unreachable';
    return `kafka sink "${this.o.sink}": Kafka (${this.brokerList}) ${state}: ${this.lastError ?? 'not connected'}`;
  }

  /** Checks the topic; rejects with FOOTFALL_ERR_KAFKA_TOPIC when it is missing and may not be created. */
  async verifyTopic(): Promise<void> {
    const check = await this.o.client.checkTopic(this.o.topic, this.o.createTopic);
    if (check === 'missing') {
      throw new KafkaSinkError(
        'FOOTFALL_ERR_KAFKA_TOPIC',
        `topic "${this.o.topic}" does not exist on ${this.brokerList} (sink "${this.o.sink}"); create it, or set createTopic: true to let Footfall create it`,
      );
    }
    if (check === 'created')
      this.o.logger.info({ sink: this.o.sink, topic: this.o.topic }, 'Kafka topic created');
    this.topicVerified = true;
  }

  /** A connected producer, checking the topic first when that has not succeeded yet. */
  async connected(): Promise<KafkaProducerPort> {
    if (!this.topicVerified) await this.verifyTopic();
    if (this.producer) return this.producer;
    const producer = this.o.client.producer();
    try {
      await producer.connect();
    } catch (err) {
      void producer.disconnect().catch(() => {});
      throw err;
    }
    this.producer = producer;
    return producer;
  }

  /**
   * Sends records and returns how many the broker refused for good. A batch refused as such (too
   * large, invalid) is halved until the culprit is alone; only that one is given up. Other failures
   * reject, for the caller to spool and retry.
   */
  async send(records: JournalRecord[]): Promise<number> {
    const producer = await this.connected();
    return this.sendOrSplit(producer, records);
  }

  private async sendOrSplit(producer: KafkaProducerPort, records: JournalRecord[]): Promise<number> {
    try {
      await producer.send(records);
      return 0;
    } catch (err) {
      if (classifyKafkaError(err) !== 'record') throw err;
      if (records.length === 1) {
        this.o.counters.rejected++;
        this.o.logger.error(
          { sink: this.o.sink, err: describeError(err), bytes: records[0]?.value.length },
          'Kafka refused a record; it is dropped',
        );
        return 1;
      }
      const mid = records.length >> 1;
      return (
        (await this.sendOrSplit(producer, records.slice(0, mid))) +
        (await this.sendOrSplit(producer, records.slice(mid)))
      );
    }
  }

  failed(err: unknown): void {
    this.o.counters.sendErrors++;
    const security = explainSecurityError(err);
    const detail = security ?? describeError(err);
    const producer = this.producer;
    this.producer = null;
    // A fresh producer after a failure: new connections and, when idempotent, a new producer id, so
    // no sequence number of a half-sent batch is left to trip over.
    if (producer) void producer.disconnect().catch(() => {});
    if (err instanceof KafkaSinkError || classifyKafkaError(err) === 'topic') {
      this.topicVerified = false;
      const problem =
        err instanceof KafkaSinkError
          ? err.message
          : `FOOTFALL_ERR_KAFKA_TOPIC: topic "${this.o.topic}" not found on ${this.brokerList}`;
      if (problem !== this.topicProblem) {
        this.o.logger.error(
          { sink: this.o.sink, topic: this.o.topic, code: 'FOOTFALL_ERR_KAFKA_TOPIC' },
          `${problem}; records wait in the journal`,
        );
      }
      this.topicProblem = problem;
    }
    // A refusal is logged as an error, and again when its kind changes: it needs a person to act.
    // The kind leaves out the library's wording, which may differ from one broker to the next.
    const refused = security === null ? null : (security.split(' (')[0] ?? security);
    if (refused !== null && refused !== this.refused) {
      this.o.logger.error(
        { sink: this.o.sink, brokers: this.brokerList, err: detail, code: 'FOOTFALL_ERR_KAFKA_AUTH' },
        'Kafka refused the connection; records wait in the journal until TLS or SASL settings are fixed',
      );
    } else if (refused === null && !this.unreachable) {
      this.o.logger.warn(
        { sink: this.o.sink, brokers: this.brokerList, err: detail },
        'Kafka unreachable; records wait in the journal until it is back',
      );
    }
    if (!this.unreachable) {
      this.unreachable = true;
      this.downSince = performance.now();
    }
    this.refused = refused;
    this.lastError = detail;
  }

  succeeded(): void {
    this.attempt = 0;
    if (this.topicProblem)
      this.o.logger.info({ sink: this.o.sink, topic: this.o.topic }, 'Kafka topic found');
    this.topicProblem = null;
    if (!this.unreachable) return;
    this.unreachable = false;
    this.refused = null;
    this.lastError = null;
    this.o.logger.info(
      {
        sink: this.o.sink,
        downMs: Math.round(performance.now() - this.downSince),
        journaled: this.o.spooled(),
      },
      'Kafka reachable again; sending what the journal holds',
    );
  }

  /** The pause before the next attempt: doubling from retryDelayMs up to maxRetryDelayMs. */
  nextDelay(): number {
    const delay = Math.min(this.o.retryDelayMs * 2 ** this.attempt, this.o.maxRetryDelayMs);
    this.attempt++;
    return delay;
  }

  /** Disconnects the producer; resolves within `ms` whatever the broker does. */
  async close(ms: number): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    if (producer) await settlesWithin(producer.disconnect(), ms);
  }
}
