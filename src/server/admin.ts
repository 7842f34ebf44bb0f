/**
 * The admin listener: metrics and health on their own port, bound to loopback by default, so the
 * public port that browsers reach never exposes operational data.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Readiness } from './readiness.js';
import { healthRoutes } from './routes/health.js';

export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export async function buildAdminApp(deps: {
  readonly logger: FastifyBaseLogger;
  /** What /metrics serves: one collector's registry, or the cluster primary's sum over workers. */
  readonly metrics: MetricsSource;
  readonly readiness: Readiness;
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  // The full readiness report (each check, its detail, the journal figures) is served here only.
  await app.register(healthRoutes, { readiness: deps.readiness, details: true });
  app.get('/metrics', async (_request, reply) => {
    const body = await deps.metrics.metrics();
    return reply.header('cache-control', 'no-store').type(deps.metrics.contentType).send(body);
  });
  return app;
}
