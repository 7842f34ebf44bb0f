/**
 * Turns a JSON source request body into events, validating everything before the client is answered
 * so a broken body gets a 400 instead of vanishing (Divolte answered 204 first and parsed later).
 * Pure: no Fastify, no I/O.
 */
import type { ClientEvent, JsonValue, RequestHeaders } from '../../../pipeline/event.js';
import { DEFAULT_MINCODE_LIMITS, isValidEventId, parseSessionId } from '../../../protocol/index.js';

export interface JsonRequestFacts {
  readonly sourceName: string;
  /** Canonical, as parsePartyId() gives it, so the pixel and this source record one visitor alike. */
  readonly partyId: string;
  readonly receivedAt: number;
  readonly remoteHost: string;
  readonly userAgent: string | null;
  readonly headers: RequestHeaders;
}

export type JsonParseResult =
  | {
      readonly ok: true;
      readonly events: readonly ClientEvent[];
      /** The body was an array (events are then named by their index in it). */
      readonly array: boolean;
    }
  | {
      readonly ok: false;
      readonly reason: 'bad_json' | 'bad_identifier' | 'bad_timestamp' | 'bad_request';
      readonly message: string;
      /** Events the refused body held (an array counts its items), 0 when it is not JSON or empty. */
      readonly events: number;
    };

// ISO-8601 date-time; the offset is optional because Divolte's clients send local-less UTC stamps.
// Groups: year, month, day, hours, minutes, seconds, fraction, zone sign (or Z), zone hours, minutes.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MINUTE_MS = 60_000;
// Date.UTC reads years 0–99 as 1900–1999; 400 Gregorian years later the calendar repeats exactly.
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/**
 * Milliseconds for an ISO-8601 timestamp; no offset means UTC (Divolte crashed a worker instead).
 * Computed from the fields rather than through Date.parse, which rolls 2026-02-31 over into March,
 * accepts hour 24 and rounds sub-millisecond digits differently across engines: impossible dates and
 * times are refused, digits past the millisecond are dropped.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hours = Number(m[4]);
  const minutes = Number(m[5]);
  const seconds = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let offset = 0;
  if (m[9] !== undefined) {
    const zoneHours = Number(m[10]);
    const zoneMinutes = Number(m[11]);
    if (zoneHours > 23 || zoneMinutes > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * MINUTE_MS;
  }
  const shift = year < 100 ? 400 : 0;
  const utc = Date.UTC(year + shift, month - 1, day, hours, minutes, seconds, millis);
  return utc - (shift ? FOUR_CENTURIES_MS : 0) - offset;
}

/**
 * JSON `parameters` get the limits of the pixel's custom parameters (`u`, decoded by decodeMincode):
 * at most 32 containers open at once and 64 K characters, here counted as JSON text. Without them a
 * body nested a few thousand deep overflowed the stack in the mapping, and a large maxBodySize let
 * one event carry far more than the pixel ever can.
 */
export const MAX_PARAMETERS_DEPTH = DEFAULT_MINCODE_LIMITS.maxDepth;
export const MAX_PARAMETERS_LENGTH = DEFAULT_MINCODE_LIMITS.maxLength;

// An unpaired UTF-16 surrogate: with the `u` flag a well-formed pair is one code point and never matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Containers nested deeper than `max`, found without recursion (the input is what overflowed). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const container = values.pop()!;
    const depth = depths.pop()!;
    if (depth > max) return true;
    for (const child of Array.isArray(container) ? container : Object.values(container)) {
      if (child !== null && typeof child === 'object') {
        values.push(child as object);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** Why the parameters are refused, or undefined when they fit the limits. */
function checkParameters(parameters: unknown): string | undefined {
  if (nestedDeeperThan(parameters, MAX_PARAMETERS_DEPTH)) {
    return `parameters must be nested at most ${MAX_PARAMETERS_DEPTH} deep`;
  }
  // Safe once the depth is bounded; the mapping writes the same text.
  if (JSON.stringify(parameters).length > MAX_PARAMETERS_LENGTH) {
    return `parameters must be at most ${MAX_PARAMETERS_LENGTH} characters as JSON`;
  }
  return undefined;
}

export function parseJsonEvents(body: Buffer, facts: JsonRequestFacts, maxEvents: number): JsonParseResult {
  if (body.length === 0) {
    return { ok: false, reason: 'bad_request', message: 'the request body is empty', events: 0 };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    // V8's message quotes the body; the answer keeps only where it broke.
    const at = /at position (\d+)/.exec((err as Error).message)?.[1];
    return {
      ok: false,
      reason: 'bad_json',
      message: `the body is not valid JSON${at === undefined ? '' : ` (at position ${at})`}`,
      events: 0,
    };
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) {
    return { ok: false, reason: 'bad_request', message: 'the body is an empty array', events: 0 };
  }
  if (items.length > maxEvents) {
    return {
      ok: false,
      reason: 'bad_request',
      message: `at most ${maxEvents} events per request`,
      events: items.length,
    };
  }
  const events: ClientEvent[] = [];
  for (let i = 0; i < items.length; i++) {
    const result = parseOne(items[i], facts);
    if (typeof result === 'string') {
      const where = Array.isArray(parsed) ? `event ${i}: ` : '';
      const reason = result.startsWith('session_id')
        ? 'bad_identifier'
        : result.startsWith('client_timestamp_iso')
          ? 'bad_timestamp'
          : 'bad_request';
      // The array is refused as a whole, so each of its events is counted as refused.
      return { ok: false, reason, message: `${where}${result}`, events: items.length };
    }
    events.push(result);
  }
  return { ok: true, events, array: Array.isArray(parsed) };
}

function parseOne(item: unknown, facts: JsonRequestFacts): ClientEvent | string {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    return 'each event must be a JSON object';
  const body = item as Record<string, unknown>;
  const sessionId = body.session_id;
  const session = typeof sessionId === 'string' ? parseSessionId(sessionId) : null;
  if (session === null) {
    return 'session_id must be a Divolte session identifier such as 0:<timestamp>:<unique>';
  }
  const eventId = body.event_id;
  if (typeof eventId !== 'string' || !isValidEventId(eventId)) return 'event_id must be a non-empty string';
  // Avro writes UTF-8, where a lone surrogate becomes U+FFFD: distinct ids would collapse into one.
  if (LONE_SURROGATE.test(eventId)) {
    return 'event_id holds a lone UTF-16 surrogate (\\ud800 to \\udfff without its pair): it must be valid Unicode';
  }
  if (typeof body.is_new_party !== 'boolean') return 'is_new_party must be true or false';
  if (typeof body.is_new_session !== 'boolean') return 'is_new_session must be true or false';
  const stamp = body.client_timestamp_iso;
  const clientTimestamp = typeof stamp === 'string' ? parseIsoTimestamp(stamp) : undefined;
  if (clientTimestamp === undefined) return 'client_timestamp_iso must be an ISO-8601 date-time';
  const eventType = body.event_type;
  if (eventType !== undefined && eventType !== null && typeof eventType !== 'string') {
    return 'event_type must be a string';
  }
  if (body.parameters !== undefined) {
    const refused = checkParameters(body.parameters);
    if (refused !== undefined) return refused;
  }
  return {
    sourceName: facts.sourceName,
    sourceType: 'json',
    receivedAt: facts.receivedAt,
    remoteHost: facts.remoteHost,
    userAgent: facts.userAgent,
    headers: facts.headers,
    partyId: facts.partyId,
    // Canonical, as the pixel records it: `0:+I1T84HGY:x` and `0:i1t84hgy:x` are one session.
    sessionId: session.value,
    pageViewId: null,
    eventId,
    clientTimestamp,
    newParty: body.is_new_party,
    firstInSession: body.is_new_session,
    eventType: eventType ?? null,
    location: null,
    referrer: null,
    screenWidth: null,
    screenHeight: null,
    viewportWidth: null,
    viewportHeight: null,
    devicePixelRatio: null,
    parameters: body.parameters === undefined ? undefined : (body.parameters as JsonValue),
    corrupt: false,
  };
}
