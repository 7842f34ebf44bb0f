/**
 * The admin listener: metrics and health on their own port, bound to loopback by default, so the
 * public port that browsers reach never exposes operational data.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { CollectorMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import { healthRoutes } from './routes/health.js';

export async function buildAdminApp(deps: {
  readonly logger: FastifyBaseLogger;
  readonly metrics: CollectorMetrics;
  readonly readiness: Readiness;
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  await app.register(healthRoutes, { readiness: deps.readiness });
  app.get('/metrics', async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(deps.metrics.registry.contentType).send(body);
  });
  return app;
}
