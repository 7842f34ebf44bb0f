/**
 * The browser source: Divolte's pixel endpoint, the tracker script (tracker-script.ts), the demo page
 * (demo-page.ts) and a POST variant of the event endpoint for the tracker's beacons. The answer goes
 * out before the event is processed, so a slow or failing pipeline never shows in page loads; what
 * the event turns into is counted as its outcome instead.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserSourceConfig } from '../../config/index.js';
import { processEvent, type MappingRoute, type PipelineContext } from '../../pipeline/index.js';
import {
  isPixelRefetch,
  parsePartyId,
  parseSessionId,
  PIXEL_GIF,
  PIXEL_HEADERS,
} from '../../protocol/index.js';
import type { ClientAddressPolicy } from '../client-address.js';
import { ERROR_CODES, sendError } from '../errors.js';
import { parseBrowserEvent, parseQuery, type QueryValues } from './browser-event.js';
import { isHttps, serverCookies } from './cookies.js';
import { demoPageRoute } from './demo-page.js';
import { trackerScriptRoute } from './tracker-script.js';

export interface BrowserSourceOptions {
  readonly name: string;
  readonly source: BrowserSourceConfig;
  readonly routes: readonly MappingRoute[];
  readonly pipeline: PipelineContext;
  readonly addresses: ClientAddressPolicy;
  readonly now: () => number;
}

/**
 * Most events in one beacon. The tracker holds at most 32; a beacon body is capped at 64 KiB by
 * browsers anyway.
 */
export const MAX_BEACON_EVENTS = 64;
export const MAX_BEACON_BYTES = 64 * 1024;

// Built once: the hot path only hands Node a ready Buffer and a frozen header object.
const PIXEL = Buffer.from(PIXEL_GIF.buffer, PIXEL_GIF.byteOffset, PIXEL_GIF.byteLength);
const PIXEL_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(PIXEL_HEADERS).map(([key, value]) => [key.toLowerCase(), value])),
);
const NOT_MODIFIED_HEADERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(PIXEL_RESPONSE_HEADERS).filter(([key]) => key !== 'content-type')),
);
const OTHER_METHODS = ['HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

export const browserSource: FastifyPluginAsync<BrowserSourceOptions> = async (app, options) => {
  const { name, source, routes, pipeline, addresses, now } = options;
  const eventUrl = `${source.prefix}${source.eventSuffix}`;

  const record = (query: QueryValues, request: FastifyRequest, receivedAt: number): void => {
    const parsed = parseBrowserEvent(query, {
      sourceName: name,
      receivedAt,
      remoteHost: addresses.clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for']),
      userAgent: request.headers['user-agent'] ?? null,
      headers: request.headers,
    });
    if (!parsed.ok) {
      pipeline.outcomes.record({ kind: 'invalid', reason: parsed.reason, detail: parsed.message }, name);
      return;
    }
    processEvent(parsed.event, routes, pipeline);
  };

  // With serverCookies the answer carries the ids of the (last valid) event as first-party cookies.
  const setCookies = (
    reply: FastifyReply,
    request: FastifyRequest,
    queries: readonly QueryValues[],
  ): void => {
    for (let i = queries.length - 1; i >= 0; i--) {
      const party = parsePartyId(queries[i]!.get('p')?.[0] ?? '');
      const session = parseSessionId(queries[i]!.get('s')?.[0] ?? '');
      if (party && session) {
        reply.header(
          'set-cookie',
          serverCookies(source, party.value, session.value, isHttps(request, addresses)),
        );
        return;
      }
    }
  };

  const queryOf = (url: string): QueryValues => {
    const mark = url.indexOf('?');
    return parseQuery(mark === -1 ? '' : url.slice(mark + 1));
  };

  const handleEvent = (request: FastifyRequest, reply: FastifyReply): void => {
    // A browser re-sending a cached pixel request is replaying an event we already have.
    if (isPixelRefetch(request.headers['if-none-match'])) {
      reply.code(304).headers(NOT_MODIFIED_HEADERS).send();
      return;
    }
    const receivedAt = now();
    const query = queryOf(request.url);
    if (source.serverCookies) setCookies(reply, request, [query]);
    reply.code(200).headers(PIXEL_RESPONSE_HEADERS).send(PIXEL);
    record(query, request, receivedAt);
  };

  // navigator.sendBeacon can only POST. The text/plain body holds one event query string per line,
  // exactly what the GET would carry, in the order the tracker signalled them; the URL's own query
  // string is ignored. Divolte answered 405 here; no client relied on it.
  const handleBeacon = (request: FastifyRequest, reply: FastifyReply): void => {
    const receivedAt = now();
    const queries: QueryValues[] = [];
    for (const line of (typeof request.body === 'string' ? request.body : '').split('\n')) {
      const query = line.trim();
      if (query.length > 0) queries.push(parseQuery(query));
    }
    if (queries.length > MAX_BEACON_EVENTS) {
      sendError(reply, 413, ERROR_CODES.tooLarge, `a beacon carries at most ${MAX_BEACON_EVENTS} events`);
      return;
    }
    if (source.serverCookies) setCookies(reply, request, queries);
    reply.code(204).header('cache-control', 'no-store').send();
    for (const query of queries) record(query, request, receivedAt);
  };

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
