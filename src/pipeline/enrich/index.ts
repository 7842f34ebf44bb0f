/**
 * The enrichment stage's read-only context: what every event may be enriched with. Built once at
 * start-up (the geo readers behind `geo` may be swapped by a reload, the function stays the same) and
 * shared by all events; nothing in it is computed until a mapping asks (see map/context.ts).
 */
import { DEFAULT_PRIVACY, type PrivacyPolicy } from './privacy.js';
import { createUserAgentParser, type UserAgentParser } from './user-agent.js';
import type { GeoLookup } from './geo.js';

export interface Enrichment {
  readonly userAgent: UserAgentParser;
  /** Null when no geo database is configured: geo fields are then null. */
  readonly geo: GeoLookup | null;
  readonly privacy: PrivacyPolicy;
}

export interface EnrichmentOptions {
  readonly userAgentCacheSize?: number;
  readonly geo?: GeoLookup | null;
  readonly privacy?: PrivacyPolicy;
}

/** The default user-agent cache size, as in the configuration's defaults. */
export const DEFAULT_USER_AGENT_CACHE_SIZE = 10_000;

export function createEnrichment(options: EnrichmentOptions = {}): Enrichment {
  return {
    userAgent: createUserAgentParser(options.userAgentCacheSize ?? DEFAULT_USER_AGENT_CACHE_SIZE),
    geo: options.geo ?? null,
    privacy: options.privacy ?? DEFAULT_PRIVACY,
  };
}

export { GenerationalCache } from './cache.js';
export {
  createGeoLookup,
  type AsnRecordLike,
  type CityRecordLike,
  type GeoInfo,
  type GeoLookup,
  type GeoReaders,
  type RecordReader,
} from './geo.js';
export {
  ANONYMOUS_ID,
  DEFAULT_PRIVACY,
  applyPrivacy,
  asksNotToTrack,
  truncateIp,
  type IpAddressPolicy,
  type PrivacyPolicy,
  type PrivateView,
} from './privacy.js';
export {
  CLICK_ID_PARAMETERS,
  NO_CAMPAIGN,
  campaignOf,
  parseUrl,
  sameSite,
  siteOf,
  type Campaign,
  type UrlParts,
} from './url.js';
export {
  UNKNOWN_USER_AGENT,
  createUserAgentParser,
  type DivolteUserAgent,
  type UserAgentInfo,
  type UserAgentParser,
} from './user-agent.js';
