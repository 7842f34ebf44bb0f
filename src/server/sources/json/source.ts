/**
 * The JSON source: apps and servers POST events as JSON. It keeps Divolte's statuses (204, 400, 405,
 * 413, 415) but validates before answering, accepts a charset parameter and arrays of events, and
 * answers 503 when the events could not be kept so the client retries instead of losing them.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { JsonSourceConfig } from '../../../config/index.js';
import type { Ingest, InvalidReason, MappingRoute, RequestView, Taken } from '../../../pipeline/index.js';
import { parsePartyId } from '../../../protocol/index.js';
import type { ClientAddressPolicy } from '../../client-address.js';
import { ERROR_CODES, sendError, sendNotStored, type ErrorCode } from '../../errors.js';
import { bodyView, requestView } from '../request-view.js';
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

  // What the inspector shows of a request; built only while it watches.
  const viewOf = (request: FastifyRequest): RequestView | undefined => {
    if (!ingest.watching) return undefined;
    const body = request.body;
    return requestView(
      {
        method: request.method,
        url: request.url,
        receivedAt: now(),
        remoteHost: addresses.clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for']),
        userAgent: request.headers['user-agent'] ?? null,
        headers: request.headers,
      },
      Buffer.isBuffer(body) || typeof body === 'string' ? { body: bodyView(body) } : {},
    );
  };

  // Every refusal goes through the seam with the events it held; a body never read counts as one.
  const reject = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    code: ErrorCode,
    reason: InvalidReason,
    message: string,
    events = 1,
  ) => {
    ingest.reject(name, reason, events, message, viewOf(request));
    return sendError(reply, status, code, message);
  };

  const rejectContentType = (request: FastifyRequest, reply: FastifyReply) =>
    reject(
      request,
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
        request,
        reply,
        413,
        ERROR_CODES.tooLarge,
        'too_large',
        `the body is larger than ${source.maxBodySize} bytes`,
      );
    }
    if (error.statusCode === 415) return rejectContentType(request, reply);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reject(
        request,
        reply,
        400,
        ERROR_CODES.badRequest,
        'bad_request',
        'the request could not be read',
      );
    }
    request.log.error({ err: error }, 'JSON source failed');
    // A bug before the events reached the seam (it never throws): they still end in an outcome.
    ingest.reject(name, 'internal_error', 1, undefined, viewOf(request));
    return sendError(reply, 500, ERROR_CODES.internal, 'internal error');
  });

  /**
   * The answer from the events' final outcomes. Not stored (`dropped`): 503, retry. A bug
   * (`failed: internal_error`): 500. Not mappable (`invalid: mapping_failed`: a mapping threw, or
   * its schema refused the record): 400, since a retry would fail the same way; the message names
   * the events by their place in the array and never quotes the mapping's error, which may hold the
   * event's own text (it is in the log). Otherwise 204, discarded events included (duplicates,
   * filtered, corrupt: the mapping's choice).
   */
  const answer = (reply: FastifyReply, taken: readonly Taken[], array: boolean): FastifyReply => {
    let dropped = 0;
    let failed = 0;
    const unmappable: number[] = [];
    for (let i = 0; i < taken.length; i++) {
      const outcome = taken[i]!.outcome;
      if (outcome.kind === 'dropped') dropped++;
      // `failed: no_mapping` is the operator's choice (a source that feeds no mapping, warned about
      // at start-up), not a failure of this request.
      else if (outcome.kind === 'failed' && outcome.reason === 'internal_error') failed++;
      else if (outcome.kind === 'invalid') unmappable.push(i);
    }
    if (dropped > 0) {
      return sendNotStored(reply, dropped);
    }
    if (failed > 0) return sendError(reply, 500, ERROR_CODES.internal, 'internal error');
    if (unmappable.length > 0) {
      const which = array
        ? `event(s) ${unmappable.join(', ')} could not be mapped to a record` +
          (unmappable.length < taken.length ? '; the others were stored' : '')
        : 'the event could not be mapped to a record';
      return sendError(reply, 400, ERROR_CODES.unmappable, which);
    }
    return reply.code(204).send();
  };

  app.route({
    method: 'POST',
    url: source.path,
    handler: async (request, reply) => {
      cors(request, reply);
      const contentType = request.headers['content-type'];
      if (!contentType || !JSON_TYPE.test(contentType)) return rejectContentType(request, reply);
      const query = request.query as Record<string, string | string[] | undefined>;
      const raw = query[source.partyIdParameter];
      const sent = Array.isArray(raw) ? raw[0] : raw;
      const party = sent ? parsePartyId(sent) : null;
      if (party === null) {
        return reject(
          request,
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
          // Canonical, as the pixel records it: one visitor is one party and one Kafka key.
          partyId: party.value,
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
        return reject(request, reply, 400, code, parsed.reason, parsed.message, parsed.events);
      }
      const view = viewOf(request);
      const taken = parsed.events.map((event) => ingest.take(event, routes, view));
      // Answered means stored: the answer waits for the turn's journal writes.
      await ingest.committed();
      return answer(reply, taken, parsed.array);
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
