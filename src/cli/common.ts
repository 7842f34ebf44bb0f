/**
 * What the CLI's commands share: the usage text, the exit codes and which errors map onto which, and
 * how a configuration that does not validate is reported.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatIssues, type ConfigResult } from '../config/index.js';

export const USAGE = `Usage: footfall <command> [options]

Commands:
  serve           run the collector (default)
  check-config    validate the configuration and its mappings and print the effective values
  druid-spec      print the Druid Kafka supervisor spec (footfall druid-spec --help)
  map             print the record(s) the configured mappings make from one event (--event FILE)
  config-schema   print the JSON Schema of the config file (footfall config-schema --help)
  tail            print the events the collector receives, live (footfall tail --help)

Options:
  -c, --config FILE   YAML config file (default: $FOOTFALL_CONFIG, else built-in defaults)
  -e, --event FILE    map: JSON description of the event (see docs/migrating-from-divolte.md)
  -m, --mapping NAME  map: only this mapping
  -h, --help          show this help
`;

/** Exit codes: 0 fine, 1 runtime failure, 2 bad configuration or usage. */
export const EXIT = { ok: 0, failure: 1, config: 2 } as const;

/**
 * Start-up errors that mean "the configuration names something unusable" (a mapping that does not
 * load or does not fit its schema, a schema or geo database that cannot be read): exit code 2, like
 * an invalid config file, rather than 1, which is kept for failures of the running system.
 */
const CONFIGURATION_ERRORS = new Set([
  'FOOTFALL_ERR_MAPPING',
  'FOOTFALL_ERR_SCHEMA',
  'FOOTFALL_ERR_GEO',
  'FOOTFALL_ERR_TOPOLOGY',
  'FOOTFALL_ERR_KAFKA_CONFIG',
]);

export function exitCodeFor(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFIGURATION_ERRORS.has(code) ? EXIT.config : EXIT.failure;
}

/** The folder relative paths in the configuration are resolved against: the config file's own. */
export function baseDirOf(result: Extract<ConfigResult, { ok: true }>): string {
  return result.file ? path.dirname(result.file) : process.cwd();
}

export function reportInvalid(result: Extract<ConfigResult, { ok: false }>): number {
  const where = result.file ? ` (${result.file})` : '';
  process.stderr.write(
    `FOOTFALL_ERR_CONFIG: the configuration${where} has ${result.issues.length} problem(s):\n${formatIssues(result.issues)}\n`,
  );
  return EXIT.config;
}

/** For the commands without a logger: `CODE: message` on stderr; returns the exit code. */
export function reportError(err: unknown): number {
  process.stderr.write(`${(err as { code?: string }).code ?? 'FOOTFALL_ERR'}: ${(err as Error).message}\n`);
  return exitCodeFor(err);
}

/** Prints a command's output, or writes it to `out` (a file); the exit code: 0, or 1 when it cannot write. */
export function writeOutput(text: string, out: string | undefined): number {
  if (out === undefined) {
    process.stdout.write(text);
    return 0;
  }
  try {
    writeFileSync(out, text);
  } catch (err) {
    process.stderr.write(`cannot write ${out}: ${(err as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`wrote ${out}\n`);
  return 0;
}
