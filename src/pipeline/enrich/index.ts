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
const DEFAULT_USER_AGENT_CACHE_SIZE = 10_000;

export function createEnrichment(options: EnrichmentOptions = {}): Enrichment {
  return {
    userAgent: createUserAgentParser(options.userAgentCacheSize ?? DEFAULT_USER_AGENT_CACHE_SIZE),
    geo: options.geo ?? null,
    privacy: options.privacy ?? DEFAULT_PRIVACY,
  };
}

export { createGeoLookup, type GeoInfo, type GeoLookup } from './geo.js';
export { truncateIp, type PrivacyPolicy } from './privacy.js';
export { campaignOf, parseUrl, sameSite } from './url.js';
export { createUserAgentParser } from './user-agent.js';
export { divolteUserAgent } from './divolte-vocabulary.js';
