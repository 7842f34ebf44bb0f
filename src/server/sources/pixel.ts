/**
 * The pixel: `GET {prefix}{eventSuffix}`, the one request every page view makes. It is written against
 * Node's own request and response so the HTTP server can answer it before Fastify's routing, hooks and
 * reply machinery run (see app.ts); the Fastify route calls the same function, so `inject()` in tests
 * and real traffic behave alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
import { parseBrowserEvent, parseQuery, type QueryValues } from './browser-event.js';
import { isHttps, serverCookies } from './cookies.js';

export interface PixelOptions {
  readonly name: string;
  readonly source: BrowserSourceConfig;
  readonly routes: readonly MappingRoute[];
  readonly pipeline: PipelineContext;
  readonly addresses: ClientAddressPolicy;
  readonly now: () => number;
}

export interface BrowserEvents {
  /** Answers a pixel request completely: 200 with the GIF, or 304 for a browser's re-fetch. */
  pixel(request: IncomingMessage, response: ServerResponse): void;
  /** Turns one event query into an outcome (used by the pixel and by beacons). */
  record(query: QueryValues, request: IncomingMessage, receivedAt: number): void;
  /** Set-Cookie values for the ids of the last valid query, when `serverCookies` is on. */
  cookiesFor(queries: readonly QueryValues[], request: IncomingMessage): string[] | undefined;
}

// Built once: the hot path hands Node a ready Buffer and ready header lists.
const PIXEL = Buffer.from(PIXEL_GIF.buffer, PIXEL_GIF.byteOffset, PIXEL_GIF.byteLength);
// Divolte's headers, plus two that only say what the pixel is: never sniff it as anything but an
// image, and it is meant to be loaded by other sites (pages with COEP would otherwise block it).
const PIXEL_HEADER_ENTRIES: readonly [string, string][] = [
  ...Object.entries(PIXEL_HEADERS).map(([key, value]): [string, string] => [key.toLowerCase(), value]),
  ['x-content-type-options', 'nosniff'],
  ['cross-origin-resource-policy', 'cross-origin'],
];
const OK_HEADERS: readonly string[] = [
  ...PIXEL_HEADER_ENTRIES.flat(),
  'content-length',
  String(PIXEL.length),
];
const OK_HEADER_OBJECT: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries([...PIXEL_HEADER_ENTRIES, ['content-length', String(PIXEL.length)]]),
);
const NOT_MODIFIED_HEADERS: readonly string[] = PIXEL_HEADER_ENTRIES.filter(
  ([key]) => key !== 'content-type',
).flat();

export function browserEvents(options: PixelOptions): BrowserEvents {
  const { name, source, routes, pipeline, addresses, now } = options;

  const record = (query: QueryValues, request: IncomingMessage, receivedAt: number): void => {
    const headers = request.headers;
    const parsed = parseBrowserEvent(query, {
      sourceName: name,
      receivedAt,
      remoteHost: addresses.clientAddress(request.socket.remoteAddress, headers['x-forwarded-for']),
      userAgent: headers['user-agent'] ?? null,
      headers,
    });
    if (!parsed.ok) {
      pipeline.outcomes.record({ kind: 'invalid', reason: parsed.reason, detail: parsed.message }, name);
      return;
    }
    processEvent(parsed.event, routes, pipeline);
  };

  // With serverCookies the answer carries the ids of the (last valid) event as first-party cookies.
  const cookiesFor = (queries: readonly QueryValues[], request: IncomingMessage): string[] | undefined => {
    for (let i = queries.length - 1; i >= 0; i--) {
      const party = parsePartyId(queries[i]!.get('p')?.[0] ?? '');
      const session = parseSessionId(queries[i]!.get('s')?.[0] ?? '');
      if (party && session)
        return serverCookies(source, party.value, session.value, isHttps(request, addresses));
    }
    return undefined;
  };

  const pixel = (request: IncomingMessage, response: ServerResponse): void => {
    // A browser re-sending a cached pixel request is replaying an event we already have.
    if (isPixelRefetch(request.headers['if-none-match'])) {
      response.writeHead(304, NOT_MODIFIED_HEADERS as string[]);
      response.end();
      return;
    }
    const receivedAt = now();
    const url = request.url ?? '';
    const mark = url.indexOf('?');
    const query = parseQuery(mark === -1 ? '' : url.slice(mark + 1));
    const cookies = source.serverCookies ? cookiesFor([query], request) : undefined;
    if (cookies) {
      response.writeHead(200, { ...OK_HEADER_OBJECT, 'set-cookie': cookies });
    } else {
      response.writeHead(200, OK_HEADERS as string[]);
    }
    response.end(PIXEL);
    record(query, request, receivedAt);
  };

  return { pixel, record, cookiesFor };
}
