/**
 * Multi-core serving: `server.workers: N` (or `auto`) forks N worker processes that share the public
 * port (node:cluster hands connections round-robin). Each worker is a whole collector with its own
 * sinks, Kafka producer and spool folder (chosen by its stable worker number, so a replacement worker
 * replays what its predecessor spooled). The primary owns signals, restarts crashed workers, and
 * serves the admin listener with metrics summed over all workers and readiness of all of them.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { FootfallConfig } from '../config/index.js';
import { buildAdminApp } from '../server/admin.js';
import { Readiness, type ReadinessCheck, type ReadinessReport } from '../server/readiness.js';
import { sinkConfigForWorker } from '../sinks/index.js';

/** Set in a worker's environment: its stable number, 0 … N-1. */
const WORKER_ID_VARIABLE = 'FOOTFALL_WORKER_ID';

export function workerCount(config: FootfallConfig): number {
  return config.server.workers === 'auto' ? availableParallelism() : config.server.workers;
}

/** This process's worker number, or null when it is not a cluster worker. */
export function workerId(): number | null {
  const text = process.env[WORKER_ID_VARIABLE];
  return cluster.isWorker && text !== undefined ? Number(text) : null;
}

interface ReadinessMessage {
  readonly type: 'footfall:readiness';
  readonly report: ReadinessReport;
}

const isReadinessMessage = (message: unknown): message is ReadinessMessage =>
  typeof message === 'object' &&
  message !== null &&
  (message as { type?: unknown }).type === 'footfall:readiness';

/**
 * In a worker: answer the primary's metric requests from our registry and report readiness every
 * second (and at once when it changes), so the primary's /health/ready reflects every worker.
 */
export function joinCluster(registry: Registry, readiness: Readiness): () => void {
  AggregatorRegistry.setRegistries([registry]);
  // prom-client only starts answering the primary's metric requests once an aggregator exists here.
  new AggregatorRegistry();
  let last = '';
  const report = (): void => {
    const current = readiness.current();
    const text = JSON.stringify(current);
    if (text === last || !process.connected) return;
    last = text;
    process.send?.({ type: 'footfall:readiness', report: current } satisfies ReadinessMessage);
  };
  report();
  const timer = setInterval(report, 500);
  timer.unref();
  return () => clearInterval(timer);
}

export interface PrimaryHandle {
  readonly adminAddress: string;
  /** Resolves with the exit code once every worker has gone. */
  readonly done: Promise<number>;
  shutdown(): void;
}

/** Runs the primary: forks the workers and supervises them until shutdown. */
export async function runPrimary(
  config: FootfallConfig,
  logger: FastifyBaseLogger,
  count: number,
): Promise<PrimaryHandle> {
  const reports = new Map<number, ReadinessReport>();
  const workers = new Map<number, Worker>();
  let stopping = false;

  const readiness = new Readiness(() => {
    const checks: ReadinessCheck[] = [];
    for (let id = 0; id < count; id++) {
      const report = reports.get(id);
      if (!report) checks.push({ name: `worker:${id}`, ready: false, detail: 'not reporting' });
      else for (const check of report.checks) checks.push({ ...check, name: `worker:${id}:${check.name}` });
    }
    return checks;
  }, 500);

  const fork = (id: number): void => {
    const worker = cluster.fork({ [WORKER_ID_VARIABLE]: String(id) });
    workers.set(id, worker);
    worker.on('message', (message: unknown) => {
      if (isReadinessMessage(message)) reports.set(id, message.report);
    });
    worker.on('exit', (code, signal) => {
      workers.delete(id);
      reports.delete(id);
      if (stopping) return;
      // A crashed worker loses nothing it had spooled: its replacement has the same number and folder.
      logger.error({ worker: id, code, signal }, 'worker exited unexpectedly; starting a replacement');
      setTimeout(() => {
        if (!stopping) fork(id);
      }, 1000).unref();
    });
  };

  const aggregator = new AggregatorRegistry();
  const metrics = { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
  const admin = config.admin.enabled ? await buildAdminApp({ logger, metrics, readiness }) : undefined;
  const adminAddress = admin ? await admin.listen({ host: config.admin.host, port: config.admin.port }) : '';

  for (let id = 0; id < count; id++) fork(id);
  readiness.start();

  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));

  return {
    adminAddress,
    done,
    shutdown() {
      if (stopping) return;
      stopping = true;
      readiness.beginShutdown();
      let failed = false;
      const alive = [...workers.values()];
      logger.info({ workers: alive.length }, 'asking workers to drain');
      if (alive.length === 0) {
        void admin?.close().then(() => finish(0));
        return;
      }
      let remaining = alive.length;
      for (const worker of alive) {
        worker.once('exit', (code) => {
          if (code !== 0) failed = true;
          remaining--;
          if (remaining === 0) {
            readiness.stop();
            void (admin?.close() ?? Promise.resolve()).then(() => finish(failed ? 1 : 0));
          }
        });
        worker.process.kill('SIGTERM');
      }
    },
  };
}

/**
 * A worker's view of the config: each sink's wing may give the worker its own copy of the sink's entry
 * (the Kafka wing gives every spool a `worker-<id>` folder, so two workers never append to one spool
 * and a replacement worker replays its predecessor's).
 */
export function configForWorker(config: FootfallConfig, id: number): FootfallConfig {
  const sinks = Object.fromEntries(
    Object.entries(config.sinks).map(([name, sink]) => [name, sinkConfigForWorker(sink, id)]),
  );
  return Object.freeze({ ...config, sinks: Object.freeze(sinks) }) as FootfallConfig;
}
