/**
 * The one config schema: every key, its type, its default. Durations and sizes arrive as strings
 * (`30m`, `4kb`) or numbers and leave as milliseconds and bytes. Objects are strict so a typo in a
 * key is an error that names the key instead of a silently ignored setting. Each source and sink type
 * keeps its own keys in sources/<type>.ts and sinks/<type>.ts; this file holds the rest.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { duration, nonEmpty, port, size, type DeepReadonly } from './fields.js';
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

export type MappingConfig = DeepReadonly<z.output<typeof mappingSchema>>;

/** The effective, validated, frozen configuration every part of Footfall reads. */
export type FootfallConfig = DeepReadonly<Omit<Parsed, 'sources' | 'sinks' | 'mappings'>> & {
  readonly sources: Readonly<Record<string, SourceConfig>>;
  readonly sinks: Readonly<Record<string, SinkConfig>>;
  readonly mappings: Readonly<Record<string, MappingConfig>>;
};
