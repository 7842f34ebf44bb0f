// The Superset dataset over the Druid datasource `footfall`: its physical columns (the supervisor
// spec's dimensions), the calculated columns the dashboard groups and filters on, and the metrics.
//
// Calculated columns are SQL that Druid runs at query time, so they apply to every row already
// ingested and can be edited in Superset without re-ingesting. They exist to give every value a name
// (no null slices: "unknown", "bot", "(direct)") and to derive the traffic source and channel from the
// referrer and UTM fields the spec keeps.

/** Search engines by referrer host pattern (Druid LIKE), named as analysts know them. */
const SEARCH_ENGINES = [
  ['Google', ['%google.%']],
  ['Bing', ['%bing.com']],
  ['DuckDuckGo', ['%duckduckgo.com']],
  ['Yahoo', ['%search.yahoo.%', 'yahoo.%']],
  ['Ecosia', ['%ecosia.org']],
  ['Baidu', ['%baidu.com']],
  ['Yandex', ['%yandex.%']],
  ['Qwant', ['%qwant.com']],
];

/** Social networks by referrer host pattern. */
const SOCIAL_NETWORKS = [
  ['Facebook', ['%facebook.com', 'l.facebook.com', 'lm.facebook.com']],
  ['X', ['t.co', '%twitter.com', 'x.com']],
  ['LinkedIn', ['%linkedin.com', 'lnkd.in']],
  ['Reddit', ['%reddit.com']],
  ['Instagram', ['%instagram.com']],
  ['YouTube', ['%youtube.com']],
  ['Mastodon', ['%mastodon.%']],
];

/** utm_medium values (lower case) that mean paid traffic, e-mail and social, as GA and Plausible read them. */
const PAID_MEDIA = [
  'cpc',
  'ppc',
  'paid',
  'paidsearch',
  'paid_search',
  'paid-search',
  'paid_social',
  'paid-social',
  'display',
  'cpm',
  'banner',
];
const EMAIL_MEDIA = ['email', 'e-mail', 'e_mail', 'newsletter'];
const SOCIAL_MEDIA = ['social', 'social-network', 'social-media', 'sm', 'social_network'];

const quote = (value) => `'${value.replaceAll("'", "''")}'`;
const list = (values) => values.map(quote).join(', ');
const hostMatches = (patterns) =>
  patterns
    .map((p) => (p.includes('%') ? `"refererHost" LIKE ${quote(p)}` : `"refererHost" = ${quote(p)}`))
    .join(' OR ');
const anyHost = (groups) => groups.map(([, patterns]) => hostMatches(patterns)).join(' OR ');

const source = [
  'CASE',
  `  WHEN "utmSource" IS NOT NULL THEN LOWER("utmSource")`,
  `  WHEN "refererInternal" = 'true' THEN '(internal)'`,
  `  WHEN "refererHost" IS NULL THEN '(direct)'`,
  ...[...SEARCH_ENGINES, ...SOCIAL_NETWORKS].map(
    ([name, patterns]) => `  WHEN ${hostMatches(patterns)} THEN ${quote(name)}`,
  ),
  '  ELSE "refererHost"',
  'END',
].join('\n');

const channel = [
  'CASE',
  `  WHEN "utmSource" IS NULL AND "utmMedium" IS NULL AND "refererInternal" = 'true' THEN 'Internal'`,
  `  WHEN "clickIdType" IS NOT NULL OR LOWER("utmMedium") IN (${list(PAID_MEDIA)}) THEN 'Paid'`,
  `  WHEN LOWER("utmMedium") IN (${list(EMAIL_MEDIA)}) THEN 'Email'`,
  `  WHEN LOWER("utmMedium") IN (${list(SOCIAL_MEDIA)}) OR ${anyHost(SOCIAL_NETWORKS)} THEN 'Social'`,
  `  WHEN LOWER("utmMedium") = 'organic' OR ${anyHost(SEARCH_ENGINES)} THEN 'Organic search'`,
  `  WHEN "utmSource" IS NULL AND "utmMedium" IS NULL AND "refererHost" IS NULL THEN 'Direct'`,
  `  ELSE 'Referral'`,
  'END',
].join('\n');

/**
 * Calculated columns: [name, label, SQL, description]. Every one yields a non-null string, so no chart
 * shows a `<NULL>` slice and every native filter offers every value.
 */
export const CALCULATED_COLUMNS = [
  [
    'traffic',
    'Traffic',
    `CASE WHEN "isBot" = 'true' THEN 'bot' ELSE 'human' END`,
    'human or bot (known bot, crawler or automated user agent).',
  ],
  [
    'page',
    'Page',
    `COALESCE("locationPath", '(none)')`,
    'Path of the page; (none) for events without a page, such as server-side ones.',
  ],
  [
    'source',
    'Source',
    source,
    'utm_source when the URL has one, else the referring site with search engines and social networks grouped under one name; (direct) without referrer, (internal) from the same site.',
  ],
  [
    'medium',
    'Medium',
    `COALESCE(LOWER("utmMedium"), '(none)')`,
    'utm_medium, lower case; (none) without one.',
  ],
  ['campaign', 'Campaign', `COALESCE("utmCampaign", '(none)')`, 'utm_campaign; (none) without one.'],
  [
    'channel',
    'Channel',
    channel,
    'Traffic channel from referrer and UTM: Direct, Organic search, Paid, Social, Email, Referral or Internal.',
  ],
  [
    'visitor_type',
    'Visitor type',
    `CASE WHEN "newParty" = 'true' THEN 'new' ELSE 'returning' END`,
    'new when the visitor id was created for this event, else returning.',
  ],
  [
    'browser',
    'Browser',
    `CASE WHEN "isBot" = 'true' THEN 'bot' ELSE COALESCE("browserName", 'unknown') END`,
    'Browser name; bot for known bots, unknown when the user agent does not say.',
  ],
  [
    'browser_version',
    'Browser version',
    `CASE WHEN "isBot" = 'true' THEN 'bot' ELSE COALESCE("browserName", 'unknown') || ' ' || COALESCE("browserMajor", '?') END`,
    'Browser name and major version.',
  ],
  [
    'os',
    'Operating system',
    `CASE WHEN "isBot" = 'true' THEN 'bot' ELSE COALESCE("osName", 'unknown') END`,
    'Operating system name; bot for known bots.',
  ],
  [
    'device',
    'Device',
    `CASE WHEN "isBot" = 'true' THEN 'bot' ELSE COALESCE("deviceType", 'unknown') END`,
    'Device class (desktop, mobile, tablet, ...); bot for known bots.',
  ],
  [
    'country',
    'Country',
    `COALESCE("countryName", 'unknown')`,
    'Country of the client address; unknown without a geo database or a match.',
  ],
  [
    'city',
    'City',
    `COALESCE("cityName", 'unknown')`,
    'City of the client address; unknown when the geo database has none.',
  ],
];

/** Labels of the spec dimensions; the dataset's physical columns are exactly those dimensions. */
export const DIMENSION_LABELS = {
  eventType: 'Event type',
  sourceName: 'Collector source',
  firstInSession: 'First in session',
  newParty: 'New visitor',
  locationHost: 'Page host',
  locationPath: 'Page path',
  refererHost: 'Referrer host',
  refererInternal: 'Internal referrer',
  utmSource: 'UTM source',
  utmMedium: 'UTM medium',
  utmCampaign: 'UTM campaign',
  utmTerm: 'UTM term',
  utmContent: 'UTM content',
  clickIdType: 'Ad click id type',
  browserName: 'Browser name',
  browserMajor: 'Browser major version',
  osName: 'OS name',
  deviceType: 'Device type',
  isBot: 'Is bot',
  countryCode: 'Country code',
  countryName: 'Country name',
  subdivisionName: 'Region',
  cityName: 'City name',
  timeZone: 'Time zone',
  detectedDuplicate: 'Duplicate',
  detectedCorruption: 'Corrupted',
};

const countIf = (condition) => `SUM(CASE WHEN ${condition} THEN "count" ELSE 0 END)`;
const visits = 'APPROX_COUNT_DISTINCT_DS_HLL("uniqueSessions")';

/** Metrics: [name, label, SQL, d3 format, description]. Rows are rolled up, so counts sum "count". */
export const METRICS = [
  ['events', 'Events', 'SUM("count")', ',d', 'Events received, custom events included.'],
  [
    'pageviews',
    'Page views',
    countIf(`"eventType" = 'pageView'`),
    ',d',
    'Page views (events of type pageView).',
  ],
  [
    'unique_visitors',
    'Visitors',
    'APPROX_COUNT_DISTINCT_DS_HLL("uniqueParties")',
    ',d',
    'Distinct visitor (party) ids; HLL sketch, about 1.6 % error at lgK 12.',
  ],
  ['unique_sessions', 'Visits', visits, ',d', 'Distinct session ids; HLL sketch.'],
  [
    'entries',
    'Entrances',
    countIf(`"eventType" = 'pageView' AND "firstInSession" = 'true'`),
    ',d',
    'Page views that opened a session: visits counted where they start.',
  ],
  [
    'views_per_visit',
    'Views per visit',
    `CASE WHEN ${visits} = 0 THEN 0 ELSE ${countIf(`"eventType" = 'pageView'`)} * 1.0 / ${visits} END`,
    ',.2f',
    'Page views divided by visits.',
  ],
  [
    'bot_share',
    'Bot share',
    `COALESCE(${countIf(`"isBot" = 'true'`)} * 1.0 / NULLIF(SUM("count"), 0), 0)`,
    '.1%',
    'Share of events whose user agent is a known bot; 0 when there are none.',
  ],
];

/**
 * The virtual dataset over footfall_sessions (the session supervisor's datasource): one row per
 * session, from the GROUP BY "sessionId" that merges a visit's hourly rows. Its columns carry the same
 * names as the event dataset's, so the Traffic, Country, Device and Browser filters apply to both.
 */
export const SESSIONS_SQL = `SELECT
  MILLIS_TO_TIMESTAMP(MIN("firstSeen")) AS "__time",
  "sessionId",
  CASE WHEN "isBot" = 'true' THEN 'bot' ELSE 'human' END AS "traffic",
  COALESCE("countryName", 'unknown') AS "country",
  CASE WHEN "isBot" = 'true' THEN 'bot' ELSE COALESCE("deviceType", 'unknown') END AS "device",
  CASE WHEN "isBot" = 'true' THEN 'bot' ELSE COALESCE("browserName", 'unknown') END AS "browser",
  SUM("pageViews") AS "page_views",
  (MAX("lastSeen") - MIN("firstSeen")) / 1000.0 AS "duration_s",
  COALESCE(EARLIEST("entryPage", 512), '(none)') AS "entry_page",
  COALESCE(LATEST("exitPage", 512), '(none)') AS "exit_page"
FROM "footfall_sessions"
GROUP BY "sessionId", "isBot", "countryName", "deviceType", "browserName"`;

/** Columns of the sessions dataset: [name, label, type]. */
export const SESSION_COLUMNS = [
  ['__time', 'Session start', 'TIMESTAMP'],
  ['sessionId', 'Session id', 'STRING'],
  ['traffic', 'Traffic', 'STRING'],
  ['country', 'Country', 'STRING'],
  ['device', 'Device', 'STRING'],
  ['browser', 'Browser', 'STRING'],
  ['page_views', 'Page views', 'LONG'],
  ['duration_s', 'Duration (s)', 'DOUBLE'],
  ['entry_page', 'Entry page', 'STRING'],
  ['exit_page', 'Exit page', 'STRING'],
];

const withPages = `SUM(CASE WHEN "page_views" > 0 THEN 1 ELSE 0 END)`;

/** Session metrics over visits with at least one page view (server-side-only sessions left out). */
export const SESSION_METRICS = [
  ['sessions', 'Visits', withPages, ',d', 'Sessions with at least one page view.'],
  [
    'bounce_rate',
    'Bounce rate',
    `COALESCE(SUM(CASE WHEN "page_views" = 1 THEN 1 ELSE 0 END) * 1.0 / NULLIF(${withPages}, 0), 0)`,
    '.1%',
    'Share of visits that saw one page only.',
  ],
  [
    'mean_duration',
    'Visit duration',
    `COALESCE(SUM(CASE WHEN "page_views" > 0 THEN "duration_s" ELSE 0 END) / NULLIF(${withPages}, 0), 0)`,
    ',.1f',
    'Mean time from the first to the last event of a visit, in seconds (a one-page visit counts 0).',
  ],
];
