#!/usr/bin/env node
/**
 * Process entry: `footfall serve | check-config | map | druid-spec | config-schema | tail | help`. The CLI
 * owns what only a process has: arguments, exit codes, signals and the order of shutdown. This file
 * parses the arguments, dispatches and serves; the other commands live in modules of their own
 * (check-config.ts, map.ts, druid.ts, config-schema.ts, tail.ts).
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { configForWorker, joinCluster, runPrimary, workerCount, workerId } from '../collector/cluster.js';
import { loadConfig, type ConfigResult, type FootfallConfig } from '../config/index.js';
import { checkConfigCommand } from './check-config.js';
import { configSchemaCommand } from './config-schema.js';
import { EXIT, USAGE, baseDirOf, exitCodeFor, reportInvalid } from './common.js';
import { druidSpecCommand } from './druid.js';
import { mapCommand } from './map.js';
import { tailCommand } from './tail.js';
import { createLogger } from '../collector/logger.js';
import { startCollector } from '../collector/collector.js';

async function main(argv: string[]): Promise<number> {
  // Their options are their own; the shared parser below would reject them.
  if (argv[0] === 'druid-spec') return druidSpecCommand(argv.slice(1));
  if (argv[0] === 'config-schema') return configSchemaCommand(argv.slice(1));
  if (argv[0] === 'tail') return tailCommand(argv.slice(1));
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
      return checkConfigCommand(result);
    case 'map':
      return mapCommand(result, { event: parsed.values.event, mapping: parsed.values.mapping });
    case 'serve':
      return serve(result);
    default:
      process.stderr.write(`unknown command: ${command}\n\n${USAGE}`);
      return EXIT.config;
  }
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
      // The deadline is for draining; this guard only catches a shutdown that hangs outright. Config
      // keeps each duration within a timer's range (2^31 - 1 ms), but not their sum: past it the guard
      // would fire after 1 ms.
      const guard = setTimeout(
        () => {
          logger.error('shutdown did not finish in time; exiting');
          resolve(EXIT.failure);
        },
        Math.min(config.server.shutdownDelay + config.server.shutdownTimeout + 10_000, 2 ** 31 - 1),
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
