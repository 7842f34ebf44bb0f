/**
 * Turns the query string of a browser event (`GET {prefix}csc-event?p=…&s=…`) into a ClientEvent,
 * the way Divolte reads it: required identifiers or no event, optional fields absent when they do not
 * parse, undecodable custom parameters dropped, a missing or wrong checksum flagging the event corrupt.
 * Pure: no Fastify, no I/O.
 */
import type { ClientEvent, JsonValue } from '../../../pipeline/event.js';
import type { RequestFacts } from '../request-view.js';
import {
  decodeMincode,
  type EventQuery,
  isValidEventId,
  isValidPageViewId,
  parseBase36Float,
  parseBase36Int,
  parseBase36Long,
  parsePartyId,
  parseSessionId,
  QueryParam,
  verifyChecksum,
} from '../../../protocol/index.js';

/** The request line is kept by reference for the inspector (it reads it only while watching). */
export interface BrowserRequestFacts extends RequestFacts {
  readonly sourceName: string;
}

export type BrowserParseResult =
  | { readonly ok: true; readonly event: ClientEvent }
  | {
      readonly ok: false;
      readonly reason: 'bad_identifier' | 'bad_timestamp' | 'bad_request';
      readonly message: string;
    };

// The first value of every one-letter key of the query being parsed, by character code: one pass over
// the query instead of a search per parameter. Kept between calls (parsing is synchronous); the
// protocol's letters are cleared before each pass, and only they are read.
const firstByLetter: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
const PROTOCOL_LETTERS = Object.values(QueryParam).map((letter) => letter.charCodeAt(0));

function collectFirstValues(query: EventQuery): void {
  for (const code of PROTOCOL_LETTERS) firstByLetter[code] = undefined;
  const { keys, values } = query;
  // Backwards, so that the first occurrence of a key is the one left.
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i]!;
    if (key.length === 1 && key.charCodeAt(0) < 128) firstByLetter[key.charCodeAt(0)] = values[i];
  }
}

/** The first value of a protocol parameter (one letter) after collectFirstValues(). */
const first = (letter: string): string | undefined => firstByLetter[letter.charCodeAt(0)];

const int = (key: string): number | null => {
  const text = first(key);
  return text === undefined ? null : (parseBase36Int(text) ?? null);
};

const text = (key: string): string | null => {
  const value = first(key);
  return value === undefined || value === '' ? null : value;
};

export function parseBrowserEvent(query: EventQuery, facts: BrowserRequestFacts): BrowserParseResult {
  collectFirstValues(query);

  const party = parsePartyId(first(QueryParam.partyId) ?? '');
  if (!party) return invalid('bad_identifier', 'p (party id) is missing or malformed');
  const session = parseSessionId(first(QueryParam.sessionId) ?? '');
  if (!session) return invalid('bad_identifier', 's (session id) is missing or malformed');
  const pageViewId = first(QueryParam.pageViewId);
  if (pageViewId === undefined || !isValidPageViewId(pageViewId)) {
    return invalid('bad_identifier', 'v (page view id) is missing or malformed');
  }
  const eventId = first(QueryParam.eventId);
  if (eventId === undefined || !isValidEventId(eventId)) {
    return invalid('bad_identifier', 'e (event id) is missing or malformed');
  }
  const clientTime = first(QueryParam.clientTimestamp);
  const clientTimestamp = clientTime === undefined ? undefined : parseBase36Long(clientTime);
  if (clientTimestamp === undefined)
    return invalid('bad_timestamp', 'c (client time) is missing or not base 36');
  // Divolte requires n and f to be present and reads anything but `t` as false.
  const newParty = first(QueryParam.isNewParty);
  const firstInSession = first(QueryParam.isFirstInSession);
  if (newParty === undefined || firstInSession === undefined) {
    return invalid('bad_request', 'n (new party) and f (first in session) are required');
  }

  const ratio = first(QueryParam.devicePixelRatio);
  const custom = first(QueryParam.eventParameters);

  return {
    ok: true,
    event: {
      sourceName: facts.sourceName,
      sourceType: 'browser',
      receivedAt: facts.receivedAt,
      remoteHost: facts.remoteHost,
      userAgent: facts.userAgent,
      headers: facts.headers,
      partyId: party.value,
      sessionId: session.value,
      pageViewId,
      eventId,
      clientTimestamp,
      newParty: newParty === 't',
      firstInSession: firstInSession === 't',
      // An empty `t=` stays empty, as in Divolte's record; only a missing one is null (`unknown`).
      eventType: first(QueryParam.eventType) ?? null,
      location: text(QueryParam.location),
      referrer: text(QueryParam.referer),
      screenWidth: int(QueryParam.screenPixelWidth),
      screenHeight: int(QueryParam.screenPixelHeight),
      viewportWidth: int(QueryParam.viewportPixelWidth),
      viewportHeight: int(QueryParam.viewportPixelHeight),
      devicePixelRatio: ratio === undefined ? null : (parseBase36Float(ratio) ?? null),
      parameters: custom === undefined || custom === '' ? undefined : decodeParameters(custom),
      corrupt: !verifyChecksum(query),
    },
  };
}

/** Undecodable custom parameters are dropped and the event kept, as Divolte does. */
function decodeParameters(text: string): JsonValue | undefined {
  try {
    return decodeMincode(text);
  } catch {
    return undefined;
  }
}

function invalid(
  reason: 'bad_identifier' | 'bad_timestamp' | 'bad_request',
  message: string,
): BrowserParseResult {
  return { ok: false, reason, message };
}
