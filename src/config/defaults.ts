/**
 * What the configuration becomes where the file says nothing: one browser and one JSON source, one
 * local-file sink, and a mapping that connects them all; and the sinks' paths resolved against the
 * data folder. Separate because both loading and the cross-checks (which see the defaults too) use it.
 */
import path from 'node:path';
import {
  resolveSinkPaths,
  sinkSchema,
  sourceSchema,
  type MappingConfig,
  type ParsedSinkConfig,
  type SinkConfig,
  type SourceConfig,
} from './schema.js';

export function defaultSources(): Record<string, SourceConfig> {
  return { browser: sourceSchema.parse({ type: 'browser' }), app: sourceSchema.parse({ type: 'json' }) };
}

export function defaultSinks(): Record<string, ParsedSinkConfig> {
  return { files: sinkSchema.parse({ type: 'file' }) };
}

export function defaultMappings(
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

export function resolveSinks(
  sinks: Record<string, ParsedSinkConfig>,
  dataDir: string,
  baseDir: string,
): Record<string, SinkConfig> {
  const data = path.resolve(baseDir, dataDir);
  const out: Record<string, SinkConfig> = {};
  for (const [name, sink] of Object.entries(sinks)) out[name] = resolveSinkPaths(sink, name, data, baseDir);
  return out;
}
