/**
 * Loading the configuration: file → environment overrides → validation of everything at once →
 * defaults for the topology → cross-checks → deep freeze. Every problem is reported with its key
 * path and where the value came from, so an operator fixes all of them in one go. The steps live
 * beside it: read.ts (file, environment), issues.ts, defaults.ts and cross-checks.ts.
 */
import path from 'node:path';
import { checkInspector, crossCheck, entriesOf } from './cross-checks.js';
import { defaultMappings, defaultSinks, defaultSources, resolveSinks } from './defaults.js';
import { toIssues, type ConfigIssue } from './issues.js';
import { applyEnvironment, hasPath, readYaml, type Raw } from './read.js';
import {
  configSchema,
  SINK_ENV_OVERRIDES,
  type FootfallConfig,
  type MappingConfig,
  type SourceConfig,
} from './schema.js';

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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
