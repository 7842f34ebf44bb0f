// Divolte identifiers.
//
// Party and session ids are `0:<timestamp base 36>:<unique>`. Divolte's server took any unique part
// without a ':' (even an empty one); its documentation promises apps only [A-Za-z0-9~_!]+, and its
// own Java generator used URL-safe base64, which adds '-'. Footfall accepts that union, capped in
// length, so every id a real tracker or app produced still parses while junk such as spaces,
// quotes or kilobyte-long cookies is turned away before it reaches a Kafka key.
//
// Page view ids come from the tracker (`0:<unique>`) or from the page itself via the script URL
// fragment (`divolte.js#<id>`), which may be any string without '/'. Event ids are the page view id
// plus a hex counter from the tracker, and any string the app chooses on the JSON source. Divolte
// required only that both be present; Footfall also bounds their length and refuses control
// characters, which no generator produces and which only corrupt logs and downstream tools.

import { parseBase36Long } from './params.js';

export interface DivolteIdentifier {
  readonly version: 0;
  /** Milliseconds since the epoch at which the client created the identifier. */
  readonly timestamp: number;
  readonly unique: string;
  /**
   * The canonical text, `0:` + timestamp in lowercase base 36 without sign or leading zeros + `:`
   * + unique. Divolte rebuilt the id the same way and recorded this form, so `0:+0I1T84HGY:x`
   * is recorded as `0:i1t84hgy:x`.
   */
  readonly value: string;
}

/** Longest unique part accepted. The tracker makes 32 characters (33 with the `!` marker). */
const MAX_UNIQUE_LENGTH = 128;
/** Longest party or session id accepted; the timestamp takes at most a dozen characters. */
const MAX_IDENTIFIER_LENGTH = 160;
/** Room for the longest page view id plus the tracker's counter and then some. */
const MAX_EVENT_ID_LENGTH = 512;

const UNIQUE_PART = /^[A-Za-z0-9~_!-]+$/;

/** Parses a party or session id; `null` when it is not one. */
// Lower-case base 36 without leading zeros or sign: exactly what Number.prototype.toString(36) writes.
const CANONICAL_TIME = /^(?:0|[1-9a-z][0-9a-z]*)$/;

export function parseIdentifier(s: string): DivolteIdentifier | null {
  if (typeof s !== 'string' || s.length > MAX_IDENTIFIER_LENGTH) return null;
  if (s.charCodeAt(0) !== 48 /* 0 */ || s.charCodeAt(1) !== 58 /* : */) return null;
  const sep = s.indexOf(':', 2);
  if (sep < 0) return null;
  const time = s.slice(2, sep);
  const timestamp = parseBase36Long(time);
  if (timestamp === undefined) return null;
  const unique = s.slice(sep + 1);
  if (unique.length === 0 || unique.length > MAX_UNIQUE_LENGTH || !UNIQUE_PART.test(unique)) return null;
  // A time already written the canonical way (what every tracker sends) gives back the input itself
  // rather than an equal string built anew for every event.
  const value = CANONICAL_TIME.test(time) ? s : formatIdentifier(timestamp, unique);
  return { version: 0, timestamp, unique, value };
}

/**
 * The `p` query parameter, the `_dvp` cookie and the JSON source's `p`.
 * @alias of parseIdentifier, named for what it reads
 */
export const parsePartyId: (s: string) => DivolteIdentifier | null = parseIdentifier;
/**
 * The `s` query parameter, the `_dvs` cookie and the JSON source's `session_id`.
 * @alias of parseIdentifier, named for what it reads
 */
export const parseSessionId: (s: string) => DivolteIdentifier | null = parseIdentifier;

export function formatIdentifier(timestamp: number, unique: string): string {
  return '0:' + timestamp.toString(36) + ':' + unique;
}

// No control characters (no generator makes them; they only corrupt logs and downstream tools).
// Page view ids also refuse '/'.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\0-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex -- as above
const PAGE_VIEW_ID = /^[^\0-\x1f\x7f/]{1,256}$/;

/**
 * A tracker-made (`0:<unique>`) or page-supplied page view id: 1 to 256 characters, no `/` (the
 * tracker refuses to start with one) and no control characters.
 */
export function isValidPageViewId(s: string): boolean {
  return typeof s == 'string' && PAGE_VIEW_ID.test(s);
}

/** An event id: 1 to 512 characters without control characters; otherwise free-form. */
export function isValidEventId(s: string): boolean {
  return typeof s == 'string' && s.length > 0 && s.length <= MAX_EVENT_ID_LENGTH && !CONTROL.test(s);
}

// ---------------------------------------------------------------------------------------------
// Generation (tracker side, and the server when it mints ids itself)

/** Fills `n` bytes with randomness; pass a cryptographically secure source whenever there is one. */
export type RandomBytes = (n: number) => Uint8Array;

const UNIQUE_LENGTH = 32;

/**
 * Character `i` (0 to 63) of UNIQUE_ALPHABET, computed: the 64 characters as a literal cost the
 * browser tracker more than this does.
 */
const uniqueChar = (i: number): string =>
  String.fromCharCode((i < 26 ? 65 : i < 52 ? 71 : i < 62 ? -4 : i < 63 ? 64 : 32) + i);

/** Characters of a unique part that Footfall generates: A-Z, a-z, 0-9, `~`, `_`. */
export const UNIQUE_ALPHABET = /* @__PURE__ */ Array.from({ length: 64 }, (_, i) => uniqueChar(i)).join('');

/**
 * Web Crypto's `getRandomValues` where the platform has it (every current browser, Node 20), else
 * `undefined`. Feature-detected so that this module needs no `node:` import.
 */
export function secureRandomBytes(): RandomBytes | undefined {
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (typeof crypto?.getRandomValues != 'function') return undefined;
  return (n) => crypto.getRandomValues!(new Uint8Array(n));
}

// The low six bits of each byte pick a character: 256 is a multiple of 64, so a uniform byte picks
// one uniformly (and `& 0x3f` drops the fraction of a Math.random one).
function uniqueOf(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < UNIQUE_LENGTH; i++) s += uniqueChar(bytes[i]! & 0x3f);
  return s;
}

/**
 * 32 characters from Web Crypto, as the browser tracker makes them: 24 random bytes in base64, whose
 * alphabet is UNIQUE_ALPHABET in the same order with `+` and `/` where it has `~` and `_`. Six
 * uniform bits a character, as uniquePart() gives from a secure source, in far fewer bytes of
 * bundle. Needs the global `crypto` and `btoa`: every browser the tracker supports has both
 * (getRandomValues in insecure contexts too), as does Node 20.
 */
export const webCryptoUniquePart = (): string =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24)))).replace(/\W/g, (c) =>
    c > '+' ? '_' : '~',
  );

function uniquePart(random: RandomBytes | undefined): string {
  const bytes: ArrayLike<number> = random
    ? random(UNIQUE_LENGTH)
    : Array.from({ length: UNIQUE_LENGTH }, () => Math.random() * 256);
  if (bytes.length < UNIQUE_LENGTH) throw new RangeError('too few random bytes');
  // divolte.js marks ids built from Math.random with a trailing '!' so analysts can tell them
  // apart (and discount their collisions).
  return random ? uniqueOf(bytes) : uniqueOf(bytes) + '!';
}

/**
 * A new party or session id, `0:<timestamp base 36>:<32 characters>`. divolte.js uses the script
 * load time as the timestamp for both, so a fresh party and session share it.
 *
 * divolte.js hashed its random bytes with the time and URL through SHA3 because some crawlers
 * shipped badly seeded crypto; the format is the same and the bytes are used directly here.
 */
export function generateIdentifier(timestamp: number, random?: RandomBytes): string {
  if (!Number.isSafeInteger(timestamp)) throw new RangeError('bad timestamp');
  return formatIdentifier(timestamp, uniquePart(random));
}

/** A tracker-made page view id, `0:<unique>`. */
export function formatPageViewId(unique: string): string {
  return '0:' + unique;
}

/** A new tracker-made page view id, `0:<32 characters>`. */
export function generatePageViewId(random?: RandomBytes): string {
  return formatPageViewId(uniquePart(random));
}

/**
 * The tracker's event id: the page view id followed by a per-page-view counter in hex, starting at
 * 0. Unique as long as page view ids are, which is why no randomness is spent on it.
 */
export function generateEventId(pageViewId: string, counter: number): string {
  return pageViewId + counter.toString(16);
}
