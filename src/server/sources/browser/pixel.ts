/**
 * The pixel: `GET {prefix}{eventSuffix}`, the one request every page view makes. It is written against
 * Node's own request and response so the HTTP server can answer it before Fastify's routing, hooks and
 * reply machinery run (the source's fast path, index.ts); the Fastify route calls the same function,
 * so `inject()` in tests and real traffic behave alike.
 *
 * The answer goes out at once; the event itself is taken through the pipeline a moment later, together
 * with the others that arrived in the same turn of the event loop (`setImmediate`). Answering every
 * waiting request first and then running the pipeline over the batch measured about a quarter less
 * CPU per event than interleaving the two (bench pixel-memory: 42 against 55 µs), and it gets the
 * answers out sooner. Everything the event needs from the connection is read before answering, so a
 * client that hangs up cannot take its address with it; `flush()` runs what is waiting (shutdown).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrowserSourceConfig } from '../../../config/index.js';
import type { EventReading, Ingest, MappingRoute, RequestHeaders } from '../../../pipeline/index.js';
import {
  isPixelRefetch,
  parseEventQuery,
  parsePartyId,
  parseSessionId,
  PIXEL_GIF,
  PIXEL_HEADERS,
  QueryParam,
  type EventQuery,
} from '../../../protocol/index.js';
import type { ClientAddressPolicy } from '../../client-address.js';
import { parseBrowserEvent, type BrowserRequestFacts } from './browser-event.js';
import { anchorCookie, isHttps, partyCookie, readCookie, serverCookies } from './cookies.js';

export interface PixelOptions {
  readonly name: string;
  readonly source: BrowserSourceConfig;
  readonly routes: readonly MappingRoute[];
  /** The outcome seam: every event goes through it, guarded, and ends in one outcome there. */
  readonly ingest: Ingest;
  readonly addresses: ClientAddressPolicy;
  readonly now: () => number;
}

export interface BrowserEvents {
  /** Answers a pixel request completely: 200 with the GIF, or 304 for a browser's re-fetch. */
  pixel(request: IncomingMessage, response: ServerResponse): void;
  /** Hands the event queries of one beacon to the seam, where each ends in an outcome. */
  beacon(queries: readonly EventQuery[], request: IncomingMessage, receivedAt: number): void;
  /** Set-Cookie values for the last valid query (serverCookies, party anchor); undefined: none. */
  cookiesFor(queries: readonly EventQuery[], request: IncomingMessage): string[] | undefined;
  /** Takes every answered pixel event still waiting for its batch through the pipeline now. */
  flush(): void;
}

/**
 * An event on its way to the seam: its query (or the raw query string of an answered pixel, parsed
 * only when its batch runs) and what it needs from the request.
 */
interface PendingEvent {
  readonly query: EventQuery | string;
  readonly facts: BrowserRequestFacts;
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
  const { name, source, routes, ingest, addresses, now } = options;

  const factsOf = (request: IncomingMessage, receivedAt: number): BrowserRequestFacts => {
    const headers = request.headers;
    return {
      sourceName: name,
      receivedAt,
      remoteHost: addresses.clientAddress(request.socket.remoteAddress, headers['x-forwarded-for']),
      userAgent: headers['user-agent'] ?? null,
      headers,
    };
  };

  // The seam's reader for this source, made once: the batch hands it each waiting event as it is.
  const readEvent = ({ query, facts }: PendingEvent): EventReading => {
    const parsed = parseBrowserEvent(typeof query === 'string' ? parseEventQuery(query) : query, facts);
    if (!parsed.ok) return parsed;
    // The anchor outlives the tracker's cookie: an event under another party id comes from a visitor
    // whose cookie was lost, not from a new one. (The checksum was verified on the ids as sent.)
    const anchored = anchoredParty(facts.headers);
    if (anchored === undefined || anchored === parsed.event.partyId) return parsed;
    return { ok: true, event: { ...parsed.event, partyId: anchored, newParty: false } };
  };

  const beacon = (queries: readonly EventQuery[], request: IncomingMessage, receivedAt: number): void => {
    const facts = factsOf(request, receivedAt);
    for (const query of queries) ingest.read(name, routes, readEvent, { query, facts });
  };

  let pending: PendingEvent[] = [];
  const flush = (): void => {
    // Swapped first: an event deferred while this batch runs goes into the next one. The seam guards
    // each event, so a bug in one never keeps the rest of the batch from its outcome.
    const batch = pending;
    pending = [];
    for (const event of batch) ingest.read(name, routes, readEvent, event);
  };

  const anchorName = source.partyAnchorCookie;
  const setsCookies = source.serverCookies || anchorName !== null;

  /** The valid party id in the request's HttpOnly anchor cookie, when the source keeps one. */
  const anchoredParty = (headers: RequestHeaders): string | undefined =>
    anchorName === null ? undefined : parsePartyId(readCookie(headers.cookie, anchorName) ?? '')?.value;

  // The answer's cookies, from the ids of the last valid event: with serverCookies the tracker's two
  // cookies; with an anchor, the anchor itself and, when the tracker came with another party than
  // the anchored one, its party cookie set back to the anchored id.
  const cookiesFor = (queries: readonly EventQuery[], request: IncomingMessage): string[] | undefined => {
    if (!setsCookies) return undefined;
    for (let i = queries.length - 1; i >= 0; i--) {
      const party = parsePartyId(queries[i]!.first(QueryParam.partyId) ?? '');
      const session = parseSessionId(queries[i]!.first(QueryParam.sessionId) ?? '');
      if (!party || !session) continue;
      const https = isHttps(request, addresses);
      const anchored = anchoredParty(request.headers);
      const partyId = anchored ?? party.value;
      const cookies = source.serverCookies ? serverCookies(source, partyId, session.value, https) : [];
      if (anchorName !== null) {
        cookies.push(anchorCookie(source, anchorName, partyId, https));
        if (!source.serverCookies && partyId !== party.value)
          cookies.push(partyCookie(source, partyId, https));
      }
      return cookies;
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
    const facts = factsOf(request, now());
    const url = request.url ?? '';
    const mark = url.indexOf('?');
    const queryString = mark === -1 ? '' : url.slice(mark + 1);
    if (setsCookies) {
      const query = parseEventQuery(queryString);
      const cookies = cookiesFor([query], request);
      if (cookies) response.writeHead(200, { ...OK_HEADER_OBJECT, 'set-cookie': cookies });
      else response.writeHead(200, OK_HEADERS as string[]);
      response.end(PIXEL);
      defer({ query, facts });
    } else {
      response.writeHead(200, OK_HEADERS as string[]);
      response.end(PIXEL);
      defer({ query: queryString, facts });
    }
  };

  const defer = (event: PendingEvent): void => {
    if (pending.push(event) === 1) setImmediate(flush);
  };

  return { pixel, beacon, cookiesFor, flush };
}
