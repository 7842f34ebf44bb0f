#!/usr/bin/env node
/**
 * Process entry: `footfall serve | check-config | map | help`. The CLI owns what only a process has:
 * arguments, exit codes, signals and the order of shutdown.
 */
import { readFileSync } from 'node:fs';
import cluster from 'node:cluster';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { stringify } from 'yaml';
import { configForWorker, joinCluster, runPrimary, workerCount, workerId } from '../collector/cluster.js';
import { formatIssues, loadConfig, type ConfigResult, type FootfallConfig } from '../config/index.js';
import { druidSpecCommand } from './druid.js';
import { createLogger } from '../collector/logger.js';
import { startCollector } from '../collector/collector.js';
import { loadMappings } from '../collector/mapper-module.js';
import { resolveMappings } from '../collector/mappings.js';
import { mapDescribedEvent } from '../collector/map-event.js';

const USAGE = `Usage: footfall <command> [options]

Commands:
  serve           run the collector (default)
  check-config    validate the configuration and its mappings and print the effective values
  druid-spec      print the Druid Kafka supervisor spec (footfall druid-spec --help)
  map             print the record(s) the configured mappings make from one event (--event FILE)

Options:
  -c, --config FILE   YAML config file (default: $FOOTFALL_CONFIG, else built-in defaults)
  -e, --event FILE    map: JSON description of the event (see docs/migrating-from-divolte.md)
  -m, --mapping NAME  map: only this mapping
  -h, --help          show this help
`;

/** Exit codes: 0 fine, 1 runtime failure, 2 bad configuration or usage. */
const EXIT = { ok: 0, failure: 1, config: 2 } as const;

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
]);

function exitCodeFor(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFIGURATION_ERRORS.has(code) ? EXIT.config : EXIT.failure;
}

function baseDirOf(result: Extract<ConfigResult, { ok: true }>): string {
  return result.file ? path.dirname(result.file) : process.cwd();
}

async function main(argv: string[]): Promise<number> {
  // Its options are its own; the shared parser below would reject them.
  if (argv[0] === 'druid-spec') return druidSpecCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        event: { type: 'string', short: 'e' },
        mapping: { type: 'string', short: 'm' },
        help: { type: 'boolean', short: 'h' },
      },
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
    case 'map':
      return mapCommand(result, parsed.values.event, parsed.values.mapping);
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

async function checkConfig(result: ConfigResult): Promise<number> {
  if (!result.ok) return reportInvalid(result);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  try {
    // Loading runs each mapping's dry run against its schema, exactly as serve does.
    await loadMappings(result.config, resolveMappings(result.config, baseDirOf(result)));
  } catch (err) {
    process.stderr.write(`${(err as { code?: string }).code ?? 'FOOTFALL_ERR'}: ${(err as Error).message}\n`);
    return exitCodeFor(err);
  }
  process.stdout.write(
    `# effective configuration${result.file ? ` from ${result.file}` : ' (built-in defaults)'}\n`,
  );
  process.stdout.write('# durations in milliseconds, sizes in bytes\n');
  process.stdout.write(stringify(result.config));
  return EXIT.ok;
}

/** The cluster primary: forks the workers, serves admin, forwards signals, waits for the drain. */
async function servePrimary(config: FootfallConfig, logger: Logger, workers: number): Promise<number> {
  const primary = await runPrimary(config, logger, workers);
  logger.info(
    { workers, admin: primary.adminAddress || null },
    `footfall primary started ${workers} workers`,
  );
  const stop = (signal: string): void => {
    logger.info({ signal }, 'shutting down all workers');
    primary.shutdown();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const code = await primary.done;
  logger.info({ code }, 'all workers stopped');
  return code;
}

async function serve(result: ConfigResult): Promise<number> {
  if (!result.ok) return reportInvalid(result);
  const startedAt = performance.now();
  const { config } = result;
  const logger = createLogger(config.logging.level);
  for (const warning of result.warnings) logger.warn(warning);

  const workers = workerCount(config);
  if (workers > 1 && cluster.isPrimary) return servePrimary(config, logger, workers);
  const worker = workerId();

  let collector;
  try {
    collector = await startCollector(worker === null ? config : configForWorker(config, worker), logger, {
      baseDir: baseDirOf(result),
      admin: worker === null,
    });
  } catch (err) {
    logger.fatal({ err }, `cannot start: ${(err as Error).message}`);
    return exitCodeFor(err);
  }
  logger.info(
    {
      address: collector.address,
      admin: collector.adminAddress || null,
      startupMs: Math.round(performance.now() - startedAt),
      configFile: result.file,
      ...(worker === null ? {} : { worker }),
    },
    `footfall listening on ${collector.address}`,
  );
  if (worker !== null) joinCluster(collector.metrics.registry, collector.readiness);

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

/**
 * `footfall map --event EVENT.json`: the record each mapping makes from the described event, as JSON
 * on stdout (the record itself for one mapping, an object by mapping name for several; null when the
 * mapping discards the event). Exit code 1 when a mapping fails on the event, 2 for bad input.
 */
async function mapCommand(
  result: ConfigResult,
  eventFile: string | undefined,
  mapping: string | undefined,
): Promise<number> {
  if (!result.ok) return reportInvalid(result);
  if (eventFile === undefined) {
    process.stderr.write(`map needs --event FILE\n\n${USAGE}`);
    return EXIT.config;
  }
  let description: unknown;
  try {
    description = JSON.parse(readFileSync(eventFile, 'utf8'));
  } catch (err) {
    process.stderr.write(`FOOTFALL_ERR_EVENT: ${eventFile}: ${(err as Error).message}\n`);
    return EXIT.config;
  }
  // Logs go to stderr so that stdout holds nothing but the JSON.
  const logger = pino({ level: 'warn', base: null }, pino.destination(2));
  let mapped;
  try {
    mapped = await mapDescribedEvent(result.config, baseDirOf(result), description, { mapping, logger });
  } catch (err) {
    process.stderr.write(`${(err as { code?: string }).code ?? 'FOOTFALL_ERR'}: ${(err as Error).message}\n`);
    return exitCodeFor(err);
  }
  let code: number = EXIT.ok;
  const output: Record<string, unknown> = {};
  for (const item of mapped) {
    if (item.outcome === 'failed') {
      process.stderr.write(`mapping ${item.mapping} failed on this event: ${item.error}\n`);
      code = EXIT.failure;
      continue;
    }
    if (item.outcome === 'discarded') process.stderr.write(`mapping ${item.mapping} discarded this event\n`);
    output[item.mapping] = item.outcome === 'record' ? item.record : null;
  }
  const single = mapped.length === 1;
  if (!single || mapped[0]?.outcome !== 'failed') {
    process.stdout.write(`${JSON.stringify(single ? Object.values(output)[0] : output, null, 2)}\n`);
  }
  return code;
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
