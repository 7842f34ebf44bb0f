/**
 * Synthetic events for the start-up dry run of a mapping (and examples in tests). They cover the shapes
 * real events come in: a browser page view with everything filled in, a browser custom event with
 * nested parameters and both flags set, a JSON-source event without page facts that asks not to be
 * tracked, and a bare event where every optional value is absent or malformed. A mapping that maps all
 * four onto records its schema accepts has the types right; one that only works when, say, a referrer
 * is present fails here rather than on the first real visitor without one.
 */
import { createEnrichment, type Enrichment } from '../enrich/index.js';
import type { GeoInfo } from '../enrich/geo.js';
import type { PrivacyPolicy } from '../enrich/privacy.js';
import type { ClientEvent, EventFlags } from '../event.js';

export interface SyntheticEvent {
  /** How the event is named in error messages: "a browser page view". */
  readonly label: string;
  readonly event: ClientEvent;
  readonly flags: EventFlags;
}

const PARTY = '0:mhdmvyhc:SyntheticPartyIdForTheDryRun00000';
const SESSION = '0:mhdmvyhc:SyntheticSessionIdForTheDryRun0000';
const PAGE_VIEW = '0:SyntheticPageViewIdForTheDryRun0';
const RECEIVED = Date.UTC(2026, 0, 15, 12, 0, 0);

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1';

export const SYNTHETIC_EVENTS: readonly SyntheticEvent[] = Object.freeze([
  {
    label: 'a browser page view',
    flags: { corrupt: false, duplicate: false },
    event: {
      sourceName: 'browser',
      sourceType: 'browser',
      receivedAt: RECEIVED,
      remoteHost: '203.0.113.7',
      userAgent: CHROME,
      headers: {
        'user-agent': CHROME,
        'accept-language': 'en-GB,en;q=0.9',
        cookie: `_dvp=${PARTY}; _dvs=${SESSION}; consent=yes`,
        'sec-ch-ua': '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
        'sec-ch-ua-mobile': '?0',
        'sec-ch-ua-platform': '"Windows"',
      },
      partyId: PARTY,
      sessionId: SESSION,
      pageViewId: PAGE_VIEW,
      eventId: `${PAGE_VIEW}0`,
      clientTimestamp: RECEIVED - 120,
      newParty: true,
      firstInSession: true,
      eventType: 'pageView',
      location:
        'https://www.example.com/products/42?utm_source=newsletter&utm_medium=email&gclid=Cj0KCQ#reviews',
      referrer: 'https://www.google.com/search?q=shoes',
      screenWidth: 1920,
      screenHeight: 1080,
      viewportWidth: 1280,
      viewportHeight: 720,
      devicePixelRatio: 1.5,
      parameters: undefined,
      corrupt: false,
    },
  },
  {
    label: 'a browser custom event',
    flags: { corrupt: true, duplicate: true },
    event: {
      sourceName: 'browser',
      sourceType: 'browser',
      receivedAt: RECEIVED + 5000,
      remoteHost: '2001:db8:85a3::8a2e:370:7334',
      userAgent: SAFARI_IOS,
      headers: { 'user-agent': SAFARI_IOS, referer: 'https://shop.example.com/' },
      partyId: PARTY,
      sessionId: SESSION,
      pageViewId: PAGE_VIEW,
      eventId: `${PAGE_VIEW}1`,
      clientTimestamp: RECEIVED + 4900,
      newParty: false,
      firstInSession: false,
      eventType: 'addToCart',
      location: 'https://shop.example.com/cart',
      referrer: 'https://www.example.com/products/42',
      screenWidth: 390,
      screenHeight: 844,
      viewportWidth: 390,
      viewportHeight: 664,
      devicePixelRatio: 3,
      parameters: {
        product: { id: 'p-42', price: 19.95, tags: ['sale'] },
        quantity: 2,
        gift: false,
        note: null,
      },
      corrupt: true,
    },
  },
  {
    label: 'a JSON-source event that asks not to be tracked',
    flags: { corrupt: false, duplicate: false },
    event: {
      sourceName: 'app',
      sourceType: 'json',
      receivedAt: RECEIVED + 60_000,
      remoteHost: '198.51.100.23',
      userAgent: 'okhttp/4.12.0',
      headers: {
        'user-agent': 'okhttp/4.12.0',
        dnt: '1',
        'sec-gpc': '1',
        'x-forwarded-for': '198.51.100.23',
      },
      partyId: PARTY,
      sessionId: SESSION,
      pageViewId: null,
      eventId: 'synthetic-app-event-1',
      clientTimestamp: RECEIVED + 59_000,
      newParty: false,
      firstInSession: true,
      eventType: 'screenView',
      location: null,
      referrer: null,
      screenWidth: null,
      screenHeight: null,
      viewportWidth: null,
      viewportHeight: null,
      devicePixelRatio: null,
      parameters: [{ sku: 'A-1', count: 1 }, 'text', 7],
      corrupt: false,
    },
  },
  {
    label: 'a bare event without optional values',
    flags: { corrupt: false, duplicate: false },
    event: {
      sourceName: 'app',
      sourceType: 'json',
      receivedAt: RECEIVED + 120_000,
      remoteHost: '192.0.2.1',
      userAgent: null,
      headers: {},
      partyId: PARTY,
      sessionId: SESSION,
      pageViewId: null,
      eventId: 'synthetic-app-event-2',
      clientTimestamp: RECEIVED + 119_000,
      newParty: false,
      firstInSession: false,
      eventType: null,
      location: 'not a URL',
      referrer: null,
      screenWidth: null,
      screenHeight: null,
      viewportWidth: null,
      viewportHeight: null,
      devicePixelRatio: null,
      parameters: undefined,
      corrupt: false,
    },
  },
] satisfies SyntheticEvent[]);

const GEO: Readonly<Record<string, GeoInfo>> = {
  '203.0.113.7': {
    continentCode: 'EU',
    countryCode: 'NL',
    countryName: 'Netherlands',
    isInEuropeanUnion: true,
    subdivisionCode: 'NH',
    subdivisionName: 'North Holland',
    subdivisionCodes: ['NH'],
    cityName: 'Amsterdam',
    cityGeonameId: 2759794,
    postalCode: '1012',
    latitude: 52.3759,
    longitude: 4.8975,
    accuracyRadius: 20,
    metroCode: null,
    timeZone: 'Europe/Amsterdam',
    asn: 64496,
    asnOrganization: 'Example Networks B.V.',
  },
  '2001:db8:85a3::8a2e:370:7334': {
    continentCode: 'NA',
    countryCode: 'US',
    countryName: 'United States',
    isInEuropeanUnion: false,
    subdivisionCode: 'CA',
    subdivisionName: 'California',
    subdivisionCodes: ['CA'],
    cityName: 'San Francisco',
    cityGeonameId: 5391959,
    postalCode: '94107',
    latitude: 37.7697,
    longitude: -122.3933,
    accuracyRadius: 5,
    metroCode: 807,
    timeZone: 'America/Los_Angeles',
    asn: null,
    asnOrganization: null,
  },
  '198.51.100.23': {
    continentCode: null,
    countryCode: null,
    countryName: null,
    isInEuropeanUnion: null,
    subdivisionCode: null,
    subdivisionName: null,
    subdivisionCodes: [],
    cityName: null,
    cityGeonameId: null,
    postalCode: null,
    latitude: null,
    longitude: null,
    accuracyRadius: null,
    metroCode: null,
    timeZone: null,
    asn: 64511,
    asnOrganization: 'Example Mobile',
  },
};

/**
 * Enrichment for dry runs: the real user-agent parser, a geo look-up that knows the synthetic
 * addresses (so geo fields are exercised with values, not only nulls) and the configured privacy.
 */
export function syntheticEnrichment(privacy?: PrivacyPolicy): Enrichment {
  return createEnrichment({
    userAgentCacheSize: 16,
    geo: (ip) => GEO[ip] ?? null,
    ...(privacy === undefined ? {} : { privacy }),
  });
}
