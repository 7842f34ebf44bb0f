/**
 * The party and session cookies, as the tracker writes them (its settings carry the attributes built
 * here) and, with `serverCookies`, as the event response sets them. Safari caps cookies written by
 * script at seven days but keeps a first-party `Set-Cookie` for its whole max-age, so a returning
 * visitor keeps their party id.
 *
 * Never HttpOnly: the tracker reads both cookies to keep its ids, and an HttpOnly cookie would be
 * invisible to it, so every page would start a new party and session. The values are the ids the
 * tracker itself sent, validated by the event parser, so nothing new is exposed to scripts.
 *
 * The one HttpOnly cookie is the optional party anchor (`partyAnchorCookie`): a server-only copy of
 * the party id, out of reach of page scripts, and set by the server so Safari keeps it for its whole
 * max-age. It makes the party id survive the loss of the tracker's own cookie.
 */
import type { IncomingMessage } from 'node:http';
import type { BrowserSourceConfig } from '../../../config/index.js';
import type { ClientAddressPolicy } from '../../client-address.js';

const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;

/** `; path=/`, the domain, SameSite and, when asked, `; secure`: everything but name, value and max-age. */
export function cookieAttributes(source: BrowserSourceConfig, secure: boolean): string {
  return (
    '; path=/' +
    (source.cookieDomain ? `; domain=${source.cookieDomain}` : '') +
    `; samesite=${SAME_SITE[source.cookieSameSite]}` +
    (secure ? '; secure' : '')
  );
}

/**
 * Whether a request reached us over TLS: directly, or as a trusted proxy says in
 * X-Forwarded-Proto (its first hop, the one the browser used).
 */
export function isHttps(
  request: Pick<IncomingMessage, 'socket' | 'headers'>,
  addresses: ClientAddressPolicy,
): boolean {
  if ((request.socket as { encrypted?: boolean }).encrypted) return true;
  const proto = request.headers['x-forwarded-proto'];
  if (proto === undefined || !addresses.isTrusted(request.socket.remoteAddress)) return false;
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/** The attributes for this request: Secure as `cookieSecure` and the request's scheme say. */
function attributesFor(source: BrowserSourceConfig, https: boolean): string {
  return cookieAttributes(
    source,
    source.cookieSecure === 'always' || (source.cookieSecure === 'auto' && https),
  );
}

const setCookie = (name: string, value: string, lifetimeMs: number, attributes: string): string =>
  `${name}=${value}; max-age=${Math.floor(lifetimeMs / 1000)}${attributes}`;

/** The party cookie as the tracker writes it, with the same sliding expiry. */
export function partyCookie(source: BrowserSourceConfig, partyId: string, https: boolean): string {
  return setCookie(source.partyCookie, partyId, source.partyTimeout, attributesFor(source, https));
}

/** The two Set-Cookie values for an event's ids, with the same sliding expiry the tracker uses. */
export function serverCookies(
  source: BrowserSourceConfig,
  partyId: string,
  sessionId: string,
  https: boolean,
): string[] {
  const attributes = attributesFor(source, https);
  return [
    setCookie(source.partyCookie, partyId, source.partyTimeout, attributes),
    setCookie(source.sessionCookie, sessionId, source.sessionTimeout, attributes),
  ];
}

/** The HttpOnly party anchor for this party id; the same lifetime and attributes as the party cookie. */
export function anchorCookie(
  source: BrowserSourceConfig,
  name: string,
  partyId: string,
  https: boolean,
): string {
  return `${setCookie(name, partyId, source.partyTimeout, attributesFor(source, https))}; httponly`;
}

/**
 * The value of the first cookie called `name` in a Cookie header, or undefined. Values are taken as
 * they are (ids need no decoding); a header repeated by a proxy counts as one list.
 */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join('; ') : header;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
