// The charts of the Footfall dashboard, the question each answers, and where each sits. The export
// builder (export.mjs) turns every entry into Superset's chart params and the saved query that the
// chart data API runs; docs/pipeline.md lists the same questions.
//
// Every chart is an ECharts type, a Big Number (also ECharts) or a table. Chart-level filters are
// fixed parts of a question (page views only, first page view of a visit); the time range, bots and
// breakdowns come from the dashboard's native filters and cross-filters.

const pageViews = { col: 'eventType', op: '==', val: 'pageView' };
const sessionStarts = { col: 'firstInSession', op: '==', val: 'true' };
const customEvents = { col: 'eventType', op: '!=', val: 'pageView' };

/** Rows of the 12-column grid, top to bottom; each chart names its width, and its height in grid units. */
export const CHARTS = [
  // The headline numbers.
  {
    row: 'kpis',
    name: 'Visitors',
    question: 'How many people came?',
    viz: 'big_number_total',
    metric: 'unique_visitors',
    width: 2,
    height: 22,
  },
  {
    row: 'kpis',
    name: 'Visits',
    question: 'How many visits (sessions) did they make?',
    viz: 'big_number_total',
    metric: 'unique_sessions',
    width: 2,
    height: 22,
  },
  {
    row: 'kpis',
    name: 'Page views',
    question: 'How many pages did they look at?',
    viz: 'big_number_total',
    metric: 'pageviews',
    width: 2,
    height: 22,
  },
  {
    row: 'kpis',
    name: 'Views per visit',
    question: 'How deep does a visit go?',
    viz: 'big_number_total',
    metric: 'views_per_visit',
    width: 2,
    height: 22,
  },
  {
    row: 'kpis',
    name: 'Visitors, last 30 minutes',
    question: 'Who is on the site right now?',
    viz: 'big_number_total',
    metric: 'unique_visitors',
    timeRange: 'Last 30 minutes : now',
    // Its own window, whatever the dashboard's time range.
    ignoresTimeFilter: true,
    width: 2,
    height: 22,
  },
  {
    row: 'kpis',
    name: 'Bot share',
    question: 'How much of the traffic is bots?',
    viz: 'big_number_total',
    metric: 'bot_share',
    // Measures bots, so the "exclude bots" filter must not apply to it.
    ignoresTrafficFilter: true,
    width: 2,
    height: 22,
  },

  // Over time.
  {
    row: 'trend',
    name: 'Visitors and page views over time',
    question: 'Is traffic growing, and how does it compare with the day before?',
    viz: 'echarts_timeseries_line',
    metrics: ['unique_visitors', 'pageviews'],
    timeGrain: 'PT1H',
    timeCompare: '1 day ago',
    width: 8,
    height: 50,
  },
  {
    row: 'trend',
    name: 'Channels',
    question: 'Which kinds of traffic bring visits (direct, search, social, e-mail, paid, referral)?',
    viz: 'pie',
    groupby: 'channel',
    metric: 'entries',
    filters: [pageViews, sessionStarts],
    width: 4,
    height: 50,
  },

  // Content and acquisition.
  {
    row: 'content',
    name: 'Top pages',
    question: 'Which pages are read most, and by how many people?',
    viz: 'table',
    groupby: ['page'],
    metrics: ['pageviews', 'unique_visitors'],
    filters: [pageViews],
    width: 4,
    height: 50,
  },
  {
    row: 'content',
    name: 'Entry pages',
    question: 'Where do visits start?',
    viz: 'table',
    groupby: ['page'],
    metrics: ['entries'],
    filters: [pageViews, sessionStarts],
    width: 4,
    height: 50,
  },
  {
    row: 'content',
    name: 'Sources',
    question: 'Which sites, search engines and campaigns send visits?',
    viz: 'table',
    groupby: ['source'],
    metrics: ['entries', 'unique_visitors'],
    filters: [pageViews, sessionStarts],
    width: 4,
    height: 50,
  },
  {
    row: 'campaigns',
    name: 'Campaigns',
    question: 'Which UTM source, medium and campaign combinations bring visits?',
    viz: 'table',
    groupby: ['source', 'medium', 'campaign'],
    metrics: ['entries', 'unique_visitors'],
    filters: [pageViews, sessionStarts, { col: 'utmCampaign', op: 'IS NOT NULL' }],
    width: 6,
    height: 50,
  },
  {
    row: 'campaigns',
    name: 'Custom events',
    question: 'Which actions do visitors take (add to cart, purchase, ...)?',
    viz: 'bar',
    groupby: 'eventType',
    metric: 'events',
    filters: [customEvents],
    width: 3,
    height: 50,
  },
  {
    row: 'campaigns',
    name: 'Conversion funnel',
    question: 'How many visitors get from a page view to the cart and to a purchase?',
    viz: 'funnel',
    groupby: 'eventType',
    metric: 'unique_visitors',
    filters: [{ col: 'eventType', op: 'IN', val: ['pageView', 'addToCart', 'purchase'] }],
    width: 3,
    height: 50,
  },

  // Audience.
  {
    row: 'audience',
    name: 'Countries',
    question: 'Where do visitors come from?',
    viz: 'bar',
    groupby: 'country',
    metric: 'unique_visitors',
    width: 4,
    height: 50,
  },
  {
    row: 'audience',
    name: 'Cities',
    question: 'Which cities do visitors come from?',
    viz: 'table',
    groupby: ['country', 'city'],
    metrics: ['unique_visitors', 'pageviews'],
    width: 4,
    height: 50,
  },
  {
    row: 'audience',
    name: 'New and returning visitors',
    question: 'Are visits from new or returning visitors?',
    viz: 'pie',
    groupby: 'visitor_type',
    metric: 'entries',
    filters: [pageViews, sessionStarts],
    width: 4,
    height: 50,
  },

  // Technology.
  {
    row: 'technology',
    name: 'Devices',
    question: 'Do visitors use desktops, phones or tablets?',
    viz: 'pie',
    groupby: 'device',
    metric: 'unique_visitors',
    width: 3,
    height: 50,
  },
  {
    row: 'technology',
    name: 'Browsers',
    question: 'Which browsers must the site work in?',
    viz: 'bar',
    groupby: 'browser',
    metric: 'unique_visitors',
    width: 3,
    height: 50,
  },
  {
    row: 'technology',
    name: 'Browser versions',
    question: 'Which browser versions are still in use?',
    viz: 'table',
    groupby: ['browser_version'],
    metrics: ['unique_visitors'],
    width: 3,
    height: 50,
  },
  {
    row: 'technology',
    name: 'Operating systems',
    question: 'Which operating systems do visitors run?',
    viz: 'bar',
    groupby: 'os',
    metric: 'unique_visitors',
    width: 3,
    height: 50,
  },
];

/**
 * Native filters, left to right. `column` is a dataset column; `default` a preselected value. The time
 * range ends at "now", unlike Superset's "Last week" preset, which ends at today's midnight.
 */
export const FILTERS = [
  { id: 'time', name: 'Time range', type: 'filter_time', default: 'Last 7 days : now' },
  { id: 'grain', name: 'Time grain', type: 'filter_timegrain', default: 'PT1H' },
  {
    id: 'traffic',
    name: 'Traffic',
    type: 'filter_select',
    column: 'traffic',
    default: ['human'],
    multi: false,
  },
  { id: 'country', name: 'Country', type: 'filter_select', column: 'country' },
  { id: 'device', name: 'Device', type: 'filter_select', column: 'device' },
  { id: 'browser', name: 'Browser', type: 'filter_select', column: 'browser' },
  { id: 'channel', name: 'Channel', type: 'filter_select', column: 'channel' },
  { id: 'source', name: 'Source', type: 'filter_select', column: 'source' },
  { id: 'medium', name: 'Medium', type: 'filter_select', column: 'medium' },
  { id: 'campaign', name: 'Campaign', type: 'filter_select', column: 'campaign' },
  { id: 'event', name: 'Event type', type: 'filter_select', column: 'eventType' },
  { id: 'page', name: 'Page', type: 'filter_select', column: 'page' },
];
