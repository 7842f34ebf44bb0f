// What every chart of the Footfall dashboard must show for the events the run sent, computed from the
// plan (events.mjs), not from Footfall's or Superset's code. Each chart's saved query runs through
// the chart data API with the dashboard's default "Traffic: human" filter added, as an analyst who
// opens the dashboard sees it (Bot share is outside that filter's scope, as on the dashboard).

import { expectedSessions } from './sessions.mjs';

const pageView = (r) => r.expect.eventType === 'pageView';
const sessionStart = (r) => pageView(r) && r.expect.firstInSession === 'true';
const human = (r) => r.expect.isBot === 'false';

/** Aggregates over records: how each metric of the dataset counts. */
const METRICS = {
  events: (records) => records.length,
  pageviews: (records) => records.filter(pageView).length,
  entries: (records) => records.filter(sessionStart).length,
  unique_visitors: (records) => new Set(records.map((r) => r.party)).size,
  unique_sessions: (records) => new Set(records.map((r) => r.session)).size,
};
/** HLL sketches are estimates: within 2 % (and 1) of the exact count. */
const APPROXIMATE = new Set(['unique_visitors', 'unique_sessions', 'views_per_visit']);

function near(metric, shown, expected) {
  if (typeof shown !== 'number') return false;
  if (metric === 'bounce_rate') return Math.abs(shown - expected) < 1e-9;
  if (!APPROXIMATE.has(metric)) return shown === expected;
  return Math.abs(shown - expected) <= Math.max(metric === 'views_per_visit' ? 0.05 : 1, 0.02 * expected);
}

/** A grouped chart: `key` names a record by the chart's columns, `metrics` are compared per group. */
function grouped({ filter = () => true, key, metrics }) {
  return (plan) => {
    const groups = new Map();
    for (const record of plan.filter(human).filter(filter)) {
      const k = key(record);
      groups.set(k, [...(groups.get(k) ?? []), record]);
    }
    const expected = Object.fromEntries(
      [...groups].map(([k, records]) => [
        k,
        Object.fromEntries(metrics.map((m) => [m, METRICS[m](records)])),
      ]),
    );
    return { expected, metrics };
  };
}

/** A one-number chart. */
function single(metric, value) {
  return (plan) => ({ expected: { '': { [metric]: value(plan) } }, metrics: [metric] });
}

const shown = (field) => (r) => r.shown[field];

/**
 * Per chart: the columns its rows are keyed by, and the expectation. Keys join column values with
 * " / ", as the tables show them side by side.
 */
export const CHART_CHECKS = {
  Visitors: {
    columns: [],
    expect: single('unique_visitors', (p) => METRICS.unique_visitors(p.filter(human))),
  },
  Visits: { columns: [], expect: single('unique_sessions', (p) => METRICS.unique_sessions(p.filter(human))) },
  'Page views': { columns: [], expect: single('pageviews', (p) => METRICS.pageviews(p.filter(human))) },
  'Views per visit': {
    columns: [],
    expect: single(
      'views_per_visit',
      (p) => METRICS.pageviews(p.filter(human)) / METRICS.unique_sessions(p.filter(human)),
    ),
  },
  'Visitors, last 30 minutes': {
    columns: [],
    expect: single('unique_visitors', (p) => METRICS.unique_visitors(p.filter(human))),
  },
  'Bot share': {
    columns: [],
    allTraffic: true,
    expect: single('bot_share', (p) => p.filter((r) => !human(r)).length / p.length),
  },
  'Visitors and page views over time': {
    // Hourly rows: their page views add up to the total (visitors would count twice across hours).
    columns: [],
    sum: true,
    expect: single('pageviews', (p) => METRICS.pageviews(p.filter(human))),
  },
  Channels: {
    columns: ['channel'],
    expect: grouped({ filter: sessionStart, key: shown('channel'), metrics: ['entries'] }),
  },
  'Top pages': {
    columns: ['page'],
    expect: grouped({ filter: pageView, key: shown('page'), metrics: ['pageviews', 'unique_visitors'] }),
  },
  'Entry pages': {
    columns: ['page'],
    expect: grouped({ filter: sessionStart, key: shown('page'), metrics: ['entries'] }),
  },
  Sources: {
    columns: ['source'],
    expect: grouped({ filter: sessionStart, key: shown('source'), metrics: ['entries', 'unique_visitors'] }),
  },
  Campaigns: {
    columns: ['source', 'medium', 'campaign'],
    expect: grouped({
      filter: (r) => sessionStart(r) && r.expect.utmCampaign,
      key: (r) => `${r.shown.source} / ${r.shown.medium} / ${r.shown.campaign}`,
      metrics: ['entries', 'unique_visitors'],
    }),
  },
  'Custom events': {
    columns: ['eventType'],
    expect: grouped({ filter: (r) => !pageView(r), key: (r) => r.expect.eventType, metrics: ['events'] }),
  },
  'Conversion funnel': {
    columns: ['eventType'],
    expect: grouped({
      filter: (r) => ['pageView', 'addToCart', 'purchase'].includes(r.expect.eventType),
      key: (r) => r.expect.eventType,
      metrics: ['unique_visitors'],
    }),
  },
  Countries: {
    columns: ['country'],
    expect: grouped({ key: shown('country'), metrics: ['unique_visitors'] }),
  },
  Cities: {
    columns: ['country', 'city'],
    expect: grouped({
      key: (r) => `${r.shown.country} / ${r.shown.city}`,
      metrics: ['unique_visitors', 'pageviews'],
    }),
  },
  'New and returning visitors': {
    columns: ['visitor_type'],
    expect: grouped({ filter: sessionStart, key: shown('visitorType'), metrics: ['entries'] }),
  },
  Devices: { columns: ['device'], expect: grouped({ key: shown('device'), metrics: ['unique_visitors'] }) },
  Browsers: {
    columns: ['browser'],
    expect: grouped({ key: shown('browser'), metrics: ['unique_visitors'] }),
  },
  'Browser versions': {
    columns: ['browser_version'],
    expect: grouped({ key: shown('browserVersion'), metrics: ['unique_visitors'] }),
  },
  'Operating systems': {
    columns: ['os'],
    expect: grouped({ key: shown('os'), metrics: ['unique_visitors'] }),
  },
  'Bounce rate': {
    columns: [],
    expect: single('bounce_rate', (p) => {
      const visits = withPages(p);
      return visits.filter((s) => s.pageViews === 1).length / visits.length;
    }),
  },
  'Visit duration': {
    // Receive times lie between send and answer: the mean must fall in the range that allows.
    columns: [],
    between: (p) => {
      const visits = withPages(p);
      const low = visits.reduce((sum, s) => sum + Math.max(0, s.lastSeen[0] - s.firstSeen[1]), 0);
      const high = visits.reduce((sum, s) => sum + (s.lastSeen[1] - s.firstSeen[0]), 0);
      return [low / visits.length / 1000 - 0.001, high / visits.length / 1000 + 0.001];
    },
    expect: single('mean_duration', () => null),
  },
  'Exit pages': {
    columns: ['exit_page'],
    expect: (p) => {
      const expected = {};
      for (const visit of withPages(p)) {
        const row = (expected[visit.exitPage] ??= { sessions: 0, singles: 0 });
        row.sessions += 1;
        if (visit.pageViews === 1) row.singles += 1;
      }
      for (const row of Object.values(expected)) {
        row.bounce_rate = row.singles / row.sessions;
        delete row.singles;
      }
      return { expected, metrics: ['sessions', 'bounce_rate'] };
    },
  },
};

/** The plan's human visits with a page view, as the session datasource must hold them. */
function withPages(plan) {
  return [...expectedSessions(plan).values()].filter((s) => s.pageViews > 0);
}

/**
 * Compares a chart's rows with the plan. Returns { ok, shown, expected, problems }; `shown` is what
 * the chart returned, keyed like the expectation.
 */
export function checkChart(name, rows, plan) {
  const check = CHART_CHECKS[name];
  const { expected, metrics } = check.expect(plan);
  const shownRows = {};
  for (const row of rows) {
    const key = check.columns.map((c) => String(row[c])).join(' / ');
    const values = Object.fromEntries(metrics.map((m) => [m, row[m]]));
    if (check.sum && shownRows[key]) for (const m of metrics) shownRows[key][m] += values[m] ?? 0;
    else shownRows[key] = values;
  }
  const problems = [];
  if (check.between) {
    const [low, high] = check.between(plan);
    const value = rows[0]?.[metrics[0]];
    const ok = typeof value === 'number' && value >= low && value <= high;
    return {
      ok,
      shown: shownRows,
      expected: [low, high],
      problems: ok ? [] : [`${value} not in [${low}, ${high}]`],
    };
  }
  for (const key of new Set([...Object.keys(expected), ...Object.keys(shownRows)])) {
    for (const metric of metrics) {
      const want = expected[key]?.[metric];
      const got = shownRows[key]?.[metric];
      if (want === undefined || got === undefined || !near(metric, got, want))
        problems.push(`${key || '(total)'} ${metric}: shown ${got}, expected ${want}`);
    }
  }
  return { ok: problems.length === 0, shown: shownRows, expected, problems };
}
