/**
 * The pixel: `GET {prefix}{eventSuffix}`, the one request every page view makes. It is written against
 * Node's own request and response so the HTTP server can answer it before Fastify's routing, hooks and
 * reply machinery run (the source's fast path, index.ts); the Fastify route calls the same function,
 * so `inject()` in tests and real traffic behave alike.
 *
 * Answered means stored: the answer waits for the event's records to be in the sinks' journals. Each
 * pixel waits for the end of its turn of the event loop (`setImmediate`); then the batch of every
 * pixel that arrived in that turn goes through the pipeline, the seam commits the sinks once (one
 * journal write per sink for the whole batch), and only then are the answers written. Running the
 * pipeline over the batch in one go, rather than interleaving it with answering, measured about a
 * quarter less CPU per event (bench pixel-memory: 42 against 55 µs). The answer is always the GIF
 * (Divolte's contract: a browser cannot act on an error); an event its journal could not take is
 * counted `dropped`. Everything the event needs from the connection is read when it arrives, so a
 * client that hangs up cannot take its address with it; `flush()` runs what is waiting (shutdown).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrowserSourceConfig } from '../../../config/index.js';
import type {
  EventReader,
  Ingest,
  MappingRoute,
  RequestHeaders,
  RequestView,
  Taken,
} from '../../../pipeline/index.js';
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
import { bodyView, queryPairs, requestView } from '../request-view.js';
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
  /**
   * Hands the event queries of one beacon to the seam, where each ends in an outcome; resolves once
   * they are committed, with how many of them could not be stored.
   */
  beacon(queries: readonly EventQuery[], request: IncomingMessage, receivedAt: number): Promise<number>;
  /** Set-Cookie values for the last valid query (serverCookies, party anchor); undefined: none. */
  cookiesFor(queries: readonly EventQuery[], request: IncomingMessage): string[] | undefined;
  /** Takes every pixel still waiting for its batch through the pipeline and commit, and answers them. */
  flush(): void;
  /** The inspector's view of a request refused as a whole (call only while it watches). */
  describe(request: IncomingMessage, body: unknown): RequestView;
}

/**
 * An event on its way to the seam: its query (or the raw query string of an answered pixel, parsed
 * only when its batch runs) and what it needs from the request.
 */
interface PendingEvent {
  readonly query: EventQuery | string;
  readonly facts: BrowserRequestFacts;
}

/** A pixel waiting for its batch: its event and the answer to write once the batch is committed. */
interface PendingPixel extends PendingEvent {
  readonly response: ServerResponse;
  /** Set-Cookie values for the answer, or undefined. */
  readonly cookies: string[] | undefined;
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
// Still the GIF and a 200 for a browser, which could not act on anything else; a client that reads
// headers (a load balancer's log, a test, a server-side tracker) learns the event was not stored.
const NOT_STORED_HEADERS: readonly string[] = [...OK_HEADERS, 'x-footfall-stored', 'false'];
const NOT_MODIFIED_HEADERS: readonly string[] = PIXEL_HEADER_ENTRIES.filter(
  ([key]) => key !== 'content-type',
).flat();

export function browserEvents(options: PixelOptions): BrowserEvents {
  const { name, source, routes, ingest, addresses, now } = options;

  const factsOf = (request: IncomingMessage, receivedAt: number): BrowserRequestFacts => {
    const headers = request.headers;
    return {
      sourceName: name,
      method: request.method ?? 'GET',
      url: request.url ?? '',
      receivedAt,
      remoteHost: addresses.clientAddress(request.socket.remoteAddress, headers['x-forwarded-for']),
      userAgent: headers['user-agent'] ?? null,
      headers,
    };
  };

  // The seam's reader for this source, made once: the batch hands it each waiting event as it is.
  const readEvent: EventReader<PendingEvent> = ({ query, facts }) => {
    const parsed = parseBrowserEvent(typeof query === 'string' ? parseEventQuery(query) : query, facts);
    if (!parsed.ok) return parsed;
    // The anchor outlives the tracker's cookie: an event under another party id comes from a visitor
    // whose cookie was lost, not from a new one. (The checksum was verified on the ids as sent.)
    const anchored = anchoredParty(facts.headers);
    if (anchored === undefined || anchored === parsed.event.partyId) return parsed;
    return { ok: true, event: { ...parsed.event, partyId: anchored, newParty: false } };
  };
  // What the inspector shows of the request; the seam calls it only while someone watches.
  readEvent.describe = ({ query, facts }) =>
    requestView(facts, {
      query: queryPairs(typeof query === 'string' ? parseEventQuery(query) : query),
    });

  const beacon = async (
    queries: readonly EventQuery[],
    request: IncomingMessage,
    receivedAt: number,
  ): Promise<number> => {
    const facts = factsOf(request, receivedAt);
    const taken = queries.map((query) => ingest.read(name, routes, readEvent, { query, facts }));
    await ingest.committed();
    let dropped = 0;
    for (const event of taken) if (event.outcome.kind === 'dropped') dropped++;
    return dropped;
  };

  let pending: PendingPixel[] = [];
  const flush = (): void => {
    // Swapped first: an event deferred while this batch runs goes into the next one. The seam guards
    // each event, so a bug in one never keeps the rest of the batch from its outcome.
    const batch = pending;
    pending = [];
    const taken = batch.map((event) => ingest.read(name, routes, readEvent, event));
    ingest.commit();
    for (let i = 0; i < batch.length; i++) {
      const { response, cookies } = batch[i] as PendingPixel;
      const stored = (taken[i] as Taken).outcome.kind !== 'dropped';
      if (cookies) {
        const headers: Record<string, string | string[]> = { ...OK_HEADER_OBJECT, 'set-cookie': cookies };
        if (!stored) headers['x-footfall-stored'] = 'false';
        response.writeHead(200, headers);
      } else {
        response.writeHead(200, (stored ? OK_HEADERS : NOT_STORED_HEADERS) as string[]);
      }
      response.end(PIXEL);
    }
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
      defer({ query, facts, response, cookies: cookiesFor([query], request) });
    } else {
      defer({ query: queryString, facts, response, cookies: undefined });
    }
  };

  const defer = (event: PendingPixel): void => {
    if (pending.push(event) === 1) setImmediate(flush);
  };

  const describe = (request: IncomingMessage, body: unknown): RequestView =>
    requestView(
      factsOf(request, now()),
      typeof body === 'string' || Buffer.isBuffer(body) ? { body: bodyView(body) } : {},
    );

  return { pixel, beacon, cookiesFor, flush, describe };
}
