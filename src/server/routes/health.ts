/**
 * Liveness, readiness and Divolte's /ping. Liveness only says the process answers; readiness says it
 * can keep what it is sent (sinks healthy, not draining), which is what a load balancer should ask.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Readiness } from '../readiness.js';

export interface HealthOptions {
  readonly readiness: Readiness;
}

export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, { readiness }) => {
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
    return reply
      .code(report.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: report.ready ? 'ready' : 'unavailable', checks: report.checks });
  });
};
