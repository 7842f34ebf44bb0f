// The known set of events `npm run e2e:pipeline` sends, and what Druid and Superset must then show.
//
// Every event states the dimension values it must end up with in Druid, written out by hand from what
// the browser, the network and the page would tell any analytics tool (not computed by Footfall's own
// code), so the run checks the whole way: request → enrichment → Avro → Kafka → Druid → Superset.

const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

/**
 * The visitors: a client address (resolved by the geo database the run generates, see geo.mjs), a
 * browser, and what both must become in the record.
 */
const VISITORS = [
  {
    name: 'desktop shopper from London',
    ip: '81.2.69.10',
    ua: UA.chromeWindows,
    expect: {
      browserName: 'Chrome',
      osName: 'Windows',
      deviceType: 'desktop',
      isBot: 'false',
      countryCode: 'GB',
      cityName: 'London',
    },
  },
  {
    name: 'phone reader from Amsterdam',
    ip: '203.0.113.20',
    ua: UA.iphone,
    expect: {
      browserName: 'Mobile Safari',
      osName: 'iOS',
      deviceType: 'mobile',
      isBot: 'false',
      countryCode: 'NL',
      cityName: 'Amsterdam',
    },
  },
  {
    name: 'tablet visitor from Amsterdam',
    ip: '203.0.113.21',
    ua: UA.ipad,
    expect: {
      browserName: 'Mobile Safari',
      osName: 'iOS',
      deviceType: 'tablet',
      isBot: 'false',
      countryCode: 'NL',
      cityName: 'Amsterdam',
    },
  },
  {
    name: 'crawler from London',
    ip: '81.2.69.11',
    ua: UA.googlebot,
    expect: { browserName: 'Googlebot', isBot: 'true', countryCode: 'GB', cityName: 'London' },
  },
];

const SITE = 'https://shop.example';

/**
 * Page views per visitor: [path with query, referrer or null]. The first page view of each visitor
 * opens its session. Expected URL parts are written next to each.
 */
const PAGES = [
  [
    {
      url: `${SITE}/?utm_source=newsletter&utm_medium=email&utm_campaign=winter-sale`,
      referer: 'https://mail.example.net/inbox',
      expect: {
        locationPath: '/',
        refererHost: 'mail.example.net',
        refererInternal: 'false',
        utmSource: 'newsletter',
        utmMedium: 'email',
        utmCampaign: 'winter-sale',
      },
    },
    {
      url: `${SITE}/products/42`,
      referer: `${SITE}/`,
      expect: { locationPath: '/products/42', refererHost: 'shop.example', refererInternal: 'true' },
    },
    {
      url: `${SITE}/checkout`,
      referer: `${SITE}/products/42`,
      expect: { locationPath: '/checkout', refererHost: 'shop.example', refererInternal: 'true' },
    },
  ],
  [
    {
      url: `${SITE}/products/42?utm_source=news-site&utm_medium=referral`,
      referer: 'https://news.example.org/articles/best-shoes',
      expect: {
        locationPath: '/products/42',
        refererHost: 'news.example.org',
        refererInternal: 'false',
        utmSource: 'news-site',
        utmMedium: 'referral',
      },
    },
    {
      url: `${SITE}/`,
      referer: `${SITE}/products/42`,
      expect: { locationPath: '/', refererHost: 'shop.example', refererInternal: 'true' },
    },
  ],
  [{ url: `${SITE}/products/7`, referer: null, expect: { locationPath: '/products/7' } }],
  [
    { url: `${SITE}/`, referer: null, expect: { locationPath: '/' } },
    { url: `${SITE}/products/42`, referer: null, expect: { locationPath: '/products/42' } },
    { url: `${SITE}/products/7`, referer: null, expect: { locationPath: '/products/7' } },
  ],
];

/**
 * Events the shop's web app posts to the JSON source for the London shopper, from the same browser
 * (so the same user agent), but without page or referrer: the JSON source carries neither.
 */
const APP_EVENTS = [
  { type: 'addToCart', parameters: { sku: '42', price: 59.5 } },
  { type: 'purchase', parameters: { order: 'A-1001', total: 59.5 } },
];

/** Dimensions that are null unless an event says otherwise. */
const NULLABLE = [
  'locationHost',
  'locationPath',
  'refererHost',
  'refererInternal',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'browserName',
  'osName',
  'deviceType',
  'countryCode',
  'cityName',
];

/** The dimensions the run compares exactly in Druid, value by value. */
export const CHECKED_DIMENSIONS = ['eventType', 'sourceName', 'firstInSession', 'isBot', ...NULLABLE];

/**
 * Builds the plan: each request to send and the record dimensions it must produce. Identifiers are new
 * each run, so a rerun against the same Kafka topic could never be mistaken for this one.
 */
export async function eventPlan(now = Date.now()) {
  // The compiled protocol module: imported here, not at the top, because the run builds it first.
  const { computeChecksum, generateIdentifier, generatePageViewId } =
    await import('../../../dist/protocol/index.js');
  const pixelQuery = (params) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) search.append(key, value);
    search.append('x', computeChecksum(search));
    return search.toString().replace(/\+/g, '%20');
  };
  const requests = [];
  VISITORS.forEach((visitor, v) => {
    const party = generateIdentifier(now);
    const session = generateIdentifier(now);
    PAGES[v].forEach((page, p) => {
      const pageView = generatePageViewId();
      const query = pixelQuery({
        p: party,
        s: session,
        v: pageView,
        e: `${pageView}0`,
        c: (now + p).toString(36),
        n: p === 0 ? 't' : 'f',
        f: p === 0 ? 't' : 'f',
        l: page.url,
        r: page.referer ?? undefined,
        i: '780',
        j: '3c0',
        k: '2',
        w: 'sg',
        h: 'm8',
        t: 'pageView',
      });
      requests.push({
        kind: 'pixel',
        visitor: visitor.name,
        path: `/csc-event?${query}`,
        headers: { 'user-agent': visitor.ua, 'x-forwarded-for': visitor.ip },
        party,
        session,
        expect: {
          eventType: 'pageView',
          sourceName: 'browser',
          firstInSession: p === 0 ? 'true' : 'false',
          locationHost: 'shop.example',
          ...visitor.expect,
          ...page.expect,
        },
      });
    });
    if (v === 0) {
      APP_EVENTS.forEach((event, i) => {
        requests.push({
          kind: 'json',
          visitor: `${visitor.name} (app)`,
          path: `/json?p=${encodeURIComponent(party)}`,
          headers: {
            'user-agent': visitor.ua,
            'x-forwarded-for': visitor.ip,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            session_id: session,
            event_id: `app-${i}`,
            is_new_party: false,
            is_new_session: false,
            client_timestamp_iso: new Date(now).toISOString(),
            event_type: event.type,
            parameters: event.parameters,
          }),
          party,
          session,
          expect: {
            eventType: event.type,
            sourceName: 'app',
            firstInSession: 'false',
            ...visitor.expect,
          },
        });
      });
    }
  });
  return requests;
}

/** Sends every request of the plan to the collector; each must be answered with a 2xx. */
export async function sendPlan(collectorUrl, plan) {
  for (const request of plan) {
    const response = await fetch(`${collectorUrl}${request.path}`, {
      method: request.kind === 'json' ? 'POST' : 'GET',
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    await response.arrayBuffer();
    if (response.status < 200 || response.status > 299) {
      throw new Error(`${request.kind} event of ${request.visitor} was answered ${response.status}`);
    }
  }
}

/** Counts per value of one dimension over the expected records; null keys are the string 'null'. */
export function expectedCounts(records, dimension) {
  const counts = {};
  for (const record of records) {
    const value = record.expect[dimension] ?? null;
    const key = value === null ? 'null' : String(value);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function expectedTotals(records) {
  return {
    events: records.length,
    parties: new Set(records.map((r) => r.party)).size,
    sessions: new Set(records.map((r) => r.session)).size,
  };
}
