/** The `kafka` sink: batches to a topic from its journal (configured as `spool`). */
import path from 'node:path';
import { z } from 'zod';
import { nonEmpty, size, timerDuration, type DeepReadonly } from '../fields.js';
import { journalSchema } from './journal.js';
import type { SinkSpec } from './spec.js';

/** How a Kafka sink groups records into produce requests. */
const batchSchema = z
  .object({
    maxRecords: z.number().int().min(1).default(1000),
    // Kept under the broker's default message.max.bytes (1 MiB) even without compression.
    maxBytes: size.prefault('512kb'),
    linger: timerDuration.prefault('50ms'),
  })
  .strict();

/** A Kafka sink's memory: like other sinks', plus the level above which records go to the spool. */
const queueSchema = z
  .object({
    maxRecords: z.number().int().min(1).default(100_000),
    maxBytes: size.prefault('64mb'),
    highWaterMark: z.number().gt(0).max(1).default(0.8),
  })
  .strict();

/**
 * The Kafka sink's journal, under its old name: every record is written here before its event is
 * answered and leaves once Kafka acknowledged it. By default it lives where the spool did,
 * `{dataDir}/spool/<sink name>`, so a spool left by an older version is delivered, not stranded.
 */
const spoolSchema = journalSchema;

/**
 * TLS to the brokers: `true` trusts the system's CAs (what Confluent Cloud, MSK and Aiven's public
 * endpoints need); an object names PEM files for a private CA and, for mutual TLS, a client
 * certificate and key. Paths are relative to the config file's folder.
 */
const sslSchema = z.union([
  z.boolean(),
  z
    .object({
      ca: nonEmpty.optional(),
      cert: nonEmpty.optional(),
      key: nonEmpty.optional(),
      // Off only for a test cluster: it accepts any certificate, a man in the middle's included.
      rejectUnauthorized: z.boolean().default(true),
    })
    .strict()
    .refine((ssl) => (ssl.cert === undefined) === (ssl.key === undefined), {
      message: 'cert and key go together: a client certificate needs its private key',
    }),
]);

/** The SASL mechanisms the Kafka client speaks; the broker's listener decides which one it takes. */
const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;

/**
 * SASL authentication. The password is better kept out of the file: `passwordFile` (a mounted
 * secret) or the environment (see kafkaSecretEnvNames); `password` in the file works too. OAUTHBEARER
 * reads its token from `tokenFile`, again whenever the file changes, so whatever refreshes the token
 * (a sidecar, a cron job) only has to rewrite the file.
 */
const saslSchema = z
  .object({
    mechanism: z.enum(SASL_MECHANISMS),
    username: nonEmpty.optional(),
    password: nonEmpty.optional(),
    passwordFile: nonEmpty.optional(),
    tokenFile: nonEmpty.optional(),
  })
  .strict()
  .superRefine((sasl, ctx) => {
    const conflict = (key: string, message: string): void => {
      ctx.addIssue({ code: 'custom', path: [key], message });
    };
    if (sasl.mechanism === 'oauthbearer') {
      if (sasl.tokenFile === undefined)
        conflict('tokenFile', 'oauthbearer needs tokenFile, the file holding the current token');
      for (const key of ['username', 'password', 'passwordFile'] as const) {
        if (sasl[key] !== undefined) conflict(key, 'oauthbearer takes a token (tokenFile), not a ' + key);
      }
      return;
    }
    if (sasl.username === undefined) conflict('username', `${sasl.mechanism} needs a username`);
    if (sasl.password !== undefined && sasl.passwordFile !== undefined)
      conflict('passwordFile', 'give password or passwordFile, not both');
    if (sasl.tokenFile !== undefined) conflict('tokenFile', 'only oauthbearer reads a token file');
  });

const schema = z
  .object({
    type: z.literal('kafka'),
    brokers: z.array(nonEmpty).min(1).default(['localhost:9092']),
    topic: nonEmpty.default('clickstream'),
    clientId: nonEmpty.default('footfall'),
    framing: z.enum(['naked', 'confluent', 'druid-inline']).default('naked'),
    schemaId: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    acks: z.enum(['all', 'leader', 'none']).default('all'),
    // Producer ids and sequence numbers: the broker drops a batch the client sent twice (a retry after
    // "stale metadata" re-sends a whole request; without it 3 runs in 14 had hundreds of duplicates).
    // Kafka allows it only with acks: all; with leader or none it is off.
    idempotent: z.boolean().default(true),
    // lz4: 8.3 µs CPU per record in the collector and 12.3 in the broker (which inflates every batch to
    // validate it), no more than none; gzip 16.6 and 16.2 (docs/performance.md, "Kafka client and
    // compression").
    compression: z.enum(['none', 'gzip', 'lz4', 'zstd']).default('lz4'),
    createTopic: z.boolean().default(false),
    // A send not answered by then counts as failed and is retried: a broker that accepts connections
    // and never answers turns readiness red within this, not after the client's 30 s request timeout.
    deliveryTimeout: timerDuration.prefault('10s'),
    queue: queueSchema.prefault({}),
    batch: batchSchema.prefault({}),
    spool: spoolSchema.prefault({}),
    ssl: sslSchema.default(false),
    sasl: saslSchema.optional(),
  })
  .strict();

type KafkaSinkParsed = z.output<typeof schema>;
export type KafkaSinkConfig = DeepReadonly<
  Omit<KafkaSinkParsed, 'spool'> & { spool: Omit<KafkaSinkParsed['spool'], 'dir'> & { dir: string } }
>;

export const kafkaSinkSpec: SinkSpec<'kafka', typeof schema, KafkaSinkConfig> = {
  type: 'kafka',
  label: 'Kafka',
  schema,
  resolvePaths: (sink, name, dataDir, baseDir) => ({
    ...sink,
    ssl: typeof sink.ssl === 'boolean' ? sink.ssl : resolveFiles(sink.ssl, ['ca', 'cert', 'key'], baseDir),
    sasl: sink.sasl && resolveFiles(sink.sasl, ['passwordFile', 'tokenFile'], baseDir),
    spool: {
      ...sink.spool,
      dir: sink.spool.dir ? path.resolve(baseDir, sink.spool.dir) : path.join(dataDir, 'spool', name),
    },
  }),
  env: [
    {
      name: 'FOOTFALL_KAFKA_BROKERS',
      key: 'brokers',
      describe: 'comma-separated brokers for every Kafka sink',
      list: true,
      warnIfUnused: true,
    },
    { name: 'FOOTFALL_KAFKA_TOPIC', key: 'topic', describe: 'topic for every Kafka sink' },
  ],
};

/** The entry with the named file paths made absolute against the config file's folder. */
function resolveFiles<T extends object, K extends keyof T>(entry: T, keys: readonly K[], baseDir: string): T {
  const out = { ...entry };
  for (const key of keys) {
    const file = entry[key];
    if (typeof file === 'string') out[key] = path.resolve(baseDir, file) as T[K];
  }
  return out;
}
