/**
 * Loading the configuration: file → environment overrides → validation of everything at once →
 * defaults for the topology → cross-checks → deep freeze. Every problem is reported with its key
 * path and where the value came from, so an operator fixes all of them in one go.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ENTRY_NAME } from './fields.js';
import {
  configSchema,
  mappingSchema,
  resolveSinkPaths,
  SINK_ENV_OVERRIDES,
  SINK_TYPES,
  sinkSchema,
  SOURCE_TYPES,
  sourceEndpoints,
  sourceSchema,
  type FootfallConfig,
  type MappingConfig,
  type ParsedSinkConfig,
  type SinkConfig,
  type SourceConfig,
} from './schema.js';

export interface ConfigIssue {
  /** Dotted key path, e.g. `sinks.kafka.brokers`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
  /** `default`, `file <name>` or `environment variable <NAME>`. */
  readonly origin: string;
}

export type ConfigResult =
  | {
      readonly ok: true;
      readonly config: FootfallConfig;
      readonly warnings: readonly string[];
      readonly file: string | null;
    }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[]; readonly file: string | null };

export interface LoadOptions {
  /** Config file path; falls back to FOOTFALL_CONFIG; none means built-in defaults. */
  readonly file?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths in the environment; the file's own folder is the base for its paths. */
  readonly cwd?: string;
}

/** Environment variables that override one key each (not a sink type's; those are in SINK_ENV_OVERRIDES). */
const GLOBAL_OVERRIDES: readonly { name: string; path: string; describe: string }[] = [
  { name: 'FOOTFALL_HOST', path: 'server.host', describe: 'address to listen on' },
  { name: 'FOOTFALL_PORT', path: 'server.port', describe: 'port to listen on' },
  { name: 'FOOTFALL_WORKERS', path: 'server.workers', describe: 'worker processes, a number or `auto`' },
  {
    name: 'FOOTFALL_TRUST_PROXIES',
    path: 'server.trustProxies',
    describe: 'comma-separated addresses/CIDRs',
  },
  { name: 'FOOTFALL_ADMIN_HOST', path: 'admin.host', describe: 'address of the metrics and health listener' },
  { name: 'FOOTFALL_ADMIN_PORT', path: 'admin.port', describe: 'port of the metrics and health listener' },
  { name: 'FOOTFALL_INSPECTOR', path: 'inspector.enabled', describe: '`true` serves the live inspector' },
  {
    name: 'FOOTFALL_INSPECTOR_TOKEN',
    path: 'inspector.token',
    describe: 'token for /inspect and `footfall tail`',
  },
  { name: 'FOOTFALL_DATA_DIR', path: 'dataDir', describe: 'base folder for file sinks and spools' },
  {
    name: 'FOOTFALL_LOG_LEVEL',
    path: 'logging.level',
    describe: 'fatal, error, warn, info, debug, trace, silent',
  },
  {
    name: 'FOOTFALL_GEO_DATABASE',
    path: 'enrich.geoDatabase',
    describe: 'path of a GeoIP2/GeoLite2 City database',
  },
];

/**
 * Environment variables that override single keys: the global ones, then the ones sink types declare
 * for all their sinks (`sinks.*.<key>`). Documented in the README; keep both in sync.
 */
export const ENV_OVERRIDES: readonly { name: string; path: string; describe: string }[] = [
  ...GLOBAL_OVERRIDES,
  ...SINK_ENV_OVERRIDES.map(({ name, key, describe }) => ({ name, path: `sinks.*.${key}`, describe })),
];

/** yaml's own default: plenty for a config that shares a block or two through anchors. */
const MAX_ALIAS_COUNT = 100;

type Raw = Record<string, unknown>;

export function loadConfig(options: LoadOptions = {}): ConfigResult {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const fileArg = options.file ?? env.FOOTFALL_CONFIG;
  const file = fileArg ? path.resolve(cwd, fileArg) : null;
  const fileOrigin = file ? `file ${fileArg}` : 'default';
  const issues: ConfigIssue[] = [];

  let raw: Raw = {};
  if (file) {
    const read = readYaml(file, fileArg as string);
    if ('issues' in read) return { ok: false, issues: read.issues, file };
    raw = read.value;
  }

  const envOrigins = new Map<string, string>();
  const warnings: string[] = [];
  applyEnvironment(raw, env, envOrigins, warnings);

  const originOf = (keyPath: string): string => {
    for (const [envPath, origin] of envOrigins) {
      if (keyPath === envPath || keyPath.startsWith(`${envPath}.`)) return origin;
    }
    return hasPath(raw, keyPath) && file ? fileOrigin : 'default';
  };

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) issues.push(...parsed.error.issues.flatMap((issue) => toIssues(issue, originOf)));
  // On whatever parsed, so that a bad port does not hide a mapping naming a sink that does not exist:
  // the operator gets every problem in one report.
  crossCheck(entriesOf(raw), issues, originOf);
  if (parsed.success) checkInspector(parsed.data, issues, originOf);
  if (!parsed.success || issues.length > 0) return { ok: false, issues, file };

  const value = parsed.data;
  const baseDir = file ? path.dirname(file) : cwd;
  const sources: Record<string, SourceConfig> = value.sources ?? defaultSources();
  const sinks = resolveSinks(value.sinks ?? defaultSinks(), value.dataDir, baseDir);
  const mappings: Record<string, MappingConfig> = value.mappings ?? defaultMappings(sources, sinks);

  for (const { name, key, type, label, warnIfUnused } of SINK_ENV_OVERRIDES) {
    if (!warnIfUnused || !envOrigins.has(`sinks.*.${key}`)) continue;
    if (!Object.values(sinks).some((sink) => sink.type === type)) {
      warnings.push(`${name} is set but no ${label} sink is configured; it has no effect`);
    }
  }
  const config = deepFreeze({ ...value, sources, sinks, mappings }) as FootfallConfig;
  return { ok: true, config, warnings, file };
}

function readYaml(file: string, shown: string): { value: Raw } | { issues: ConfigIssue[] } {
  const origin = `file ${shown}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    return { issues: [{ path: '', origin, message: `cannot read the config file (${code})` }] };
  }
  let value: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
      return {
        issues: doc.errors.map((e) => ({ path: '', origin, message: e.message.split('\n')[0] ?? e.message })),
      };
    }
    // Nine anchors of nine aliases each ("billion laughs") expand a few hundred bytes into 9^9 nodes;
    // yaml refuses beyond maxAliasCount by throwing, which reached the CLI as a raw stack trace, exit 1.
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const excessive = err instanceof ReferenceError && /excessive alias count/i.test(err.message);
    const message = excessive
      ? `refused: its YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} expansions, as in a "billion laughs" attack); write the values out instead`
      : `cannot parse the config file: ${(err as Error)?.message ?? String(err)}`;
    return { issues: [{ path: '', origin, message }] };
  }
  if (value === null || value === undefined) return { value: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      issues: [{ path: '', origin, message: 'the config file must hold a YAML mapping at the top level' }],
    };
  }
  return { value: value as Raw };
}

function applyEnvironment(
  raw: Raw,
  env: Readonly<Record<string, string | undefined>>,
  origins: Map<string, string>,
  warnings: string[],
): void {
  const list = (s: string): string[] =>
    s
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0);
  for (const { name, path: keyPath } of GLOBAL_OVERRIDES) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const origin = `environment variable ${name}`;
    let value: unknown = text;
    if (keyPath === 'server.trustProxies') value = list(text);
    if (keyPath === 'inspector.enabled') value = text === 'true' ? true : text === 'false' ? false : text;
    if (keyPath === 'server.workers')
      value = text === 'auto' ? 'auto' : /^\d+$/.test(text) ? Number(text) : text;
    setPath(raw, keyPath, value);
    origins.set(keyPath, origin);
  }
  // A sink type's override reaches every sink of that type the file declares; it declares none itself.
  for (const { name, key, type, list: isList } of SINK_ENV_OVERRIDES) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const origin = `environment variable ${name}`;
    origins.set(`sinks.*.${key}`, origin);
    const sinks = raw.sinks;
    if (!sinks || typeof sinks !== 'object') continue;
    for (const [sinkName, sink] of Object.entries(sinks as Raw)) {
      if (sink && typeof sink === 'object' && (sink as Raw).type === type) {
        (sink as Raw)[key] = isList ? list(text) : text;
        origins.set(`sinks.${sinkName}.${key}`, origin);
      }
    }
  }
  if (env.FOOTFALL_PORT !== undefined && env.PORT !== undefined) {
    warnings.push('both FOOTFALL_PORT and PORT are set; Footfall only reads FOOTFALL_PORT');
  }
}

function toIssues(issue: z.core.$ZodIssue, originOf: (p: string) => string): ConfigIssue[] {
  const base = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const keyPath = base ? `${base}.${key}` : key;
      return { path: keyPath, origin: originOf(keyPath), message: 'unknown key' };
    });
  }
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return [{ path: base, origin: originOf(base), message: describeDiscriminator(base) }];
  }
  return [{ path: base, origin: originOf(base), message: issue.message }];
}

function describeDiscriminator(keyPath: string): string {
  if (keyPath.startsWith('sources.')) return `expected a source type: ${orList(SOURCE_TYPES)}`;
  if (keyPath.startsWith('sinks.')) return `expected a sink type: ${orList(SINK_TYPES)}`;
  return 'unknown type';
}

/** `a`, `a or b`, `a, b or c`. */
function orList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function defaultSources(): Record<string, SourceConfig> {
  return { browser: sourceSchema.parse({ type: 'browser' }), app: sourceSchema.parse({ type: 'json' }) };
}

function defaultSinks(): Record<string, ParsedSinkConfig> {
  return { files: sinkSchema.parse({ type: 'file' }) };
}

function defaultMappings(
  sources: Record<string, SourceConfig>,
  sinks: Record<string, SinkConfig>,
): Record<string, MappingConfig> {
  return {
    clicks: {
      sources: Object.keys(sources),
      sinks: Object.keys(sinks),
      schema: 'builtin:footfall',
      mapper: 'builtin:footfall',
      discardCorrupted: false,
      discardDuplicates: false,
    },
  };
}

function resolveSinks(
  sinks: Record<string, ParsedSinkConfig>,
  dataDir: string,
  baseDir: string,
): Record<string, SinkConfig> {
  const data = path.resolve(baseDir, dataDir);
  const out: Record<string, SinkConfig> = {};
  for (const [name, sink] of Object.entries(sinks)) out[name] = resolveSinkPaths(sink, name, data, baseDir);
  return out;
}

/** A mapping's references to sources, sinks and a schema; null where an entry itself is broken. */
interface MappingRefs {
  readonly sources: readonly (string | null)[];
  readonly sinks: readonly (string | null)[];
  readonly schema: string | null;
}

/** What the cross-checks look at, taken from the raw config so that they run even when it is invalid. */
interface Entries {
  /** Entry names by section, defaults included; null when the section is not a mapping (its own issue says so). */
  readonly sourceNames: readonly string[] | null;
  readonly sinkNames: readonly string[] | null;
  /** The sources that parse on their own: the URLs they claim. */
  readonly sources: ReadonlyMap<string, SourceConfig>;
  readonly mappings: ReadonlyMap<string, MappingRefs> | null;
}

function entriesOf(raw: Raw): Entries {
  const section = (key: string): Raw | null | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : null;
  };

  const rawSources = section('sources');
  const sources = new Map<string, SourceConfig>();
  for (const [name, entry] of Object.entries(rawSources ?? {})) {
    const one = sourceSchema.safeParse(entry);
    if (one.success) sources.set(name, one.data);
  }
  if (rawSources === undefined)
    for (const [name, entry] of Object.entries(defaultSources())) sources.set(name, entry);
  const sourceNames =
    rawSources === null ? null : rawSources === undefined ? [...sources.keys()] : Object.keys(rawSources);

  const rawSinks = section('sinks');
  const sinkNames = rawSinks === null ? null : Object.keys(rawSinks ?? defaultSinks());

  const rawMappings = section('mappings');
  let mappings: Map<string, MappingRefs> | null = null;
  if (rawMappings === undefined) {
    // The default mapping connects every source to every sink: nothing to check.
    mappings = new Map([['clicks', { sources: [], sinks: [], schema: null }]]);
  } else if (rawMappings !== null) {
    mappings = new Map(Object.entries(rawMappings).map(([name, entry]) => [name, mappingRefs(entry)]));
  }
  return { sourceNames, sinkNames, sources, mappings };
}

/** A mapping's references: as parsed, or, when the entry does not parse, those of its values that are names. */
function mappingRefs(entry: unknown): MappingRefs {
  const parsed = mappingSchema.safeParse(entry);
  if (parsed.success) return parsed.data;
  const fields = entry !== null && typeof entry === 'object' ? (entry as Raw) : {};
  // Keeps the positions, which the key paths of the messages name.
  const names = (list: unknown): (string | null)[] =>
    Array.isArray(list) ? list.map((item) => (typeof item === 'string' && item !== '' ? item : null)) : [];
  const schema = mappingSchema.shape.schema.safeParse(fields.schema);
  return {
    sources: names(fields.sources),
    sinks: names(fields.sinks),
    schema: schema.success ? schema.data : null,
  };
}

function crossCheck(entries: Entries, issues: ConfigIssue[], originOf: (p: string) => string): void {
  const add = (keyPath: string, message: string): void => {
    issues.push({ path: keyPath, message, origin: originOf(keyPath) });
  };
  const { sourceNames, sinkNames, mappings } = entries;
  for (const [section, names] of [
    ['sources', sourceNames],
    ['sinks', sinkNames],
    ['mappings', mappings && [...mappings.keys()]],
  ] as const) {
    for (const name of names ?? []) {
      if (!ENTRY_NAME.test(name))
        add(`${section}.${name}`, 'names may only use letters, digits, _ and - (at most 64)');
    }
  }
  if (sourceNames?.length === 0) add('sources', 'at least one entry is needed');
  if (sinkNames?.length === 0) add('sinks', 'at least one entry is needed');
  if (mappings?.size === 0) add('mappings', 'at least one mapping is needed');

  // Two sources answering the same URL would make one of them unreachable.
  const endpoints = new Map<string, string>();
  const claim = (url: string, owner: string, keyPath: string): void => {
    const other = endpoints.get(url);
    if (other) add(keyPath, `${url} is already served by source ${other}`);
    else endpoints.set(url, owner);
  };
  for (const [name, source] of entries.sources) {
    for (const { url, key } of sourceEndpoints(source)) claim(url, name, `sources.${name}.${key}`);
  }

  const knownSources = sourceNames && new Set(sourceNames);
  const knownSinks = sinkNames && new Set(sinkNames);
  const schemaOfSink = new Map<string, { schema: string; mapping: string }>();
  for (const [name, mapping] of mappings ?? []) {
    mapping.sources.forEach((source, i) => {
      if (source !== null && knownSources && !knownSources.has(source))
        add(`mappings.${name}.sources.${i}`, `names no configured source: ${source}`);
    });
    mapping.sinks.forEach((sink, i) => {
      if (sink === null || !knownSinks) return;
      if (!knownSinks.has(sink)) {
        add(`mappings.${name}.sinks.${i}`, `names no configured sink: ${sink}`);
        return;
      }
      if (mapping.schema === null) return;
      const previous = schemaOfSink.get(sink);
      if (previous && previous.schema !== mapping.schema) {
        add(
          `mappings.${name}.schema`,
          `sink ${sink} already receives ${previous.schema} from mapping ${previous.mapping}; one sink holds one schema`,
        );
      } else if (!previous) {
        schemaOfSink.set(sink, { schema: mapping.schema, mapping: name });
      }
    });
  }
}

/**
 * The inspector shows what visitors send, so it needs a token unless only this machine can reach the
 * admin listener. It lives in one process: with workers each event is seen by one worker, and the
 * admin listener (the primary's) sees none, so a cluster is refused rather than shown empty.
 */
function checkInspector(
  value: z.output<typeof configSchema>,
  issues: ConfigIssue[],
  originOf: (p: string) => string,
): void {
  const { inspector, admin, server } = value;
  if (!inspector.enabled) return;
  const add = (keyPath: string, message: string): void => {
    issues.push({ path: keyPath, message, origin: originOf(keyPath) });
  };
  if (!admin.enabled) add('inspector.enabled', 'the inspector is served on the admin listener; enable admin');
  if (inspector.token === null && !isLoopback(admin.host)) {
    add(
      'inspector.token',
      `a token is needed while admin.host (${admin.host}) is not loopback; set it or FOOTFALL_INSPECTOR_TOKEN`,
    );
  }
  if (server.workers !== 1) {
    add(
      'inspector.enabled',
      'the inspector runs in a single process: set server.workers to 1 while inspecting',
    );
  }
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '::ffff:127.0.0.1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function setPath(target: Raw, keyPath: string, value: unknown): void {
  const keys = keyPath.split('.');
  let node: Raw = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Raw;
  }
  node[keys[keys.length - 1] as string] = value;
}

function hasPath(target: unknown, keyPath: string): boolean {
  if (keyPath === '') return true;
  let node: unknown = target;
  for (const key of keyPath.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Raw)[key];
  }
  return true;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** One line per issue, the format the CLI prints before exiting with code 2. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `  ${i.path || '(config)'}: ${i.message} [from ${i.origin}]`).join('\n');
}
