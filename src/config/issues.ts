/**
 * How a configuration problem is told: the issue type (key path, message, where the value came from),
 * the translation of zod's issues into it, and the one-line-per-issue format the CLI prints. Separate
 * from loading so that reading, cross-checking and loading all speak the same issue without a cycle.
 */
import type { z } from 'zod';
import { SINK_TYPES, SOURCE_TYPES } from './schema.js';

export interface ConfigIssue {
  /** Dotted key path, e.g. `sinks.kafka.brokers`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
  /** `default`, `file <name>` or `environment variable <NAME>`. */
  readonly origin: string;
}

export function toIssues(issue: z.core.$ZodIssue, originOf: (p: string) => string): ConfigIssue[] {
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

/** One line per issue, the format the CLI prints before exiting with code 2. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `  ${i.path || '(config)'}: ${i.message} [from ${i.origin}]`).join('\n');
}
