/**
 * Liveness, readiness and Divolte's /ping. Liveness only says the process answers; readiness says it
 * can keep what it is sent (sinks healthy, not draining), which is what a load balancer should ask.
 *
 * The public listener says only `ready` or `unavailable`: the checks name brokers, file paths, host
 * names and process ids, which are nobody's business on the internet and most tempting during an
 * incident. The admin listener (admin.ts, loopback by default) serves them with the journal figures.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Readiness } from '../readiness.js';

export interface HealthOptions {
  readonly readiness: Readiness;
  /** Show each check with its detail and journal figures (the admin listener only). */
  readonly details?: boolean;
}

// Built once: the public answers never change.
const READY = Object.freeze({ status: 'ready' });
const UNAVAILABLE = Object.freeze({ status: 'unavailable' });

export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (
  app,
  { readiness, details = false },
) => {
  app.get('/ping', async (_request, reply) => {
    reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8');
    if (readiness.isShuttingDown) return reply.code(503).send('shutting down');
    return reply.send('pong');
  });

  app.get('/health/live', async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send({ status: 'live' });
  });

  app.get('/health/ready', async (_request, reply) => {
    const report = readiness.current();
    reply.code(report.ready ? 200 : 503).header('cache-control', 'no-store');
    if (!details) return reply.send(report.ready ? READY : UNAVAILABLE);
    return reply.send({ status: report.ready ? 'ready' : 'unavailable', checks: report.checks });
  });
};
