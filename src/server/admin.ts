/**
 * The admin listener: metrics and health on their own port, bound to loopback by default, so the
 * public port that browsers reach never exposes operational data.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Inspector } from '../inspector/inspector.js';
import { inspectorRoutes } from './admin-inspector.js';
import { ERROR_CODES, sendError } from './errors.js';
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
  /** The live inspector and its token, when enabled. */
  readonly inspector?: { readonly hub: Inspector; readonly token: string | null };
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
  if (deps.inspector) {
    await app.register(inspectorRoutes, { inspector: deps.inspector.hub, token: deps.inspector.token });
    // The streams are endless: end them first, or closing would wait for every watcher to leave.
    app.addHook('preClose', (done) => {
      deps.inspector?.hub.close();
      done();
    });
  } else {
    app.get('/inspect', async (_request, reply) =>
      sendError(
        reply,
        404,
        ERROR_CODES.notFound,
        'the inspector is off; set inspector.enabled (or FOOTFALL_INSPECTOR=true) to use it',
      ),
    );
  }
  return app;
}
