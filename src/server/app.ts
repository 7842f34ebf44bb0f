/**
 * Builds the Fastify application from a frozen config and its dependencies, without listening.
 * Tests call `app.inject()` on it; the CLI listens. Each source is an encapsulated plugin, so its
 * parsers, limits and error handling cannot leak into another source.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { FootfallConfig } from '../config/index.js';
import type { MappingRoute, PipelineContext } from '../pipeline/index.js';
import { createClientAddressPolicy } from './client-address.js';
import { ERROR_CODES, sendError } from './errors.js';
import type { CollectorMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import { healthRoutes } from './routes/health.js';
import { browserSource } from './sources/browser.js';
import { jsonSource } from './sources/json.js';

export interface AppDeps {
  readonly logger: FastifyBaseLogger;
  /** Mapping routes per source name, resolved at start-up. */
  readonly routing: ReadonlyMap<string, readonly MappingRoute[]>;
  readonly pipeline: PipelineContext;
  readonly readiness: Readiness;
  readonly now?: () => number;
  /** Request counters; absent in tests that do not care. */
  readonly metrics?: CollectorMetrics;
}

export async function buildApp(config: FootfallConfig, deps: AppDeps): Promise<FastifyInstance> {
  const { server } = config;
  const app = Fastify({
    loggerInstance: deps.logger,
    // One log line per request would be one per event: far too much at collector rates.
    logController: new LogController({ disableRequestLogging: true }),
    // Node only enforces request and header timeouts when it sweeps its connections; the default
    // sweep every 30 s would let a slow client hold a socket far past requestTimeout.
    http: { maxHeaderSize: server.maxHeaderSize, connectionsCheckingInterval: 1000 },
    requestTimeout: server.requestTimeout,
    keepAliveTimeout: server.keepAliveTimeout,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });

  // Slow clients: whole request and headers within requestTimeout (408 after that).
  app.server.headersTimeout = server.requestTimeout;

  const now = deps.now ?? Date.now;
  const addresses = createClientAddressPolicy(server.trustProxies);

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length > server.maxUrlLength) {
      return sendError(
        reply,
        414,
        ERROR_CODES.uriTooLong,
        `the URL is longer than ${server.maxUrlLength} bytes`,
      );
    }
    return undefined;
  });

  const metrics = deps.metrics;
  if (metrics) {
    app.addHook('onResponse', (request, reply, done) => {
      metrics.countRequest(request.routeOptions.url ?? 'unmatched', reply.statusCode);
      done();
    });
  }

  app.setNotFoundHandler((_request, reply) =>
    sendError(reply, 404, ERROR_CODES.notFound, 'no such endpoint'),
  );
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, 500, ERROR_CODES.internal, 'internal error');
    }
    return sendError(reply, status, ERROR_CODES.badRequest, 'the request could not be read');
  });

  await app.register(healthRoutes, { readiness: deps.readiness });

  for (const [name, source] of Object.entries(config.sources)) {
    const routes = deps.routing.get(name) ?? [];
    const shared = { name, routes, pipeline: deps.pipeline, addresses, now };
    if (source.type === 'json') await app.register(jsonSource, { ...shared, source });
    else await app.register(browserSource, { ...shared, source });
  }
  return app;
}
