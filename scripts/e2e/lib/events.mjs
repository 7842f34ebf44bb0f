// The events `npm run e2e:pipeline` sends, and what Druid and Superset must then show.
//
// A seeded mix of visitors (browsers, phones, tablets, crawlers; nine countries and one address no geo
// database knows) makes one or two visits each, landing from search engines, social networks,
// newsletters, paid campaigns, other sites or directly, reads a few pages, and sometimes adds to cart
// and buys. Every event states the values it must end up with, written out by hand from what the
// browser, the network and the page would tell any analytics tool (not computed by Footfall's own
// code), so the run checks the whole way: request → enrichment → Avro → Kafka → Druid → Superset.
// `expect` holds Druid dimensions; `shown` the names the dashboard's calculated columns give them.

const UA = {
  chrome120Windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  chrome119Windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
};

const human = (browserName, browserMajor, osName, deviceType) => ({
  expect: { browserName, browserMajor, osName, deviceType, isBot: 'false' },
  shown: {
    traffic: 'human',
    browser: browserName,
    browserVersion: `${browserName} ${browserMajor}`,
    os: osName,
    device: deviceType,
  },
});
const bot = (browserName, browserMajor) => ({
  expect: { browserName, browserMajor, isBot: 'true' },
  shown: { traffic: 'bot', browser: 'bot', browserVersion: 'bot', os: 'bot', device: 'bot' },
});

/** Browsers with how often they occur (weights) and what they must become. */
const BROWSERS = [
  { ua: UA.chrome120Windows, weight: 24, ...human('Chrome', '120', 'Windows', 'desktop') },
  { ua: UA.chrome119Windows, weight: 6, ...human('Chrome', '119', 'Windows', 'desktop') },
  { ua: UA.edgeWindows, weight: 8, ...human('Edge', '120', 'Windows', 'desktop') },
  { ua: UA.firefoxMac, weight: 7, ...human('Firefox', '121', 'macOS', 'desktop') },
  { ua: UA.safariMac, weight: 9, ...human('Safari', '17', 'macOS', 'desktop') },
  { ua: UA.iphone, weight: 22, ...human('Mobile Safari', '17', 'iOS', 'mobile') },
  { ua: UA.android, weight: 16, ...human('Chrome', '120', 'Android', 'mobile') },
  { ua: UA.ipad, weight: 8, ...human('Mobile Safari', '17', 'iOS', 'tablet') },
];

/**
 * Client networks: the run's geo database (geo.mjs) maps each prefix to a city; 192.0.2.x is in no
 * database, so its visitors have no country ("unknown" on the dashboard).
 */
export const PLACES = [
  { prefix: '81.2.69.', weight: 20, countryCode: 'GB', countryName: 'United Kingdom', cityName: 'London' },
  { prefix: '203.0.113.', weight: 18, countryCode: 'NL', countryName: 'Netherlands', cityName: 'Amsterdam' },
  { prefix: '198.18.1.', weight: 16, countryCode: 'DE', countryName: 'Germany', cityName: 'Berlin' },
  { prefix: '198.18.2.', weight: 6, countryCode: 'DE', countryName: 'Germany', cityName: 'Munich' },
  { prefix: '198.18.3.', weight: 10, countryCode: 'FR', countryName: 'France', cityName: 'Paris' },
  { prefix: '198.18.4.', weight: 12, countryCode: 'US', countryName: 'United States', cityName: 'New York' },
  { prefix: '198.18.5.', weight: 5, countryCode: 'CA', countryName: 'Canada', cityName: 'Toronto' },
  { prefix: '198.18.6.', weight: 5, countryCode: 'JP', countryName: 'Japan', cityName: 'Tokyo' },
  { prefix: '198.18.7.', weight: 4, countryCode: 'BR', countryName: 'Brazil', cityName: 'São Paulo' },
  { prefix: '198.18.8.', weight: 4, countryCode: 'IN', countryName: 'India', cityName: 'Mumbai' },
  { prefix: '192.0.2.', weight: 3, countryCode: null, countryName: null, cityName: null },
];

const SITE = 'https://shop.example';

const referral = (referer, refererHost, source, channel, utm = {}) => ({
  referer,
  refererHost,
  source,
  channel,
  utm,
});

/**
 * How visits arrive: the landing URL's query, the referrer, and the source, medium, campaign and
 * channel the dashboard must name them by.
 */
const LANDINGS = [
  { weight: 22, ...referral(null, null, '(direct)', 'Direct') },
  { weight: 16, ...referral('https://www.google.com/', 'www.google.com', 'Google', 'Organic search') },
  { weight: 5, ...referral('https://www.google.de/', 'www.google.de', 'Google', 'Organic search') },
  { weight: 5, ...referral('https://www.bing.com/search?q=shoes', 'www.bing.com', 'Bing', 'Organic search') },
  { weight: 3, ...referral('https://duckduckgo.com/', 'duckduckgo.com', 'DuckDuckGo', 'Organic search') },
  { weight: 5, ...referral('https://l.facebook.com/', 'l.facebook.com', 'Facebook', 'Social') },
  { weight: 3, ...referral('https://t.co/x1', 't.co', 'X', 'Social') },
  {
    weight: 4,
    ...referral('https://mastodon.social/@shop', 'mastodon.social', 'mastodon', 'Social', {
      utm_source: 'mastodon',
      utm_medium: 'social',
      utm_campaign: 'launch',
    }),
  },
  {
    weight: 8,
    ...referral('https://mail.example.net/inbox', 'mail.example.net', 'newsletter', 'Email', {
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'winter-sale',
    }),
  },
  {
    weight: 7,
    ...referral('https://www.google.com/', 'www.google.com', 'google', 'Paid', {
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'brand',
      gclid: 'EAIaIQ',
    }),
  },
  {
    weight: 4,
    ...referral('https://news.example.org/articles/best-shoes', 'news.example.org', 'news-site', 'Referral', {
      utm_source: 'news-site',
      utm_medium: 'referral',
    }),
  },
  {
    weight: 6,
    ...referral('https://blog.example.com/post', 'blog.example.com', 'blog.example.com', 'Referral'),
  },
];

const LANDING_PAGES = [
  ['/', 10],
  ['/products/42', 6],
  ['/products/7', 4],
  ['/blog/sizing-guide', 3],
];
const BROWSE_PAGES = [
  ['/products/42', 5],
  ['/products/7', 4],
  ['/products/13', 3],
  ['/', 3],
  ['/about', 1],
  ['/blog/sizing-guide', 1],
];

const HUMAN_VISITORS = 120;
/** Crawlers: each fetches this many pages in one visit, with no referrer. */
const CRAWLS = [
  { ...bot('Googlebot', '2'), ua: UA.googlebot, pages: 14, place: 0 },
  { ...bot('bingbot', '2'), ua: UA.bingbot, pages: 9, place: 5 },
];

/** A small deterministic generator (mulberry32), so every run sends the same mix. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(rand, items, weightOf = (item) => item.weight) {
  const total = items.reduce((sum, item) => sum + weightOf(item), 0);
  let x = rand() * total;
  for (const item of items) {
    x -= weightOf(item);
    if (x < 0) return item;
  }
  return items[items.length - 1];
}

/** Dimensions the run compares exactly in Druid, value by value; null keys are the string 'null'. */
export const CHECKED_DIMENSIONS = [
  'eventType',
  'sourceName',
  'firstInSession',
  'newParty',
  'isBot',
  'locationHost',
  'locationPath',
  'refererHost',
  'refererInternal',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'clickIdType',
  'browserName',
  'browserMajor',
  'osName',
  'deviceType',
  'countryCode',
  'countryName',
  'cityName',
];

/**
 * The visits as a script: for each, the visitor and a list of hits (page views and custom events),
 * before any identifier exists.
 */
function script(rand) {
  const visits = [];
  for (let v = 0; v < HUMAN_VISITORS; v++) {
    const browser = pick(rand, BROWSERS);
    const place = pick(rand, PLACES);
    const visitor = { id: v, ua: browser.ua, ip: `${place.prefix}${10 + v}`, browser, place };
    const sessionCount = rand() < 0.3 ? 2 : 1;
    for (let s = 0; s < sessionCount; s++) {
      const landing = pick(rand, LANDINGS);
      const first = pick(rand, LANDING_PAGES, ([, w]) => w)[0];
      const paths = [first];
      const depth = Math.floor(rand() * rand() * 6);
      for (let i = 0; i < depth; i++) paths.push(pick(rand, BROWSE_PAGES, ([, w]) => w)[0]);
      const hits = paths.map((path, i) => ({ path, landing: i === 0 ? landing : null, event: 'pageView' }));
      const product = hits.findIndex((h) => h.path.startsWith('/products/'));
      if (product >= 0 && rand() < 0.45) {
        hits.splice(product + 1, 0, { ...hits[product], event: 'addToCart', sameView: true });
        if (rand() < 0.5) {
          hits.push({ path: '/checkout', landing: null, event: 'pageView' });
          hits.push({ path: '/checkout', landing: null, event: 'purchase', sameView: true });
        }
      }
      visits.push({ visitor, newVisitor: s === 0, hits });
    }
  }
  CRAWLS.forEach((crawl, c) => {
    const place = PLACES[crawl.place];
    const visitor = { id: 1000 + c, ua: crawl.ua, ip: `${place.prefix}${200 + c}`, browser: crawl, place };
    const hits = Array.from({ length: crawl.pages }, (_, i) => ({
      path: ['/', '/products/42', '/products/7', '/products/13', '/about', '/blog/sizing-guide'][i % 6],
      landing: i === 0 ? LANDINGS[0] : null,
      event: 'pageView',
      crawl: true,
    }));
    visits.push({ visitor, newVisitor: true, hits });
  });
  return visits;
}

/** What a page URL and its referrer must become, and the names the dashboard gives them. */
function pageExpectations(path, landing, previousPath, crawl) {
  if (landing !== null) {
    const { utm } = landing;
    const query = new URLSearchParams(utm).toString();
    return {
      url: `${SITE}${path}${query ? `?${query}` : ''}`,
      referer: landing.referer,
      expect: {
        locationHost: 'shop.example',
        locationPath: path,
        refererHost: landing.refererHost,
        refererInternal: landing.referer === null ? null : 'false',
        utmSource: utm.utm_source ?? null,
        utmMedium: utm.utm_medium ?? null,
        utmCampaign: utm.utm_campaign ?? null,
        clickIdType: utm.gclid ? 'gclid' : null,
      },
      shown: {
        page: path,
        source: landing.source,
        medium: utm.utm_medium ?? '(none)',
        campaign: utm.utm_campaign ?? '(none)',
        channel: landing.channel,
      },
    };
  }
  // Later pages of a visit: followed links (internal referrer), or a crawler's fetches (none).
  const referer = crawl ? null : `${SITE}${previousPath}`;
  return {
    url: `${SITE}${path}`,
    referer,
    expect: {
      locationHost: 'shop.example',
      locationPath: path,
      refererHost: crawl ? null : 'shop.example',
      refererInternal: crawl ? null : 'true',
    },
    shown: {
      page: path,
      source: crawl ? '(direct)' : '(internal)',
      medium: '(none)',
      campaign: '(none)',
      channel: crawl ? 'Direct' : 'Internal',
    },
  };
}

/**
 * Builds the plan: each request to send and what it must produce. Identifiers are new each run, so a
 * rerun against the same Kafka topic could never be mistaken for this one.
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
  const rand = random(20261206);
  const parties = new Map();
  const requests = [];
  let clock = 0;
  for (const visit of script(rand)) {
    const { visitor } = visit;
    if (!parties.has(visitor.id)) parties.set(visitor.id, generateIdentifier(now));
    const party = parties.get(visitor.id);
    const session = generateIdentifier(now);
    const place = {
      countryCode: visitor.place.countryCode,
      countryName: visitor.place.countryName,
      cityName: visitor.place.cityName,
    };
    const placeShown = { country: place.countryName ?? 'unknown', city: place.cityName ?? 'unknown' };
    let pageView;
    let page;
    let previousPath = null;
    // Visits overlap as on a real site: each starts somewhere in the first minute and reads a page
    // every 2 to 8 seconds (sendPlan compresses the timeline), so durations and the minute chart have
    // a shape.
    let at = rand() * 60_000;
    visit.hits.forEach((hit, h) => {
      at += h === 0 ? 0 : hit.sameView ? 500 : 2000 + rand() * 6000;
      if (!hit.sameView) {
        pageView = generatePageViewId();
        page = pageExpectations(hit.path, hit.landing, previousPath, hit.crawl === true);
        previousPath = hit.path;
      }
      const firstEvent = visit.newVisitor && h === 0;
      const query = pixelQuery({
        p: party,
        s: session,
        v: pageView,
        e: `${pageView}${h}`,
        c: (now + clock++).toString(36),
        n: firstEvent ? 't' : 'f',
        f: h === 0 ? 't' : 'f',
        l: page.url,
        r: page.referer ?? undefined,
        i: '780',
        j: '3c0',
        k: '2',
        w: 'sg',
        h: 'm8',
        t: hit.event,
      });
      requests.push({
        kind: 'pixel',
        visitor: `visitor ${visitor.id}`,
        path: `/csc-event?${query}`,
        headers: { 'user-agent': visitor.ua, 'x-forwarded-for': visitor.ip },
        party,
        session,
        at,
        expect: {
          eventType: hit.event,
          sourceName: 'browser',
          firstInSession: h === 0 ? 'true' : 'false',
          newParty: firstEvent ? 'true' : 'false',
          ...visitor.browser.expect,
          ...place,
          ...page.expect,
        },
        shown: {
          ...visitor.browser.shown,
          ...placeShown,
          ...page.shown,
          visitorType: firstEvent ? 'new' : 'returning',
        },
      });
    });
  }
  requests.push(...appEvents(requests.find((r) => r.expect.isBot === 'false')));
  return requests.sort((a, b) => a.at - b.at);
}

/**
 * Events a shop's server posts to the JSON source for one visitor: same party, session and user
 * agent, but no page or referrer, which the JSON source does not carry.
 */
function appEvents(visit) {
  return [
    { type: 'newsletterSignup', parameters: { list: 'weekly' } },
    { type: 'purchase', parameters: { order: 'A-1001', total: 59.5 } },
  ].map((event, i) => ({
    kind: 'json',
    visitor: `${visit.visitor} (app)`,
    path: `/json?p=${encodeURIComponent(visit.party)}`,
    headers: { ...visit.headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      session_id: visit.session,
      event_id: `app-${i}`,
      is_new_party: false,
      is_new_session: false,
      client_timestamp_iso: new Date().toISOString(),
      event_type: event.type,
      parameters: event.parameters,
    }),
    party: visit.party,
    session: visit.session,
    at: visit.at + 1000 * (i + 1),
    expect: {
      eventType: event.type,
      sourceName: 'app',
      firstInSession: 'false',
      newParty: 'false',
      ...Object.fromEntries(
        [
          'browserName',
          'browserMajor',
          'osName',
          'deviceType',
          'isBot',
          'countryCode',
          'countryName',
          'cityName',
        ].map((key) => [key, visit.expect[key]]),
      ),
    },
    shown: {
      ...visit.shown,
      page: '(none)',
      source: '(direct)',
      medium: '(none)',
      campaign: '(none)',
      channel: 'Direct',
      visitorType: 'returning',
    },
  }));
}

/**
 * Sends every request of the plan at its `at` time, the timeline scaled to last `spreadMs` (0 sends at
 * once); each must
 * be answered with a 2xx. Records when each was sent and answered, which bounds the receive time
 * Druid's session durations are measured from.
 */
export async function sendPlan(collectorUrl, plan, { spreadMs = 0 } = {}) {
  const started = Date.now();
  const scale = spreadMs / Math.max(1, ...plan.map((r) => r.at));
  for (const request of plan) {
    const due = started + request.at * scale;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    request.sentAt = Date.now();
    const response = await fetch(`${collectorUrl}${request.path}`, {
      method: request.kind === 'json' ? 'POST' : 'GET',
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    await response.arrayBuffer();
    request.answeredAt = Date.now();
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
