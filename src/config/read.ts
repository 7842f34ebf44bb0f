/**
 * Reading the raw configuration: the YAML file (refusing alias bombs) and the environment variables
 * that override single keys. Both produce the untyped tree that loading validates afterwards; kept
 * apart from validation so that what an operator wrote, and where, is settled in one place.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { ConfigIssue } from './issues.js';
import { SINK_ENV_OVERRIDES } from './schema.js';

/** The config as read, before validation. */
export type Raw = Record<string, unknown>;

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

export function readYaml(file: string, shown: string): { value: Raw } | { issues: ConfigIssue[] } {
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

export function applyEnvironment(
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

export function hasPath(target: unknown, keyPath: string): boolean {
  if (keyPath === '') return true;
  let node: unknown = target;
  for (const key of keyPath.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Raw)[key];
  }
  return true;
}
