/**
 * `footfall check-config`: validates the configuration, loads and dry-runs every mapping exactly as
 * `serve` does (without opening sinks, geo databases or listeners), checks that the files and secrets
 * sinks name can be read, and prints the effective values, secrets shown as "[redacted]".
 */
import { stringify } from 'yaml';
import type { ConfigResult } from '../config/index.js';
import { loadMappings } from '../collector/mapper-module.js';
import { checkSink } from '../sinks/index.js';
import { resolveMappings } from '../collector/mappings.js';
import { EXIT, baseDirOf, reportError, reportInvalid } from './common.js';

/** Runs the command; returns the exit code (0 fine, 2 bad configuration or mapping). */
export async function checkConfigCommand(result: ConfigResult): Promise<number> {
  if (!result.ok) return reportInvalid(result);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  try {
    await loadMappings(result.config, resolveMappings(result.config, baseDirOf(result)));
    for (const [name, sink] of Object.entries(result.config.sinks)) checkSink(name, sink);
  } catch (err) {
    return reportError(err);
  }
  process.stdout.write(
    `# effective configuration${result.file ? ` from ${result.file}` : ' (built-in defaults)'}\n`,
  );
  process.stdout.write('# durations in milliseconds, sizes in bytes\n');
  // The inspector's token is a secret: say that it is set, never what it is.
  const { inspector } = result.config;
  const shown =
    inspector.token === null
      ? result.config
      : { ...result.config, inspector: { ...inspector, token: '(set)' } };
  process.stdout.write(stringify(shown, redactSecrets));
  return EXIT.ok;
}

/** Keys whose values are secrets wherever they appear (a Kafka sink's `sasl.password`). */
const SECRET_KEYS = new Set(['password']);

function redactSecrets(key: unknown, value: unknown): unknown {
  return typeof key === 'string' && SECRET_KEYS.has(key) && typeof value === 'string' ? '[redacted]' : value;
}
