// Types for cluster.mjs, which stays plain JavaScript so it runs without a build step.

export declare const repoRoot: string;
/** .cache/druid under the repository root: jars in libs/, the Avro extension in avro-extension/. */
export declare const cacheRoot: string;
/** docker/druid/environment, the settings shared with docker/compose.yaml. */
export declare const environmentFile: string;

/** The Druid version pinned in scripts/druid/pom.xml. */
export declare function druidVersion(): string;
/** The env-file text as runtime properties, by the apache/druid image's naming rule. */
export declare function environmentProperties(text?: string): Record<string, string>;

export declare function ensureDruid(options?: { log?: (line: string) => void }): Promise<{
  classpath: string[];
  resolved: boolean;
  built: boolean;
  ms: number;
}>;

export interface DruidHandle {
  readonly dir: string;
  readonly urls: Record<'coordinator' | 'broker' | 'historical' | 'middleManager', string>;
  readonly overlordUrl: string;
  readonly brokerUrl: string;
  readonly logs: string;
  readonly readyMs: number;
  stop(): Promise<void>;
}

export declare function startDruid(options?: {
  dir?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}): Promise<DruidHandle>;
export declare function stopDruid(options?: {
  dir?: string;
  log?: (line: string) => void;
  timeoutMs?: number;
}): Promise<void>;
