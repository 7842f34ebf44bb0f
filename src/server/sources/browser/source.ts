/**
 * The browser source: Divolte's pixel endpoint, the tracker script (tracker-script.ts), the demo page
 * (demo-page.ts) and a POST variant of the event endpoint for the tracker's beacons. The answer goes
 * out before the event is processed, so a slow or failing pipeline never shows in page loads; what
 * the event turns into is counted as its outcome instead.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserSourceConfig } from '../../../config/index.js';
import type { Ingest, RefusalReason } from '../../../pipeline/index.js';
import { parseEventQuery, type EventQuery } from '../../../protocol/index.js';
import { ERROR_CODES, sendError } from '../../errors.js';
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
}

/**
 * Most events in one beacon. The tracker holds at most 32; a beacon body is capped at 64 KiB by
 * browsers anyway.
 */
const MAX_BEACON_EVENTS = 64;
const MAX_BEACON_BYTES = 64 * 1024;

const OTHER_METHODS = ['HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

function refusalReason(status: number): RefusalReason {
  if (status === 413) return 'too_large';
  if (status === 415) return 'bad_content_type';
  return status >= 500 ? 'internal_error' : 'bad_request';
}

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

  // navigator.sendBeacon can only POST. The text/plain body holds one event query string per line,
  // exactly what the GET would carry, in the order the tracker signalled them; the URL's own query
  // string is ignored. Divolte answered 405 here; no client relied on it.
  const handleBeacon = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const receivedAt = now();
    const queries: EventQuery[] = [];
    for (const line of (typeof request.body === 'string' ? request.body : '').split('\n')) {
      const query = line.trim();
      if (query.length > 0) queries.push(parseEventQuery(query));
    }
    if (queries.length > MAX_BEACON_EVENTS) {
      ingest.reject(name, 'too_large', queries.length);
      sendError(reply, 413, ERROR_CODES.tooLarge, `a beacon carries at most ${MAX_BEACON_EVENTS} events`);
      return;
    }
    const cookies = events.cookiesFor(queries, request.raw);
    // Answered means stored: the answer waits for the turn's journal writes. A beacon the journal
    // could not take gets 503: sendBeacon never shows its answer to the page, but any other client
    // posting events here learns to retry, and the events count as dropped either way.
    const dropped = await events.beacon(queries, request.raw, receivedAt);
    if (cookies) reply.header('set-cookie', cookies);
    reply.header('cache-control', 'no-store');
    if (dropped > 0) {
      reply.header('retry-after', '5');
      sendError(reply, 503, ERROR_CODES.unavailable, `${dropped} event(s) could not be stored; retry later`);
      return;
    }
    reply.code(204).send();
  };

  // A beacon Fastify refuses before the handler (body over 64 KiB, a content type it cannot read, a
  // broken body) still held events: they are counted here, unread, as one. The app's error handler
  // answers as it does for any route, so statuses and bodies stay those of every other refusal.
  app.addHook('onError', (request, _reply, error, done) => {
    if (request.method === 'POST' && request.routeOptions.url === eventUrl) {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      ingest.reject(name, refusalReason(status), 1);
    }
    done();
  });

  app.route({ method: 'GET', url: eventUrl, exposeHeadRoute: false, handler: handleEvent });
  app.route({ method: 'POST', url: eventUrl, bodyLimit: MAX_BEACON_BYTES, handler: handleBeacon });
  app.route({
    method: [...OTHER_METHODS],
    url: eventUrl,
    handler: (_request, reply) => {
      reply
        .code(405)
        .header('allow', 'GET, POST')
        .type('text/plain; charset=utf-8')
        .send('Method Not Allowed');
    },
  });
  await app.register(trackerScriptRoute, { source });
  if (source.demoPage) await app.register(demoPageRoute, { source });
};
