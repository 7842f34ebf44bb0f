/**
 * kafkajs behind two small ports, so the Kafka sink's delivery logic (ordering, spooling, replay) is
 * tested without a broker and the client library could be swapped without touching it.
 *
 * kafkajs retries on its own; here it retries only briefly, because a send that hangs in the client's
 * retries is time the sink would rather spend moving memory to the spool. The sink does the long,
 * patient retrying itself.
 */
import { CompressionTypes, Kafka, logLevel, type Producer, type SASLOptions } from 'kafkajs';
import { keyHashPartitioner } from './partitioner.js';
import type { KafkaSasl, KafkaSecurity } from './security.js';
import type { JournalRecord } from '../journal/format.js';

export interface KafkaProducerPort {
  connect(): Promise<void>;
  /** Resolves once the broker acknowledged every record (as `acks` asks); rejects otherwise. */
  send(records: readonly JournalRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

export type TopicCheck = 'exists' | 'created' | 'missing';

export interface KafkaClientPort {
  producer(): KafkaProducerPort;
  /** Whether the topic exists, creating it (with the broker's defaults) when `create` is set. */
  checkTopic(topic: string, create: boolean): Promise<TopicCheck>;
}

export interface KafkajsClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  readonly acks: 'all' | 'leader' | 'none';
  readonly compression: 'none' | 'gzip';
  /** How long one connection attempt may take. */
  readonly connectionTimeoutMs?: number;
  /** How long the broker may take to acknowledge one produce request. */
  readonly requestTimeoutMs?: number;
  /** TLS and SASL, already read from their files. Default: plaintext. */
  readonly security?: KafkaSecurity;
}

const ACKS = { all: -1, leader: 1, none: 0 } as const;

export function kafkajsClient(options: KafkajsClientOptions): KafkaClientPort {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // The sink logs state changes itself; kafkajs would log every failed reconnect of an outage.
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    ...(options.security?.tls ? { ssl: { ...options.security.tls } } : {}),
    ...(options.security?.sasl ? { sasl: kafkajsSasl(options.security.sasl) } : {}),
  });
  const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  const acks = ACKS[options.acks];
  return {
    producer(): KafkaProducerPort {
      const producer: Producer = kafka.producer({
        allowAutoTopicCreation: false,
        // Java's murmur2 partitioning: a party lands on the partition any Java client would pick.
        createPartitioner: keyHashPartitioner,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
        maxInFlightRequests: 1,
      });
      return {
        connect: () => producer.connect(),
        disconnect: () => producer.disconnect(),
        async send(records) {
          await producer.send({
            topic: options.topic,
            acks,
            compression,
            timeout: options.requestTimeoutMs ?? 30_000,
            messages: records.map((record) => ({
              key: record.key,
              value: record.value,
              timestamp: String(record.timestamp),
            })),
          });
        },
      };
    },
    async checkTopic(topic, create) {
      const admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1000 } });
      await admin.connect();
      try {
        if ((await admin.listTopics()).includes(topic)) return 'exists';
        if (!create) return 'missing';
        // Partitions and replication factor -1: the broker's num.partitions and default.replication.factor.
        await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
        return 'created';
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
  };
}

function kafkajsSasl(sasl: KafkaSasl): SASLOptions {
  if (sasl.mechanism === 'oauthbearer') {
    const token = sasl.token;
    return { mechanism: 'oauthbearer', oauthBearerProvider: () => Promise.resolve({ value: token() }) };
  }
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password.reveal() };
}

export type KafkaFailure =
  /** The topic does not exist (deleted, or never created and auto-creation is off). */
  | 'topic'
  /** The broker refuses these records for good (too large, invalid); retrying cannot help. */
  | 'record'
  /** Anything else: unreachable, leader moving, timeouts. Retried. */
  | 'outage';

const RECORD_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
]);

/** Looks through kafkajs's wrapping (retries exceeded → cause → protocol error) for the broker's error type. */
export function classifyKafkaError(err: unknown): KafkaFailure {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    const { type, cause, originalError, errors } = next as {
      type?: unknown;
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    if (type === 'UNKNOWN_TOPIC_OR_PARTITION') return 'topic';
    if (typeof type === 'string' && RECORD_ERRORS.has(type)) return 'record';
    queue.push(cause, originalError);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return 'outage';
}

export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== err.message
    ? `${err.message} (${cause.message})`
    : err.message;
}
