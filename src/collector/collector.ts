/**
 * A running collector: sinks started, app listening, readiness computed in the background, and a
 * shutdown that follows the documented order (red readiness → delay → stop accepting → drain sinks).
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { FootfallConfig } from '../config/index.js';
import { DuplicateMemory, OutcomeCounter, type PipelineContext } from '../pipeline/index.js';
import type { Sink } from '../sinks/index.js';
import { Inspector } from '../inspector/inspector.js';
import { buildAdminApp } from '../server/admin.js';
import { buildApp } from '../server/app.js';
import { openEnrichment, type RuntimeEnrichmentOptions } from './enrichment.js';
import { loadMappings } from './mapper-module.js';
import { resolveMappings } from './mappings.js';
import { createMetrics, type CollectorMetrics } from '../server/metrics.js';
import { Readiness } from '../server/readiness.js';
import { buildTopology } from './topology.js';

export interface RunningCollector {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 in the config picks a free one). */
  readonly address: string;
  readonly outcomes: OutcomeCounter;
  readonly sinks: ReadonlyMap<string, Sink>;
  readonly readiness: Readiness;
  readonly metrics: CollectorMetrics;
  /** `http://host:port` of the admin listener (metrics, health); empty when disabled or not listening. */
  readonly adminAddress: string;
  shutdown(): Promise<{ outcomes: Record<string, number> }>;
}

export interface CollectorOptions {
  /** Folder relative mapping/schema paths are resolved against; defaults to the working directory. */
  readonly baseDir?: string;
  /** Do not listen (tests that only use inject). */
  readonly listen?: boolean;
  /** How the geo databases are watched for changes (tests shorten the defaults). */
  readonly geoWatch?: RuntimeEnrichmentOptions['geoWatch'];
  /** Start the admin listener (default true); cluster workers leave it to the primary. */
  readonly admin?: boolean;
}

export async function startCollector(
  config: FootfallConfig,
  logger: FastifyBaseLogger,
  options: CollectorOptions = {},
): Promise<RunningCollector> {
  const baseDir = options.baseDir ?? process.cwd();
  // Mappings and topology first: they leave nothing open (sinks are only constructed here), so a
  // mistake in them stops the start with nothing to undo. Geo watchers and started sinks come after.
  const mappings = await loadMappings(config, resolveMappings(config, baseDir), logger);
  const topology = buildTopology(config, mappings, logger);
  const enrichment = await openEnrichment(config, { baseDir, logger, geoWatch: options.geoWatch });
  const outcomes = new OutcomeCounter();
  // Served on the admin listener, so only where there is one (config/load.ts refuses the rest).
  const inspector =
    config.inspector.enabled && config.admin.enabled && options.admin !== false
      ? new Inspector({
          bufferSize: config.inspector.bufferSize,
          maxEventsPerSecond: config.inspector.maxEventsPerSecond,
          readers: new Map([...mappings.values()].map((mapping) => [mapping.name, mapping.codec])),
        })
      : undefined;
  const pipeline: PipelineContext = {
    duplicates: new DuplicateMemory(config.duplicates.memorySize),
    outcomes,
    enrich: enrichment.enrich,
    ...(inspector ? { observer: inspector } : {}),
  };
  logMappingFailures(outcomes, logger);

  const started: Sink[] = [];
  try {
    for (const sink of topology.sinks.values()) {
      await sink.start();
      started.push(sink);
    }
  } catch (err) {
    await Promise.allSettled(started.map((sink) => sink.shutdown(1000)));
    enrichment.close();
    throw err;
  }

  const readiness = new Readiness(() =>
    [...topology.sinks.values()].map((sink) => ({ name: `sink:${sink.name}`, ...sink.health() })),
  );
  readiness.start();

  const metrics = createMetrics(topology.sinks, outcomes, inspector);
  const app = await buildApp(config, { logger, routing: topology.routing, pipeline, readiness, metrics });
  const admin =
    config.admin.enabled && options.admin !== false
      ? await buildAdminApp({
          logger,
          metrics: metrics.registry,
          readiness,
          ...(inspector ? { inspector: { hub: inspector, token: config.inspector.token } } : {}),
        })
      : undefined;
  let address = '';
  let adminAddress = '';
  if (options.listen !== false) {
    address = await app.listen({ host: config.server.host, port: config.server.port });
    if (admin) adminAddress = await admin.listen({ host: config.admin.host, port: config.admin.port });
  } else {
    await app.ready();
  }

  let shutdown: Promise<{ outcomes: Record<string, number> }> | undefined;
  return {
    app,
    address,
    outcomes,
    sinks: topology.sinks,
    readiness,
    metrics,
    adminAddress,
    shutdown() {
      shutdown ??= (async () => {
        readiness.beginShutdown();
        await delay(config.server.shutdownDelay);
        await app.close();
        const deadline = config.server.shutdownTimeout;
        const results = await Promise.allSettled(
          [...topology.sinks.values()].map((sink) => sink.shutdown(deadline)),
        );
        for (const result of results) {
          if (result.status === 'rejected')
            logger.error({ err: result.reason }, 'a sink failed to shut down');
        }
        readiness.stop();
        await admin?.close();
        enrichment.close();
        return { outcomes: outcomes.snapshot() };
      })();
      return shutdown;
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Mapping failures are logged, but at most once per 10 s with a count, never once per event. */
function logMappingFailures(outcomes: OutcomeCounter, logger: FastifyBaseLogger): void {
  let suppressed = 0;
  let lastLog = 0;
  outcomes.onOutcome((outcome, source) => {
    if (outcome.kind !== 'invalid' || outcome.reason !== 'mapping_failed') return;
    const now = Date.now();
    if (now - lastLog < 10_000) {
      suppressed++;
      return;
    }
    logger.warn(
      { source, detail: outcome.detail, suppressedSinceLast: suppressed },
      'an event could not be mapped',
    );
    suppressed = 0;
    lastLog = now;
  });
}
