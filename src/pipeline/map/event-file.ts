/**
 * The event description `footfall map --event EVENT.json` reads: a JSON object with the fields of a
 * ClientEvent, every one optional (defaults below), plus `duplicate` for the flag the duplicate memory
 * would set. Times may be milliseconds or ISO-8601 text; header names may be in any case.
 *
 * ```json
 * { "source": "browser", "remoteHost": "203.0.113.7",
 *   "headers": { "User-Agent": "Mozilla/5.0 ...", "Cookie": "consent=yes" },
 *   "eventType": "pageView", "location": "https://www.example.com/?utm_source=news",
 *   "parameters": { "product": { "id": "p-1" } } }
 * ```
 */
import type { ClientEvent, EventFlags, JsonValue, SourceType } from '../event.js';

export interface EventDescription {
  readonly event: ClientEvent;
  readonly flags: EventFlags;
}

export interface DescriptionDefaults {
  /** The source used when the description names none. */
  readonly sourceName: string;
  /** Source types by source name, from the configuration. */
  readonly sourceTypes: Readonly<Record<string, SourceType>>;
  readonly now: number;
}

const KEYS = new Set([
  'source',
  'sourceName',
  'sourceType',
  'receivedAt',
  'remoteHost',
  'userAgent',
  'headers',
  'partyId',
  'sessionId',
  'pageViewId',
  'eventId',
  'clientTimestamp',
  'newParty',
  'firstInSession',
  'eventType',
  'location',
  'referrer',
  'screenWidth',
  'screenHeight',
  'viewportWidth',
  'viewportHeight',
  'devicePixelRatio',
  'parameters',
  'corrupt',
  'duplicate',
]);

export const DEFAULT_PARTY_ID = '0:mhdmvyhc:ExamplePartyIdFromTheEventFile0000';
const DEFAULT_SESSION_ID = '0:mhdmvyhc:ExampleSessionIdFromTheEventFile00';

/** Builds the event a description stands for; throws an Error naming the first bad key. */
export function parseEventDescription(value: unknown, defaults: DescriptionDefaults): EventDescription {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('the event description must be a JSON object');
  }
  const d = value as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!KEYS.has(key)) throw new Error(`${key}: unknown key (known: ${[...KEYS].join(', ')})`);
  }

  const sourceName = optionalString(d, 'source') ?? optionalString(d, 'sourceName') ?? defaults.sourceName;
  const typeText = optionalString(d, 'sourceType') ?? defaults.sourceTypes[sourceName] ?? 'browser';
  if (typeText !== 'browser' && typeText !== 'json')
    throw new Error('sourceType: expected "browser" or "json"');
  const sourceType: SourceType = typeText;

  const headers: Record<string, string | string[]> = {};
  if (d.headers !== undefined) {
    if (d.headers === null || typeof d.headers !== 'object' || Array.isArray(d.headers)) {
      throw new Error('headers: expected an object of header names to strings');
    }
    for (const [name, raw] of Object.entries(d.headers as Record<string, unknown>)) {
      if (typeof raw === 'string') headers[name.toLowerCase()] = raw;
      else if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) {
        headers[name.toLowerCase()] = raw as string[];
      } else throw new Error(`headers.${name}: expected a string or an array of strings`);
    }
  }
  const userAgent =
    d.userAgent === undefined ? (first(headers['user-agent']) ?? null) : nullableString(d, 'userAgent');
  if (userAgent !== null && headers['user-agent'] === undefined) headers['user-agent'] = userAgent;

  const receivedAt = time(d, 'receivedAt') ?? defaults.now;
  const pageViewId =
    d.pageViewId === undefined
      ? sourceType === 'browser'
        ? '0:ExamplePageViewIdFromTheEventFile0'
        : null
      : nullableString(d, 'pageViewId');
  const event: ClientEvent = {
    sourceName,
    sourceType,
    receivedAt,
    remoteHost: optionalString(d, 'remoteHost') ?? '127.0.0.1',
    userAgent,
    headers,
    partyId: optionalString(d, 'partyId') ?? DEFAULT_PARTY_ID,
    sessionId: optionalString(d, 'sessionId') ?? DEFAULT_SESSION_ID,
    pageViewId,
    eventId: optionalString(d, 'eventId') ?? `${pageViewId ?? 'example-event'}0`,
    clientTimestamp: time(d, 'clientTimestamp') ?? receivedAt,
    newParty: bool(d, 'newParty') ?? false,
    firstInSession: bool(d, 'firstInSession') ?? false,
    eventType:
      d.eventType === undefined
        ? sourceType === 'browser'
          ? 'pageView'
          : null
        : nullableString(d, 'eventType'),
    location: nullableString(d, 'location'),
    referrer: nullableString(d, 'referrer'),
    screenWidth: int(d, 'screenWidth'),
    screenHeight: int(d, 'screenHeight'),
    viewportWidth: int(d, 'viewportWidth'),
    viewportHeight: int(d, 'viewportHeight'),
    devicePixelRatio: number(d, 'devicePixelRatio'),
    parameters: d.parameters === undefined ? undefined : (d.parameters as JsonValue),
    corrupt: bool(d, 'corrupt') ?? false,
  };
  return { event, flags: { corrupt: event.corrupt, duplicate: bool(d, 'duplicate') ?? false } };
}

function optionalString(d: Record<string, unknown>, key: string): string | undefined {
  const v = d[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`${key}: expected a string`);
  return v;
}

function nullableString(d: Record<string, unknown>, key: string): string | null {
  const v = d[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Error(`${key}: expected a string or null`);
  return v;
}

function bool(d: Record<string, unknown>, key: string): boolean | undefined {
  const v = d[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new Error(`${key}: expected true or false`);
  return v;
}

function number(d: Record<string, unknown>, key: string): number | null {
  const v = d[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${key}: expected a number or null`);
  return v;
}

function int(d: Record<string, unknown>, key: string): number | null {
  const v = number(d, key);
  if (v !== null && (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1)) {
    throw new Error(`${key}: expected a 32-bit integer or null`);
  }
  return v;
}

function time(d: Record<string, unknown>, key: string): number | undefined {
  const v = d[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  throw new Error(`${key}: expected milliseconds since the epoch or an ISO-8601 time`);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
