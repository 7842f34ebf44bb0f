/**
 * The Kafka sink's options, defaults, counters and errors: what callers (topology, metrics, tests)
 * need to know about it without reading its delivery logic, and the checks its options must pass.
 */
import { kafkaSinkSpec, type KafkaSinkConfig } from '../../config/index.js';
import { frame, type Framing } from '../../schema/index.js';
import type { KafkaClientPort } from './client.js';
import type { SendLatency } from './stats.js';
import type { SinkLogger } from '../sink-logger.js';
import type { SinkStats } from '../sink.js';
import type { JournalStats } from '../journal/journal.js';
import type { FsyncPolicy } from '../journal/policy.js';

/** The config entry without what names the sink's place (brokers, topic, spool folder). */
type KafkaSinkSettings = Omit<KafkaSinkConfig, 'brokers' | 'topic' | 'spool'> & {
  readonly spool: Omit<KafkaSinkConfig['spool'], 'dir'>;
};

/**
 * The options config sets besides the sink's place; the type makes an option added to
 * KafkaSinkOptions a compile error here until it is either mapped from config or listed as internal.
 */
type ConfiguredOptions = Required<
  Omit<
    KafkaSinkOptions,
    'name' | 'brokers' | 'topic' | 'spoolDir' | 'retryDelayMs' | 'maxRetryDelayMs' | 'logger' | 'client'
  >
>;

/** The config keys that tune the sink, renamed for its options; see kafkaSinkOptions for the rest. */
function settingsOf(config: KafkaSinkSettings): ConfiguredOptions {
  return {
    clientId: config.clientId,
    framing: config.framing,
    schemaId: config.schemaId,
    acks: config.acks,
    compression: config.compression,
    createTopic: config.createTopic,
    deliveryTimeoutMs: config.deliveryTimeout,
    maxQueueRecords: config.queue.maxRecords,
    maxQueueBytes: config.queue.maxBytes,
    highWaterMark: config.queue.highWaterMark,
    batchMaxRecords: config.batch.maxRecords,
    batchMaxBytes: config.batch.maxBytes,
    lingerMs: config.batch.linger,
    spoolMaxBytes: config.spool.maxBytes,
    spoolSegmentBytes: config.spool.segmentSize,
    fsync: config.spool.fsync,
    fsyncIntervalMs: config.spool.fsyncInterval,
  };
}

/**
 * What a sink built directly (tests, tools) gets for the options it leaves out. The config schema
 * is the one place defaults are written: these are its defaults, renamed by the same table the wing
 * uses, plus the back-off that config does not expose.
 */
const KAFKA_SINK_DEFAULTS = {
  ...settingsOf(kafkaSinkSpec.schema.parse({ type: 'kafka' })),
  retryDelayMs: 250,
  maxRetryDelayMs: 5000,
};

export interface KafkaSinkOptions {
  readonly name: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly spoolDir: string;
  readonly clientId?: string;
  readonly framing?: Framing;
  readonly schemaId?: number;
  readonly acks?: 'all' | 'leader' | 'none';
  readonly compression?: 'none' | 'gzip';
  /** Create a missing topic at start (broker defaults for partitions and replication) instead of failing. */
  readonly createTopic?: boolean;
  /** Records held in memory, all told. */
  readonly maxQueueRecords?: number;
  readonly maxQueueBytes?: number;
  /** Fraction of the memory bounds above which new records go to the spool. */
  readonly highWaterMark?: number;
  readonly batchMaxRecords?: number;
  readonly batchMaxBytes?: number;
  /** Longest a record waits in memory for its batch to fill. */
  readonly lingerMs?: number;
  readonly spoolMaxBytes?: number;
  readonly spoolSegmentBytes?: number;
  readonly fsync?: FsyncPolicy;
  readonly fsyncIntervalMs?: number;
  /** First pause after a failed send; doubles up to maxRetryDelayMs. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** A send not answered by then counts as failed (a hung broker), is retried and turns readiness red. */
  readonly deliveryTimeoutMs?: number;
  readonly logger?: SinkLogger;
  /** The Kafka client; tests pass a fake. Default: kafkajs with the options above. */
  readonly client?: KafkaClientPort;
}

/** The sink's options for one entry of the frozen config: the config keys, renamed for the sink. */
export function kafkaSinkOptions(
  name: string,
  config: KafkaSinkConfig,
  logger: SinkLogger,
): KafkaSinkOptions {
  return {
    name,
    brokers: config.brokers,
    topic: config.topic,
    spoolDir: config.spool.dir,
    ...settingsOf(config),
    logger,
  };
}

/** What tests and the metric figures read: the standard counts plus Kafka's and the journal's. */
export interface KafkaSinkStats extends SinkStats {
  readonly journal: JournalStats;
  /** Records sent a second time (after a failed send, or found in the journal at start): at-least-once's cost. */
  readonly redelivered: number;
  /** Successful produce requests. */
  readonly batches: number;
  /** Failed sends and connection attempts. */
  readonly sendErrors: number;
  /** Records delivered again after a failure (not counting those found in the journal at start). */
  readonly replayed: number;
  readonly sendLatency: SendLatency;
  /** 1 while sends succeed, 0 while Kafka is unreachable or the sink is not running. */
  readonly brokerReachable: number;
}

export class KafkaSinkError extends Error {
  constructor(
    readonly code: 'FOOTFALL_ERR_KAFKA_TOPIC' | 'FOOTFALL_ERR_KAFKA_CONFIG',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'KafkaSinkError';
  }
}

/** The options with every default filled in; the client and logger are kept apart. */
export type ResolvedKafkaSinkOptions = Required<Omit<KafkaSinkOptions, 'client' | 'logger'>>;

/** Fills in the defaults and checks the result; throws FOOTFALL_ERR_KAFKA_CONFIG on the first problem. */
export function resolveKafkaSinkOptions(options: KafkaSinkOptions): ResolvedKafkaSinkOptions {
  const fail = (message: string): never => {
    throw new KafkaSinkError('FOOTFALL_ERR_KAFKA_CONFIG', `kafka sink "${options.name}": ${message}`);
  };
  if (!options.name) fail('name must not be empty');
  if (options.brokers.length === 0) fail('brokers must name at least one broker');
  if (!options.topic) fail('topic must not be empty');
  if (!options.spoolDir) fail('spoolDir is required');
  const { client: _client, logger: _logger, ...rest } = options;
  const o = { ...KAFKA_SINK_DEFAULTS, ...stripUndefined(rest) } as ResolvedKafkaSinkOptions;
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
    'deliveryTimeoutMs',
  ] as const) {
    if (!(o[key] > 0)) fail(`${key} must be a positive number, got ${o[key]}`);
  }
  if (!(o.lingerMs >= 0)) fail(`lingerMs must be >= 0, got ${o.lingerMs}`);
  if (!(o.highWaterMark > 0 && o.highWaterMark <= 1))
    fail(`highWaterMark must be in (0, 1], got ${o.highWaterMark}`);
  // Checked once here rather than failing on the first record.
  frame(Buffer.alloc(0), o.framing, o.schemaId);
  return o;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
