/**
 * The sink types config knows. A new sink type is a file next to this one (its schema, where its
 * folders go, its environment overrides) and one line in SINK_SPECS; load.ts finds everything else
 * here. The sinks themselves are built elsewhere (src/sinks/registry.ts), from the frozen config.
 */
import { z } from 'zod';
import { fileSinkSpec, type FileSinkConfig } from './file.js';
import { kafkaSinkSpec, type KafkaSinkConfig } from './kafka.js';
import type { SinkEnvOverride } from './spec.js';

export type { FileSinkConfig } from './file.js';
export type { KafkaSinkConfig } from './kafka.js';
export type { SinkEnvOverride } from './spec.js';
export { fileSinkSpec, kafkaSinkSpec };

/** In the order messages list them. */
const SINK_SPECS = [fileSinkSpec, kafkaSinkSpec] as const;

export const sinkSchema = z.discriminatedUnion('type', [fileSinkSpec.schema, kafkaSinkSpec.schema]);

/** A sink entry as parsed, before its folders are resolved. */
export type ParsedSinkConfig = z.output<typeof sinkSchema>;
/** A sink entry of the frozen config. */
export type SinkConfig = FileSinkConfig | KafkaSinkConfig;

export const SINK_TYPES: readonly SinkConfig['type'][] = SINK_SPECS.map((spec) => spec.type);

type AnySinkSpec = {
  readonly label: string;
  resolvePaths(sink: ParsedSinkConfig, name: string, dataDir: string, baseDir: string): SinkConfig;
};

// The schema only lets registered types through, and each spec reads its own type's entry.
const specOf = (type: string): AnySinkSpec =>
  SINK_SPECS.find((spec) => spec.type === type) as unknown as AnySinkSpec;

/** See SinkSpec.resolvePaths. */
export function resolveSinkPaths(
  sink: ParsedSinkConfig,
  name: string,
  dataDir: string,
  baseDir: string,
): SinkConfig {
  return specOf(sink.type).resolvePaths(sink, name, dataDir, baseDir);
}

/** Every `sinks.*` environment override, with the sink type it reaches and how that type is called. */
export const SINK_ENV_OVERRIDES: readonly (SinkEnvOverride & { readonly type: string; label: string })[] =
  SINK_SPECS.flatMap((spec) =>
    (spec.env ?? []).map((env) => ({ ...env, type: spec.type, label: spec.label })),
  );
