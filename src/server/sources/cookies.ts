/**
 * The party and session cookies, as the tracker writes them (its settings carry the attributes built
 * here) and, with `serverCookies`, as the event response sets them. Safari caps cookies written by
 * script at seven days but keeps a first-party `Set-Cookie` for its whole max-age, so a returning
 * visitor keeps their party id.
 *
 * Never HttpOnly: the tracker reads both cookies to keep its ids, and an HttpOnly cookie would be
 * invisible to it, so every page would start a new party and session. The values are the ids the
 * tracker itself sent, validated by the event parser, so nothing new is exposed to scripts.
 */
import type { IncomingMessage } from 'node:http';
import type { BrowserSourceConfig } from '../../config/index.js';
import type { ClientAddressPolicy } from '../client-address.js';

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

/** The two Set-Cookie values for an event's ids, with the same sliding expiry the tracker uses. */
export function serverCookies(
  source: BrowserSourceConfig,
  partyId: string,
  sessionId: string,
  https: boolean,
): string[] {
  const secure = source.cookieSecure === 'always' || (source.cookieSecure === 'auto' && https);
  const attributes = cookieAttributes(source, secure);
  return [
    `${source.partyCookie}=${partyId}; max-age=${Math.floor(source.partyTimeout / 1000)}${attributes}`,
    `${source.sessionCookie}=${sessionId}; max-age=${Math.floor(source.sessionTimeout / 1000)}${attributes}`,
  ];
}
