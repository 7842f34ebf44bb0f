/**
 * Builds the Fastify application from a frozen config and its dependencies, without listening.
 * Tests call `app.inject()` on it; the CLI listens. Each source is an encapsulated plugin, so its
 * parsers, limits and error handling cannot leak into another source.
 */
import { createServer, METHODS, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import type { FootfallConfig } from '../config/index.js';
import { Ingest, type MappingRoute, type PipelineContext } from '../pipeline/index.js';
import { createClientAddressPolicy } from './client-address.js';
import { ERROR_CODES, rawErrorResponse, sendError, writeError, type ErrorCode } from './errors.js';
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

/** The code and sentence of an error answer, by status, for errors Fastify raises on its own. */
const ANSWERS_BY_STATUS: Readonly<Record<number, readonly [ErrorCode, string]>> = {
  404: [ERROR_CODES.notFound, 'no such endpoint'],
  405: [ERROR_CODES.method, 'this method is not allowed here'],
  408: [ERROR_CODES.timeout, 'the request took too long to arrive'],
  413: [ERROR_CODES.tooLarge, 'the request body is too large'],
  414: [ERROR_CODES.uriTooLong, 'the URL is too long'],
  415: [ERROR_CODES.contentType, 'this content type is not accepted here'],
  431: [ERROR_CODES.headersTooLarge, 'the request headers are too large'],
};
const BAD_REQUEST = [ERROR_CODES.badRequest, 'the request could not be read'] as const;

/** A response is in flight on the socket: Node's own field, which its default handler reads too. */
interface HttpSocket extends Duplex {
  readonly _httpMessage?: ServerResponse | null;
}

/**
 * Answers to what Node's HTTP parser refuses before there is a request (bad framing, NUL bytes,
 * unknown methods, headers over the limit, a request slower than requestTimeout), written as fixed
 * bytes: the same codes and shape as every other error, and nothing read from the connection.
 */
function clientErrorAnswers(maxHeaderSize: number, requestTimeout: number): (err: Error) => Buffer {
  const badRequest = rawErrorResponse(400, ERROR_CODES.badRequest, 'the request is not valid HTTP/1.1');
  const byCode: Record<string, Buffer> = {
    HPE_HEADER_OVERFLOW: rawErrorResponse(
      431,
      ERROR_CODES.headersTooLarge,
      `the request line and headers are larger than ${maxHeaderSize} bytes`,
    ),
    HPE_CHUNK_EXTENSIONS_OVERFLOW: rawErrorResponse(
      413,
      ERROR_CODES.tooLarge,
      'the chunk extensions are too large',
    ),
    ERR_HTTP_REQUEST_TIMEOUT: rawErrorResponse(
      408,
      ERROR_CODES.timeout,
      `the request did not arrive within ${requestTimeout} ms`,
    ),
  };
  return (err) => byCode[(err as NodeJS.ErrnoException).code ?? ''] ?? badRequest;
}

/** The inspector page's address as a browser on this machine reaches it; null when it is off. */
function inspectorUrl(config: FootfallConfig): string | null {
  const { inspector, admin } = config;
  if (!inspector.enabled || !admin.enabled) return null;
  const wildcard = admin.host === '0.0.0.0' || admin.host === '::';
  const host = wildcard ? '127.0.0.1' : admin.host.includes(':') ? `[${admin.host}]` : admin.host;
  return `http://${host}:${admin.port}/inspect`;
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
      inspectorUrl: inspectorUrl(config),
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
        if (!response.headersSent) writeError(response, 500, ERROR_CODES.internal, 'internal error');
        else if (!response.writableEnded) response.end();
        return true;
      }
    }
    return false;
  };
  let httpServer: ReturnType<typeof createServer>;
  const clientErrorAnswer = clientErrorAnswers(server.maxHeaderSize, server.requestTimeout);
  let closing = false;

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
    // Fastify's own handler answers with its own body; this one answers as the documented errors do.
    // Node calls it (the server's `clientError` event) for what its parser refuses, before any request.
    clientErrorHandler: (err: Error & { code?: string }, socket: Duplex) => {
      // A reset connection has nobody left to answer.
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      // As Node's default handler: never write into a response that has begun.
      const inFlight = (socket as HttpSocket)._httpMessage;
      if (socket.writable && !inFlight?.headersSent) socket.write(clientErrorAnswer(err));
      deps.logger.trace({ err }, 'refused by the HTTP parser');
      socket.destroy(err);
    },
    // Fastify's default answers echo the URL back (FST_ERR_BAD_URL) in its own shape.
    frameworkErrors: (error: FastifyError, request, reply) => {
      if (error.code === 'FST_ERR_BAD_URL') {
        return sendError(reply, 400, ERROR_CODES.badRequest, 'the URL path could not be decoded');
      }
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        return sendError(reply, 414, ERROR_CODES.uriTooLong, 'the URL is too long');
      }
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, 500, ERROR_CODES.internal, 'internal error');
    },
    bodyLimit: 1024 * 1024,
    // The onRequest hook below answers instead, with the documented body.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });

  // Fastify knows nine methods and answers 404 to the rest; knowing every method Node parses lets the
  // event endpoints answer 405 with Allow to any method they do not take.
  for (const method of METHODS) {
    if (method !== 'CONNECT' && !app.supportedMethods.includes(method)) {
      app.addHttpMethod(method, { hasBody: true });
    }
  }

  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  app.addHook('onRequest', async (request, reply) => {
    if (closing) {
      // Keep-alive clients are told to go elsewhere; the pixel's fast path still serves its own.
      reply.header('connection', 'close');
      return sendError(reply, 503, ERROR_CODES.unavailable, 'the collector is shutting down');
    }
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
    if (status >= 500 || status < 400) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, 500, ERROR_CODES.internal, 'internal error');
    }
    const [code, message] = ANSWERS_BY_STATUS[status] ?? BAD_REQUEST;
    return sendError(reply, status, code, message);
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
