#!/usr/bin/env node
/**
 * Process entry: `footfall serve | check-config | help`. The CLI owns what only a process has:
 * arguments, exit codes, signals and the order of shutdown.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { formatIssues, loadConfig, type ConfigResult } from './config/index.js';
import { druidSpecCommand } from './cli-druid.js';
import { createLogger } from './server/logger.js';
import { startCollector } from './server/collector.js';

const USAGE = `Usage: footfall <command> [options]

Commands:
  serve           run the collector (default)
  check-config    validate the configuration and print the effective values
  druid-spec      print the Druid Kafka supervisor spec (footfall druid-spec --help)

Options:
  -c, --config FILE   YAML config file (default: $FOOTFALL_CONFIG, else built-in defaults)
  -h, --help          show this help
`;

/** Exit codes: 0 fine, 1 runtime failure, 2 bad configuration or usage. */
const EXIT = { ok: 0, failure: 1, config: 2 } as const;

async function main(argv: string[]): Promise<number> {
  // Its options are its own; the shared parser below would reject them.
  if (argv[0] === 'druid-spec') return druidSpecCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return EXIT.config;
  }
  const command = parsed.positionals[0] ?? 'serve';
  if (parsed.values.help || command === 'help') {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const result = loadConfig({ file: parsed.values.config });
  switch (command) {
    case 'check-config':
      return checkConfig(result);
    case 'serve':
      return serve(result);
    default:
      process.stderr.write(`unknown command: ${command}\n\n${USAGE}`);
      return EXIT.config;
  }
}

function reportInvalid(result: Extract<ConfigResult, { ok: false }>): number {
  const where = result.file ? ` (${result.file})` : '';
  process.stderr.write(
    `FOOTFALL_ERR_CONFIG: the configuration${where} has ${result.issues.length} problem(s):\n${formatIssues(result.issues)}\n`,
  );
  return EXIT.config;
}

function checkConfig(result: ConfigResult): number {
  if (!result.ok) return reportInvalid(result);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(
    `# effective configuration${result.file ? ` from ${result.file}` : ' (built-in defaults)'}\n`,
  );
  process.stdout.write('# durations in milliseconds, sizes in bytes\n');
  process.stdout.write(stringify(result.config));
  return EXIT.ok;
}

async function serve(result: ConfigResult): Promise<number> {
  if (!result.ok) return reportInvalid(result);
  const startedAt = performance.now();
  const { config } = result;
  const logger = createLogger(config.logging.level);
  for (const warning of result.warnings) logger.warn(warning);

  let collector;
  try {
    collector = await startCollector(config, logger, {
      baseDir: result.file ? path.dirname(result.file) : process.cwd(),
    });
  } catch (err) {
    logger.fatal({ err }, `cannot start: ${(err as Error).message}`);
    return EXIT.failure;
  }
  logger.info(
    {
      address: collector.address,
      admin: collector.adminAddress || null,
      startupMs: Math.round(performance.now() - startedAt),
      configFile: result.file,
    },
    `footfall listening on ${collector.address}`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        logger.warn({ signal }, 'shutdown already in progress');
        return;
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      // The deadline is for draining; this guard only catches a shutdown that hangs outright.
      const guard = setTimeout(
        () => {
          logger.error('shutdown did not finish in time; exiting');
          resolve(EXIT.failure);
        },
        config.server.shutdownDelay + config.server.shutdownTimeout + 10_000,
      );
      guard.unref();
      collector.shutdown().then(
        (summary) => {
          logger.info({ outcomes: summary.outcomes }, 'stopped');
          resolve(EXIT.ok);
        },
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          resolve(EXIT.failure);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('unhandledRejection', (reason) => {
      // A bug somewhere in a background task; keep serving, but make it loud.
      logger.error({ err: reason }, 'unhandled promise rejection');
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    // Let pino flush; then leave even if a stray handle (a keep-alive socket) would keep us alive.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 200).unref();
  },
  (err: unknown) => {
    process.stderr.write(`footfall: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(EXIT.failure);
  },
);
