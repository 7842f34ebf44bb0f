/**
 * The one config schema: every key, its type, its default. Durations and sizes arrive as strings
 * (`30m`, `4kb`) or numbers and leave as milliseconds and bytes. Objects are strict so a typo in a
 * key is an error that names the key instead of a silently ignored setting.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseDuration, parseSize } from './units.js';

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration such as 500ms, 30s, 30m, 1h or 730d; got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return ms;
});

const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a size such as 4kb, 16mb or 1gb; got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return bytes;
});

/** An IPv4/IPv6 address or CIDR, as `server.trustProxies` takes them. */
const addressOrCidr = z.string().refine((entry) => {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}, 'expected an IP address or CIDR such as 10.0.0.0/8 or 2001:db8::/32');

const port = z.coerce.number().int().min(0).max(65535);
const nonEmpty = z.string().min(1);

/** A URL path prefix: starts and ends with `/`, no query or fragment. */
const prefix = z
  .string()
  .regex(
    /^\/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+\/)*$/,
    'must start and end with "/" and contain only URL path characters',
  );

/** One path segment, used for script and event names under a prefix. */
const segment = z
  .string()
  .regex(/^[A-Za-z0-9._~-]+$/, 'must be a single URL path segment (letters, digits, . _ ~ -)');

/** An RFC 6265 cookie name: it is written into `document.cookie` and `Set-Cookie` as it is. */
const cookieName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be a cookie name (letters, digits and !#$%&'*+.^_`|~-)");

const browserSource = z
  .object({
    type: z.literal('browser'),
    prefix: prefix.default('/'),
    scriptName: segment.default('divolte.js'),
    eventSuffix: segment.default('csc-event'),
    partyCookie: cookieName.default('_dvp'),
    sessionCookie: cookieName.default('_dvs'),
    partyTimeout: duration.prefault('730d'),
    sessionTimeout: duration.prefault('30m'),
    cookieDomain: z
      .string()
      .regex(/^\.?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/, 'must be a domain such as example.com or .example.com')
      .nullable()
      .default(null),
    cookieSameSite: z.enum(['lax', 'strict', 'none']).default('lax'),
    cookieSecure: z.enum(['auto', 'always', 'never']).default('auto'),
    serverCookies: z.boolean().default(false),
    partyAnchorCookie: cookieName.nullable().default(null),
    autoPageView: z.boolean().default(true),
    spaPageViews: z.enum(['off', 'path', 'full']).default('off'),
    honorPrivacySignals: z.boolean().default(false),
    scriptCacheMaxAge: duration.prefault('1h'),
    demoPage: z.boolean().default(true),
  })
  .strict()
  .refine((source) => source.cookieSameSite !== 'none' || source.cookieSecure !== 'never', {
    message: 'cookieSameSite: none needs secure cookies; browsers drop it otherwise',
    path: ['cookieSecure'],
  })
  .refine(
    (source) =>
      source.partyAnchorCookie === null ||
      (source.partyAnchorCookie !== source.partyCookie && source.partyAnchorCookie !== source.sessionCookie),
    {
      message: 'must differ from partyCookie and sessionCookie: the tracker cannot read an HttpOnly cookie',
      path: ['partyAnchorCookie'],
    },
  );

const jsonSource = z
  .object({
    type: z.literal('json'),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'must be a URL path starting with "/"')
      .default('/json'),
    partyIdParameter: segment.default('p'),
    maxBodySize: size.prefault('4kb'),
    maxEventsPerRequest: z.number().int().min(1).max(10_000).default(100),
    corsOrigins: z.array(z.string()).default([]),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion('type', [browserSource, jsonSource]);

const mappingSchema = z
  .object({
    sources: z.array(nonEmpty).min(1),
    sinks: z.array(nonEmpty).min(1),
    schema: nonEmpty.default('builtin:footfall'),
    mapper: nonEmpty.default('builtin:footfall'),
    discardCorrupted: z.boolean().default(false),
    discardDuplicates: z.boolean().default(false),
  })
  .strict();

/** How much a sink may hold in memory before it refuses records (which are then counted as dropped). */
const queueSchema = z
  .object({
    maxRecords: z.number().int().min(1).default(100_000),
    maxBytes: size.prefault('64mb'),
  })
  .strict();

/** How a Kafka sink groups records into produce requests. */
const batchSchema = z
  .object({
    maxRecords: z.number().int().min(1).default(1000),
    // Kept under the broker's default message.max.bytes (1 MiB) even without compression.
    maxBytes: size.prefault('512kb'),
    linger: duration.prefault('50ms'),
  })
  .strict();

/** A Kafka sink's memory: like other sinks', plus the level above which records go to the spool. */
const kafkaQueueSchema = z
  .object({
    maxRecords: z.number().int().min(1).default(100_000),
    maxBytes: size.prefault('64mb'),
    highWaterMark: z.number().gt(0).max(1).default(0.8),
  })
  .strict();

/** Where a Kafka sink keeps records while Kafka is away or slower than the traffic. */
const spoolSchema = z
  .object({
    // Null means "{dataDir}/spool/<sink name>"; resolved after parsing, like the file sink's folders.
    dir: z.string().min(1).nullable().default(null),
    maxBytes: size.prefault('1gb'),
    segmentSize: size.prefault('16mb'),
    fsync: z.enum(['always', 'interval', 'never']).default('interval'),
    fsyncInterval: duration.prefault('1s'),
  })
  .strict();

const fileSink = z
  .object({
    type: z.literal('file'),
    // Null means "under dataDir"; resolved after parsing so FOOTFALL_DATA_DIR moves both folders.
    workingDir: z.string().min(1).nullable().default(null),
    publishDir: z.string().min(1).nullable().default(null),
    roll: duration.prefault('1h'),
    rollSize: size.prefault('64mb'),
    flushEveryRecords: z.number().int().min(1).default(1000),
    flushInterval: duration.prefault('1s'),
    codec: z.enum(['null', 'deflate']).default('null'),
    queue: queueSchema.prefault({}),
  })
  .strict();

const kafkaSink = z
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
    compression: z.enum(['none', 'gzip']).default('gzip'),
    createTopic: z.boolean().default(false),
    queue: kafkaQueueSchema.prefault({}),
    batch: batchSchema.prefault({}),
    spool: spoolSchema.prefault({}),
  })
  .strict();

export const sinkSchema = z.discriminatedUnion('type', [fileSink, kafkaSink]);

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    server: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: port.default(8290),
        trustProxies: z.array(addressOrCidr).default([]),
        workers: z.union([z.number().int().min(1).max(256), z.literal('auto')]).default(1),
        shutdownDelay: duration.prefault('1s'),
        shutdownTimeout: duration.prefault('25s'),
        maxUrlLength: size.prefault('8kb'),
        maxHeaderSize: size.prefault('16kb'),
        requestTimeout: duration.prefault('10s'),
        keepAliveTimeout: duration.prefault('65s'),
      })
      .strict()
      .prefault({}),
    admin: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8291),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({ level: logLevel.default('info') })
      .strict()
      .prefault({}),
    enrich: z
      .object({
        geoDatabase: z.string().min(1).nullable().default(null),
        asnDatabase: z.string().min(1).nullable().default(null),
        userAgentCacheSize: z.number().int().min(0).default(10_000),
      })
      .strict()
      .prefault({}),
    privacy: z
      .object({
        ipAddress: z.enum(['full', 'truncate', 'drop']).default('full'),
        honorDoNotTrack: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    duplicates: z
      .object({ memorySize: z.number().int().min(1).max(100_000_000).default(1_000_000) })
      .strict()
      .prefault({}),
    sources: z.record(z.string(), sourceSchema).optional(),
    sinks: z.record(z.string(), sinkSchema).optional(),
    mappings: z.record(z.string(), mappingSchema).optional(),
  })
  .strict();

type Parsed = z.output<typeof configSchema>;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type BrowserSourceConfig = DeepReadonly<z.output<typeof browserSource>>;
export type JsonSourceConfig = DeepReadonly<z.output<typeof jsonSource>>;
export type SourceConfig = BrowserSourceConfig | JsonSourceConfig;
export type MappingConfig = DeepReadonly<z.output<typeof mappingSchema>>;
export type QueueConfig = DeepReadonly<z.output<typeof queueSchema>>;
export type FileSinkConfig = DeepReadonly<
  Omit<z.output<typeof fileSink>, 'workingDir' | 'publishDir'> & { workingDir: string; publishDir: string }
>;
type KafkaSinkParsed = z.output<typeof kafkaSink>;
export type KafkaSinkConfig = DeepReadonly<
  Omit<KafkaSinkParsed, 'spool'> & { spool: Omit<KafkaSinkParsed['spool'], 'dir'> & { dir: string } }
>;
export type SinkConfig = FileSinkConfig | KafkaSinkConfig;

/** The effective, validated, frozen configuration every part of Footfall reads. */
export type FootfallConfig = DeepReadonly<Omit<Parsed, 'sources' | 'sinks' | 'mappings'>> & {
  readonly sources: Readonly<Record<string, SourceConfig>>;
  readonly sinks: Readonly<Record<string, SinkConfig>>;
  readonly mappings: Readonly<Record<string, MappingConfig>>;
};
