/**
 * The browser source: Divolte's pixel endpoint, the tracker script (tracker-script.ts), the demo page
 * (demo-page.ts) and a POST variant of the event endpoint for the tracker's beacons. The answer goes
 * out before the event is processed, so a slow or failing pipeline never shows in page loads; what
 * the event turns into is counted as its outcome instead.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserSourceConfig } from '../../../config/index.js';
import type { Ingest, RefusalReason } from '../../../pipeline/index.js';
import { parseEventQuery } from '../../../protocol/index.js';
import { ERROR_CODES, sendError, sendNotStored, type ErrorCode } from '../../errors.js';
import { beaconLines, MAX_BEACON_BYTES, MAX_BEACON_EVENTS } from './beacon.js';
import { demoPageRoute } from './demo-page.js';
import type { BrowserEvents } from './pixel.js';
import { trackerScriptRoute } from './tracker-script.js';

export interface BrowserSourceOptions {
  readonly name: string;
  readonly source: BrowserSourceConfig;
  /** The source's pixel handler and event recorder, shared with the HTTP server's fast path. */
  readonly events: BrowserEvents;
  /** The outcome seam, for beacons refused as a whole. */
  readonly ingest: Ingest;
  readonly now: () => number;
  /** The live inspector's page, for the demo page's link; null when it is off. */
  readonly inspectorUrl?: string | null;
}

const TEXT_TYPE = /^text\/plain\s*(?:;|$)/i;

export const browserSource: FastifyPluginAsync<BrowserSourceOptions> = async (app, options) => {
  const { name, source, events, ingest, now } = options;
  const eventUrl = `${source.prefix}${source.eventSuffix}`;

  // Real traffic never gets here for GET (the fast path in index.ts answers it before routing);
  // inject() in tests does, and finds the event processed when its answer arrives.
  const handleEvent = (request: FastifyRequest, reply: FastifyReply): void => {
    reply.hijack();
    events.pixel(request.raw, reply.raw);
    events.flush();
  };

  // Events of each beacon not yet counted, once its handler knows them: 0 after the seam took them
  // or a refusal counted them, so that an error on the way counts each event once. A beacon Fastify
  // refuses before its handler (body over 64 KiB, a content type it cannot read, a broken body) is
  // absent and counts as one: its events were never read.
  const uncounted = new WeakMap<FastifyRequest, number>();
  // What the inspector shows of a refused beacon; built only while it watches.
  const viewOf = (request: FastifyRequest) =>
    ingest.watching ? events.describe(request.raw, request.body) : undefined;
  const refuse = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    code: ErrorCode,
    reason: RefusalReason,
    message: string,
    count = 1,
  ) => {
    uncounted.set(request, 0);
    ingest.reject(name, reason, count, message, viewOf(request));
    return sendError(reply, status, code, message);
  };
  const refuseType = (request: FastifyRequest, reply: FastifyReply) =>
    refuse(
      request,
      reply,
      415,
      ERROR_CODES.contentType,
      'bad_content_type',
      'a beacon body must be text/plain, one event query string a line',
    );

  // navigator.sendBeacon can only POST. The text/plain body holds one event query string per line,
  // exactly what the GET would carry, in the order the tracker signalled them; the URL's own query
  // string is ignored. Divolte answered 405 here; no client relied on it.
  const handleBeacon = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const receivedAt = now();
    const body = typeof request.body === 'string' ? request.body : '';
    const type = request.headers['content-type'];
    // No content type and no body holds no event. Any other type is not a beacon, whatever it holds:
    // a JSON body used to be parsed by Fastify, then ignored, answered 204 and never counted.
    if (type === undefined ? body.length > 0 : !TEXT_TYPE.test(type)) return refuseType(request, reply);
    const lines = beaconLines(body);
    if (!lines.ok) {
      return refuse(
        request,
        reply,
        413,
        ERROR_CODES.tooLarge,
        'too_large',
        `a beacon carries at most ${MAX_BEACON_EVENTS} events`,
        lines.events,
      );
    }
    uncounted.set(request, lines.lines.length);
    const queries = lines.lines.map((line) => parseEventQuery(line));
    const cookies = events.cookiesFor(queries, request.raw);
    // Answered means stored: the answer waits for the turn's journal writes. A beacon the journal
    // could not take gets 503: sendBeacon never shows its answer to the page, but any other client
    // posting events here learns to retry, and the events count as dropped either way.
    uncounted.set(request, 0);
    const dropped = await events.beacon(queries, request.raw, receivedAt);
    if (cookies) reply.header('set-cookie', cookies);
    reply.header('cache-control', 'no-store');
    if (dropped > 0) {
      return sendNotStored(reply, dropped);
    }
    return reply.code(204).send();
  };

  // The beacon route in a plugin of its own: its parser keeps any body as text up to 64 KiB and leaves
  // the type to the handler, so that every refusal has its status, its code and its count.
  await app.register(async (beacons) => {
    beacons.removeAllContentTypeParsers();
    beacons.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: MAX_BEACON_BYTES },
      (_request, text, done) => done(null, text),
    );
    beacons.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      const count = uncounted.get(request);
      if (count !== undefined) {
        // A bug in the handler: its events end as failed, unless the seam has them already.
        request.log.error({ err: error }, 'the beacon handler failed');
        if (count > 0) ingest.reject(name, 'internal_error', count);
        return sendError(reply, 500, ERROR_CODES.internal, 'internal error');
      }
      if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return refuse(
          request,
          reply,
          413,
          ERROR_CODES.tooLarge,
          'too_large',
          `a beacon body is at most ${MAX_BEACON_BYTES} bytes`,
        );
      }
      if (status === 415) return refuseType(request, reply);
      if (status >= 400 && status < 500) {
        return refuse(
          request,
          reply,
          400,
          ERROR_CODES.badRequest,
          'bad_request',
          'the body could not be read',
        );
      }
      request.log.error({ err: error }, 'the beacon handler failed');
      return refuse(request, reply, 500, ERROR_CODES.internal, 'internal_error', 'internal error');
    });
    beacons.route({ method: 'POST', url: eventUrl, handler: handleBeacon });
  });

  app.route({ method: 'GET', url: eventUrl, exposeHeadRoute: false, handler: handleEvent });
  // Every other method Node parses (app.ts teaches Fastify all of them), answered before any body is
  // read: a PUT with a body is a wrong method, not a wrong content type, and carries no event.
  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('allow', 'GET, POST');
    return sendError(reply, 405, ERROR_CODES.method, 'use GET or POST');
  };
  app.route({
    method: app.supportedMethods.filter((method) => method !== 'GET' && method !== 'POST'),
    url: eventUrl,
    onRequest: notAllowed,
    handler: notAllowed,
  });
  await app.register(trackerScriptRoute, { source });
  if (source.demoPage)
    await app.register(demoPageRoute, { source, inspectorUrl: options.inspectorUrl ?? null });
};
