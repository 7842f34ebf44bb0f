/**
 * `footfall check-config`: validates the configuration, loads and dry-runs every mapping exactly as
 * `serve` does (without opening sinks, geo databases or listeners), and prints the effective values.
 */
import { stringify } from 'yaml';
import type { ConfigResult } from '../config/index.js';
import { loadMappings } from '../collector/mapper-module.js';
import { resolveMappings } from '../collector/mappings.js';
import { EXIT, baseDirOf, reportError, reportInvalid } from './common.js';

/** Runs the command; returns the exit code (0 fine, 2 bad configuration or mapping). */
export async function checkConfigCommand(result: ConfigResult): Promise<number> {
  if (!result.ok) return reportInvalid(result);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  try {
    await loadMappings(result.config, resolveMappings(result.config, baseDirOf(result)));
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
  process.stdout.write(stringify(shown));
  return EXIT.ok;
}
