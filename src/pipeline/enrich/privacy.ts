/**
 * Privacy policy, applied to every event after the geo look-up (which needs the full address) and
 * before any mapping sees it, so no mapping, builtin or user-written, can store what the policy removes.
 *
 * `privacy.ipAddress`:
 * - `full`: the address as the trusted-proxy policy determined it;
 * - `truncate`: IPv4 keeps its first three octets (last one 0, a /24), IPv6 its first 48 bits;
 * - `drop`: the empty string (remoteHost is a required string in Divolte's record).
 * With truncate or drop the headers that repeat the address (X-Forwarded-For, Forwarded, X-Real-IP, ...)
 * are removed from what mappings see.
 *
 * `privacy.honorDoNotTrack`: a request with `DNT: 1` or `Sec-GPC: 1` has its identifiers dropped:
 * party and session ids become ANONYMOUS_ID in the event mappings see (the builtin records write null,
 * both fields being nullable), the Cookie header is removed, the record's Kafka key is null rather than
 * the party id, and the address is truncated at least. Page view and event ids stay: they identify
 * one page and one event, not a person, and the event id is needed to tell duplicates apart.
 */
import type { ClientEvent, RequestHeaders } from '../event.js';

type IpAddressPolicy = 'full' | 'truncate' | 'drop';

export interface PrivacyPolicy {
  readonly ipAddress: IpAddressPolicy;
  readonly honorDoNotTrack: boolean;
}

export const DEFAULT_PRIVACY: PrivacyPolicy = Object.freeze({ ipAddress: 'full', honorDoNotTrack: false });

/**
 * The party and session id of an event whose identifiers were dropped. It has the shape of a Divolte
 * identifier (version 0, timestamp 0), so consumers that parse ids keep working.
 */
export const ANONYMOUS_ID = '0:0:anonymous';

/** Headers through which proxies repeat the client's address. */
const ADDRESS_HEADERS = [
  'x-forwarded-for',
  'forwarded',
  'x-real-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
] as const;

/** True when the request asked not to be tracked: `DNT: 1` or `Sec-GPC: 1`. */
export function asksNotToTrack(headers: RequestHeaders): boolean {
  return first(headers.dnt)?.trim() === '1' || first(headers['sec-gpc'])?.trim() === '1';
}

export interface PrivateView {
  /** The event as mappings see it; the very same object when the policy changes nothing. */
  readonly event: ClientEvent;
  readonly doNotTrack: boolean;
}

/** Applies the policy to one event. Cheap when it changes nothing: no copy is made. */
export function applyPrivacy(event: ClientEvent, policy: PrivacyPolicy): PrivateView {
  const doNotTrack = policy.honorDoNotTrack && asksNotToTrack(event.headers);
  const ipMode: IpAddressPolicy = doNotTrack && policy.ipAddress === 'full' ? 'truncate' : policy.ipAddress;
  if (ipMode === 'full' && !doNotTrack) return { event, doNotTrack };

  const remoteHost =
    ipMode === 'full' ? event.remoteHost : ipMode === 'drop' ? '' : truncateIp(event.remoteHost);
  const headers = stripHeaders(event.headers, ipMode !== 'full', doNotTrack);
  const view: ClientEvent = doNotTrack
    ? { ...event, remoteHost, headers, partyId: ANONYMOUS_ID, sessionId: ANONYMOUS_ID }
    : { ...event, remoteHost, headers };
  return { event: view, doNotTrack };
}

function stripHeaders(headers: RequestHeaders, address: boolean, cookies: boolean): RequestHeaders {
  let copy: Record<string, string | string[] | undefined> | undefined;
  const remove = (name: string): void => {
    if (headers[name] === undefined) return;
    copy ??= { ...headers };
    delete copy[name];
  };
  if (address) for (const name of ADDRESS_HEADERS) remove(name);
  if (cookies) remove('cookie');
  return copy ?? headers;
}

/**
 * IPv4 → last octet 0 (`203.0.113.77` → `203.0.113.0`); IPv6 → the first 48 bits in canonical form
 * (`2001:db8:85a3:8d3:1319:8a2e:370:7348` → `2001:db8:85a3::`); an IPv4-mapped IPv6 address is
 * truncated as IPv4 and keeps its prefix. Text that is no IP address becomes the empty string: when in
 * doubt, nothing is kept.
 */
export function truncateIp(address: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) return validOctets(v4) ? `${v4[1]}.${v4[2]}.${v4[3]}.0` : '';
  const mapped = /^(::ffff:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(address);
  if (mapped) return `${(mapped[1] as string).toLowerCase()}${mapped[2]}.${mapped[3]}.${mapped[4]}.0`;
  const groups = parseIpv6(address);
  if (groups === null) return '';
  return formatIpv6([groups[0] as number, groups[1] as number, groups[2] as number, 0, 0, 0, 0, 0]);
}

function validOctets(match: RegExpExecArray): boolean {
  for (let i = 1; i <= 4; i++) if (Number(match[i]) > 255) return false;
  return true;
}

/** Eight 16-bit groups, or null when the text is no IPv6 address. A zone id (`%eth0`) is ignored. */
export function parseIpv6(text: string): number[] | null {
  const address = text.replace(/%.*$/, '');
  if (!/^[0-9a-fA-F:.]+$/.test(address) || address.indexOf(':') === -1) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(piece);
        if (!v4 || !validOctets(v4)) return null;
        out.push((Number(v4[1]) << 8) | Number(v4[2]), (Number(v4[3]) << 8) | Number(v4[4]));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return null;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
