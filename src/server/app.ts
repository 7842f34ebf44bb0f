/**
 * Builds the Fastify application from a frozen config and its dependencies, without listening.
 * Tests call `app.inject()` on it; the CLI listens. Each source is an encapsulated plugin, so its
 * parsers, limits and error handling cannot leak into another source.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { FootfallConfig } from '../config/index.js';
import { Ingest, type MappingRoute, type PipelineContext } from '../pipeline/index.js';
import { createClientAddressPolicy } from './client-address.js';
import { ERROR_CODES, sendError } from './errors.js';
import type { CollectorMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import { healthRoutes } from './routes/health.js';
import { createSource } from './sources/index.js';

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
  const now = deps.now ?? Date.now;
  const addresses = createClientAddressPolicy(server.trustProxies);
  const metrics = deps.metrics;
  // The one place outcomes are recorded; what it catches (a bug, never input) goes to the log.
  const ingest = new Ingest(deps.pipeline, (err, source) =>
    deps.logger.error({ err, source }, 'an event failed in the pipeline'),
  );

  // Each source as its entry in the registry builds it; the app never asks which type it is.
  const sources = Object.entries(config.sources).map(([name, source]) => ({
    name,
    source: createSource({
      name,
      config: source,
      routes: deps.routing.get(name) ?? [],
      ingest,
      addresses,
      now,
      logger: deps.logger,
      metrics,
    }),
  }));
  const fastPaths = sources.flatMap(({ name, source }) =>
    source.fastPath ? [{ name, answer: source.fastPath.bind(source) }] : [],
  );

  // Sources with heavy traffic answer it before Fastify's routing (the browser source: its pixel).
  const fastPath = (request: IncomingMessage, response: ServerResponse): boolean => {
    if ((request.url ?? '').length > server.maxUrlLength) return false; // Fastify's hook answers 414.
    // While the server closes, keep-alive clients are told to go elsewhere, as Fastify tells them on
    // its own routes; a request a fast path takes is still served.
    if (!httpServer.listening) response.setHeader('connection', 'close');
    for (const { name, answer } of fastPaths) {
      try {
        if (answer(request, response)) return true;
      } catch (err) {
        // Fast paths guard themselves; this only keeps a bug in one from taking the process down.
        deps.logger.error({ err, source: name }, 'a fast path failed');
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        if (!response.writableEnded) response.end();
        return true;
      }
    }
    return false;
  };
  let httpServer: ReturnType<typeof createServer>;

  const app = Fastify({
    loggerInstance: deps.logger,
    // One log line per request would be one per event: far too much at collector rates.
    logController: new LogController({ disableRequestLogging: true }),
    serverFactory: (handler) => {
      // Node only enforces request and header timeouts when it sweeps its connections; the default
      // sweep every 30 s would let a slow client hold a socket far past requestTimeout.
      httpServer = createServer(
        { maxHeaderSize: server.maxHeaderSize, connectionsCheckingInterval: 1000 },
        (request, response) => {
          if (fastPaths.length === 0 || !fastPath(request, response)) handler(request, response);
        },
      );
      httpServer.keepAliveTimeout = server.keepAliveTimeout;
      httpServer.requestTimeout = server.requestTimeout;
      // Slow clients: whole request and headers within requestTimeout (408 after that).
      httpServer.headersTimeout = server.requestTimeout;
      return httpServer;
    },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });

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
  // Pixel events answered in the last turn of the event loop may still wait for their batch; the
  // sinks are drained after the app closes, so they must be in them by then.
  app.addHook('onClose', (_app, done) => {
    for (const { source } of sources) source.close?.();
    done();
  });

  for (const { source } of sources) await app.register(source.plugin);
  return app;
}
