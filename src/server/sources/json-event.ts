/**
 * Turns a JSON source request body into events, validating everything before the client is answered
 * so a broken body gets a 400 instead of vanishing (Divolte answered 204 first and parsed later).
 * Pure: no Fastify, no I/O.
 */
import type { ClientEvent, JsonValue, RequestHeaders } from '../../pipeline/event.js';
import { isValidEventId, parseSessionId } from '../../protocol/index.js';

export interface JsonRequestFacts {
  readonly sourceName: string;
  readonly partyId: string;
  readonly receivedAt: number;
  readonly remoteHost: string;
  readonly userAgent: string | null;
  readonly headers: RequestHeaders;
}

export type JsonParseResult =
  | { readonly ok: true; readonly events: readonly ClientEvent[] }
  | {
      readonly ok: false;
      readonly reason: 'bad_json' | 'bad_identifier' | 'bad_timestamp' | 'bad_request';
      readonly message: string;
    };

// ISO-8601 date-time; the offset is optional because Divolte's clients send local-less UTC stamps.
const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds for an ISO-8601 timestamp; no offset means UTC (Divolte crashed a worker instead). */
export function parseIsoTimestamp(text: string): number | undefined {
  const match = ISO.exec(text);
  if (!match) return undefined;
  const [, date, time, zone] = match as unknown as [string, string, string, string | undefined];
  // Date.parse rolls 2026-02-31 over into March and accepts hour 24; a client clock never means that.
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  const [hours, minutes, seconds = 0] = time.split(':').map(Number) as [number, number, number?];
  if (hours > 23 || minutes > 59 || seconds >= 60) return undefined;
  // Date.parse rounds sub-millisecond digits inconsistently across engines; keep milliseconds only.
  const trimmed = time.replace(/(\.\d{3})\d+$/, '$1');
  let offset = zone ?? 'Z';
  if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = Date.parse(`${date}T${trimmed}${offset.toUpperCase()}`);
  return Number.isFinite(ms) ? ms : undefined;
}

export function parseJsonEvents(body: Buffer, facts: JsonRequestFacts, maxEvents: number): JsonParseResult {
  if (body.length === 0) return { ok: false, reason: 'bad_request', message: 'the request body is empty' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return {
      ok: false,
      reason: 'bad_json',
      message: `the body is not valid JSON: ${(err as Error).message}`,
    };
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) return { ok: false, reason: 'bad_request', message: 'the body is an empty array' };
  if (items.length > maxEvents) {
    return { ok: false, reason: 'bad_request', message: `at most ${maxEvents} events per request` };
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
      return { ok: false, reason, message: `${where}${result}` };
    }
    events.push(result);
  }
  return { ok: true, events };
}

function parseOne(item: unknown, facts: JsonRequestFacts): ClientEvent | string {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    return 'each event must be a JSON object';
  const body = item as Record<string, unknown>;
  const sessionId = body.session_id;
  if (typeof sessionId !== 'string' || parseSessionId(sessionId) === null) {
    return 'session_id must be a Divolte session identifier such as 0:<timestamp>:<unique>';
  }
  const eventId = body.event_id;
  if (typeof eventId !== 'string' || !isValidEventId(eventId)) return 'event_id must be a non-empty string';
  if (typeof body.is_new_party !== 'boolean') return 'is_new_party must be true or false';
  if (typeof body.is_new_session !== 'boolean') return 'is_new_session must be true or false';
  const stamp = body.client_timestamp_iso;
  const clientTimestamp = typeof stamp === 'string' ? parseIsoTimestamp(stamp) : undefined;
  if (clientTimestamp === undefined) return 'client_timestamp_iso must be an ISO-8601 date-time';
  const eventType = body.event_type;
  if (eventType !== undefined && eventType !== null && typeof eventType !== 'string') {
    return 'event_type must be a string';
  }
  return {
    sourceName: facts.sourceName,
    sourceType: 'json',
    receivedAt: facts.receivedAt,
    remoteHost: facts.remoteHost,
    userAgent: facts.userAgent,
    headers: facts.headers,
    partyId: facts.partyId,
    sessionId,
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
