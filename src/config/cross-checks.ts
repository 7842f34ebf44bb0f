/**
 * The checks zod's per-key schema cannot make: entry names, references from mappings to sources and
 * sinks, one schema per sink, two sources claiming one URL, and whether the inspector may run. They
 * look at the raw config so that they run even when it is invalid, and the operator gets every
 * problem in one report.
 */
import { isIP } from 'node:net';
import type { z } from 'zod';
import { defaultSinks, defaultSources } from './defaults.js';
import { ENTRY_NAME } from './fields.js';
import type { ConfigIssue } from './issues.js';
import type { Raw } from './read.js';
import { configSchema, mappingSchema, sourceEndpoints, sourceSchema, type SourceConfig } from './schema.js';

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

export function entriesOf(raw: Raw): Entries {
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

export function crossCheck(entries: Entries, issues: ConfigIssue[], originOf: (p: string) => string): void {
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
export function checkInspector(
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
