/**
 * The JSON source: apps and servers POST events as JSON. It keeps Divolte's statuses (204, 400, 405,
 * 413, 415) but validates before answering, accepts a charset parameter and arrays of events, and
 * answers 503 when the events could not be kept so the client retries instead of losing them.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { JsonSourceConfig } from '../../../config/index.js';
import type { Ingest, InvalidReason, MappingRoute } from '../../../pipeline/index.js';
import { parsePartyId } from '../../../protocol/index.js';
import type { ClientAddressPolicy } from '../../client-address.js';
import { ERROR_CODES, sendError, type ErrorCode } from '../../errors.js';
import { parseJsonEvents } from './json-event.js';

export interface JsonSourceOptions {
  readonly name: string;
  readonly source: JsonSourceConfig;
  readonly routes: readonly MappingRoute[];
  /** The outcome seam: events and refused requests are counted there and nowhere else. */
  readonly ingest: Ingest;
  readonly addresses: ClientAddressPolicy;
  readonly now: () => number;
}

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

export const jsonSource: FastifyPluginAsync<JsonSourceOptions> = async (app, options) => {
  const { name, source, routes, ingest, addresses, now } = options;
  const allowAnyOrigin = source.corsOrigins.includes('*');
  const allowedOrigins = new Set(source.corsOrigins);

  // Every refusal goes through the seam with the events it held; a body never read counts as one.
  const reject = (
    reply: FastifyReply,
    status: number,
    code: ErrorCode,
    reason: InvalidReason,
    message: string,
    events = 1,
  ) => {
    ingest.reject(name, reason, events);
    return sendError(reply, status, code, message);
  };

  const rejectContentType = (reply: FastifyReply) =>
    reject(
      reply,
      415,
      ERROR_CODES.contentType,
      'bad_content_type',
      'the content type must be application/json',
    );

  const cors = (request: FastifyRequest, reply: FastifyReply): void => {
    const origin = request.headers.origin;
    if (origin && (allowAnyOrigin || allowedOrigins.has(origin))) {
      reply.header('access-control-allow-origin', allowAnyOrigin ? '*' : origin).header('vary', 'Origin');
    }
  };

  // Only this plugin's routes see this parser: keep the raw bytes of any content type and let the
  // handler check the type and parse, so every failure maps to one documented status and message.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: source.maxBodySize }, (_req, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    cors(request, reply);
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reject(
        reply,
        413,
        ERROR_CODES.tooLarge,
        'too_large',
        `the body is larger than ${source.maxBodySize} bytes`,
      );
    }
    if (error.statusCode === 415) return rejectContentType(reply);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reject(reply, 400, ERROR_CODES.badRequest, 'bad_request', 'the request could not be read');
    }
    request.log.error({ err: error }, 'JSON source failed');
    // A bug before the events reached the seam (it never throws): they still end in an outcome.
    ingest.reject(name, 'internal_error', 1);
    return sendError(reply, 500, ERROR_CODES.internal, 'internal error');
  });

  app.route({
    method: 'POST',
    url: source.path,
    handler: async (request, reply) => {
      cors(request, reply);
      const contentType = request.headers['content-type'];
      if (!contentType || !JSON_TYPE.test(contentType)) return rejectContentType(reply);
      const query = request.query as Record<string, string | string[] | undefined>;
      const raw = query[source.partyIdParameter];
      const partyId = Array.isArray(raw) ? raw[0] : raw;
      if (!partyId || parsePartyId(partyId) === null) {
        return reject(
          reply,
          400,
          ERROR_CODES.badPartyId,
          'bad_identifier',
          `query parameter ${source.partyIdParameter} must be a Divolte party identifier`,
        );
      }
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const parsed = parseJsonEvents(
        body,
        {
          sourceName: name,
          partyId,
          receivedAt: now(),
          remoteHost: addresses.clientAddress(
            request.socket.remoteAddress,
            request.headers['x-forwarded-for'],
          ),
          userAgent: request.headers['user-agent'] ?? null,
          headers: request.headers,
        },
        source.maxEventsPerRequest,
      );
      if (!parsed.ok) {
        const code = parsed.reason === 'bad_json' ? ERROR_CODES.badJson : ERROR_CODES.badEvent;
        return reject(reply, 400, code, parsed.reason, parsed.message, parsed.events);
      }
      const taken = parsed.events.map((event) => ingest.take(event, routes));
      // Answered means stored: the answer waits for the turn's journal writes.
      await ingest.committed();
      let dropped = 0;
      for (const event of taken) if (event.outcome.kind === 'dropped') dropped++;
      if (dropped > 0) {
        reply.header('retry-after', '5');
        return sendError(
          reply,
          503,
          ERROR_CODES.unavailable,
          `${dropped} event(s) could not be stored; retry later`,
        );
      }
      return reply.code(204).send();
    },
  });

  // Every other method Node parses (app.ts teaches Fastify all of them), answered before any body is
  // read, so a PUT with a body is neither parsed nor counted: it is a wrong method, not an event.
  const otherMethod = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS' && request.headers.origin) {
      cors(request, reply);
      return reply
        .code(204)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'Content-Type')
        .header('access-control-max-age', '600')
        .send();
    }
    reply.header('allow', 'POST');
    return sendError(reply, 405, ERROR_CODES.method, 'use POST');
  };
  app.route({
    method: app.supportedMethods.filter((method) => method !== 'POST'),
    url: source.path,
    onRequest: otherMethod,
    handler: otherMethod,
  });
};
