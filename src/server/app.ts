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
import { browserSource } from './sources/browser/source.js';
import { jsonSource } from './sources/json/source.js';
import { browserEvents, type BrowserEvents } from './sources/browser/pixel.js';

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

  // The pixel is most of the traffic and needs none of Fastify's routing, hooks or reply handling, so
  // the HTTP server answers `GET {prefix}{eventSuffix}` itself and hands everything else to Fastify.
  const pixels = new Map<string, { events: BrowserEvents; route: string }>();
  const browser = new Map<string, BrowserEvents>();
  for (const [name, source] of Object.entries(config.sources)) {
    if (source.type !== 'browser') continue;
    const events = browserEvents({
      name,
      source,
      routes: deps.routing.get(name) ?? [],
      ingest,
      addresses,
      now,
    });
    browser.set(name, events);
    const path = `${source.prefix}${source.eventSuffix}`;
    pixels.set(path, { events, route: path });
  }
  const fastPath = (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== 'GET') return false;
    const url = request.url ?? '';
    if (url.length > server.maxUrlLength) return false; // Fastify's hook answers 414.
    const mark = url.indexOf('?');
    const pixel = pixels.get(mark === -1 ? url : url.slice(0, mark));
    if (!pixel) return false;
    // While the server closes, keep-alive clients are told to go elsewhere; the event is still taken.
    if (!httpServer.listening) response.setHeader('connection', 'close');
    try {
      pixel.events.pixel(request, response);
    } catch (err) {
      // A bug, never input (the parsers do not throw): answer if we still can and keep serving.
      deps.logger.error({ err }, 'the pixel handler failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      if (!response.writableEnded) response.end();
    }
    metrics?.countRequest(pixel.route, response.statusCode);
    return true;
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
          if (!fastPath(request, response)) handler(request, response);
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
    for (const events of browser.values()) events.flush();
    done();
  });

  for (const [name, source] of Object.entries(config.sources)) {
    if (source.type === 'json') {
      const routes = deps.routing.get(name) ?? [];
      await app.register(jsonSource, { name, source, routes, ingest, addresses, now });
    } else {
      await app.register(browserSource, { name, source, events: browser.get(name) as BrowserEvents, now });
    }
  }
  return app;
}
