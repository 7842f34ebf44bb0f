/**
 * What config needs to know about a sink type besides its keys: where its folders go once dataDir and
 * the config file's folder are known, and which `sinks.*` environment overrides reach it. load.ts
 * asks these through the registry (sinks/index.ts) and never names a sink type itself.
 */
import type { z } from 'zod';

/** An environment variable that sets one key on every sink of one type (`sinks.*.<key>`). */
export interface SinkEnvOverride {
  readonly name: string;
  readonly key: string;
  readonly describe: string;
  /** A comma-separated list, as `brokers` takes them. */
  readonly list?: boolean;
  /** Warn when it is set but no sink of the type is configured (it then has no effect). */
  readonly warnIfUnused?: boolean;
}

export interface SinkSpec<Type extends string, Schema extends z.ZodType<{ type: Type }>, Resolved> {
  readonly type: Type;
  /** How messages name the type: "no Kafka sink is configured". */
  readonly label: string;
  /** Every key of this sink type with its default; strict, so a misspelt key is an error. */
  readonly schema: Schema;
  /**
   * The frozen config's entry: folders left null get their place under `dataDir` (already absolute),
   * relative ones are taken from `baseDir` (the config file's folder). Done after parsing so that
   * FOOTFALL_DATA_DIR moves every folder that was not given explicitly.
   */
  resolvePaths(sink: z.output<Schema>, name: string, dataDir: string, baseDir: string): Resolved;
  readonly env?: readonly SinkEnvOverride[];
}
