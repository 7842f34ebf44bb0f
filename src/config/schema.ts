/**
 * The one config schema: every key, its type, its default. Durations and sizes arrive as strings
 * (`30m`, `4kb`) or numbers and leave as milliseconds and bytes. Objects are strict so a typo in a
 * key is an error that names the key instead of a silently ignored setting. Each source and sink type
 * keeps its own keys in sources/<type>.ts and sinks/<type>.ts; this file holds the rest.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { duration, ENTRY_NAME, nonEmpty, port, size, timerDuration, type DeepReadonly } from './fields.js';
import { sourceSchema, type SourceConfig } from './sources/index.js';
import { sinkSchema, type SinkConfig } from './sinks/index.js';
export {
  fileSinkSpec,
  kafkaSinkSpec,
  resolveSinkPaths,
  SINK_ENV_OVERRIDES,
  SINK_TYPES,
  sinkSchema,
} from './sinks/index.js';
export type { FileSinkConfig, KafkaSinkConfig, ParsedSinkConfig, SinkConfig } from './sinks/index.js';
export { SOURCE_TYPES, sourceEndpoints, sourceSchema } from './sources/index.js';
export type { BrowserSourceConfig, JsonSourceConfig, SourceConfig } from './sources/index.js';

/** An IPv4/IPv6 address or CIDR, as `server.trustProxies` takes them. */
const addressOrCidr = z.string().refine((entry) => {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}, 'expected an IP address or CIDR such as 10.0.0.0/8 or 2001:db8::/32');

export const mappingSchema = z
  .object({
    sources: z.array(nonEmpty).min(1),
    sinks: z.array(nonEmpty).min(1),
    schema: nonEmpty.default('builtin:footfall'),
    mapper: nonEmpty.default('builtin:footfall'),
    discardCorrupted: z.boolean().default(false),
    discardDuplicates: z.boolean().default(false),
  })
  .strict();

/**
 * Named entries. The names are checked by load.ts's cross-checks rather than by the record's key
 * schema, because zod skips the value of a key it refuses and the report would miss its problems;
 * the published JSON Schema checks them as property names.
 */
const named = <T extends z.ZodType>(entry: T) =>
  z
    .record(z.string(), entry)
    .optional()
    .meta({ propertyNames: { type: 'string', pattern: ENTRY_NAME.source } });

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    server: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: port.prefault(8290),
        trustProxies: z.array(addressOrCidr).default([]),
        workers: z.union([z.number().int().min(1).max(256), z.literal('auto')]).default(1),
        shutdownDelay: timerDuration.prefault('1s'),
        shutdownTimeout: timerDuration.prefault('25s'),
        maxUrlLength: size.prefault('8kb'),
        maxHeaderSize: size.prefault('16kb'),
        // Not a timer: Node's connection sweep compares each request's age with it.
        requestTimeout: duration.prefault('10s'),
        keepAliveTimeout: timerDuration.prefault('65s'),
      })
      .strict()
      .prefault({}),
    admin: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().min(1).default('127.0.0.1'),
        port: port.prefault(8291),
      })
      .strict()
      .prefault({}),
    inspector: z
      .object({
        // Off by default: the page shows what visitors send (identifiers, addresses, URLs).
        enabled: z.boolean().default(false),
        // Checked at load (load.ts): needed unless the admin listener is bound to loopback.
        token: z.string().min(16, 'use at least 16 characters').nullable().default(null),
        /** Events kept for a page that connects late (only those seen while someone watched). */
        bufferSize: z.number().int().min(1).max(10_000).default(500),
        /** Most events per second the inspector captures; above it, it samples. */
        maxEventsPerSecond: z.number().int().min(1).max(100_000).default(200),
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
    sources: named(sourceSchema),
    sinks: named(sinkSchema),
    mappings: named(mappingSchema),
  })
  .strict()
  .meta({
    title: 'Footfall configuration',
    description:
      'Every key is optional. Generated from the zod schema in src/config/ by `footfall config-schema`; see docs/configuration.md.',
  });

type Parsed = z.output<typeof configSchema>;

export type MappingConfig = DeepReadonly<z.output<typeof mappingSchema>>;

/** The effective, validated, frozen configuration every part of Footfall reads. */
export type FootfallConfig = DeepReadonly<Omit<Parsed, 'sources' | 'sinks' | 'mappings'>> & {
  readonly sources: Readonly<Record<string, SourceConfig>>;
  readonly sinks: Readonly<Record<string, SinkConfig>>;
  readonly mappings: Readonly<Record<string, MappingConfig>>;
};
