// What the e2e asks of Druid: SQL over HTTP, submitting a committed supervisor spec with the local
// Kafka address, comparing the events datasource with the plan, and measuring what each datasource
// costs. Separate from pipeline.mjs, which only orders the steps and reports.
import { readFileSync } from 'node:fs';
import { CHECKED_DIMENSIONS, expectedCounts, expectedTotals } from './events.mjs';
import { SESSION_SUMMARY_SQL } from './sessions.mjs';
import { log, until } from './steps.mjs';

export async function sql(brokerUrl, query, context = {}) {
  const response = await fetch(`${brokerUrl}/druid/v2/sql/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, context }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Druid SQL answered ${response.status}: ${text.slice(0, 400)}`);
  return JSON.parse(text);
}

function sameCounts(actual, expected) {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  return [...keys].every((key) => actual[key] === expected[key]);
}

/**
 * What each datasource costs: rows and bytes of its segments once handed off (the run asks the
 * supervisors to publish early, while Superset is still setting up), and the median time of five runs
 * of a typical query each, caches off: visits by medium on the events, the session summary on the
 * sessions.
 */
export async function measureCost(druid) {
  for (const id of ['footfall', 'footfall_sessions']) {
    await fetch(`${druid.overlordUrl}/druid/indexer/v1/supervisor/${id}/taskGroups/handoff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ taskGroupIds: [0] }),
    });
  }
  const segmentsSql =
    'SELECT "datasource", SUM("num_rows") AS n, SUM("size") AS bytes, MIN("is_published") AS published ' +
    `FROM sys.segments WHERE "datasource" IN ('footfall', 'footfall_sessions') GROUP BY 1`;
  let segments = [];
  await until(
    'both datasources handed off',
    async () => {
      segments = await sql(druid.brokerUrl, segmentsSql);
      return segments.length === 2 && segments.every((r) => r.published === 1 && r.bytes > 0)
        ? true
        : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 2000 },
  ).catch(() => log('segments not handed off in 2 minutes: sizes are those of realtime segments (0)'));
  const timed = async (query) => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await sql(druid.brokerUrl, query, {
        useCache: false,
        populateCache: false,
        useResultLevelCache: false,
      });
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[2].toFixed(0);
  };
  const events = await timed(
    `SELECT "utmMedium", APPROX_COUNT_DISTINCT_DS_HLL("uniqueSessions") FROM footfall WHERE "isBot" = 'false' GROUP BY 1`,
  );
  const sessions = await timed(SESSION_SUMMARY_SQL);
  return segments
    .map((r) => `${r.datasource}: ${r.n} rows, ${r.bytes} bytes`)
    .concat(`median query ms: events ${events}, sessions ${sessions}`)
    .join('; ');
}

/** One comparison of Druid's rows with the plan; returns the mismatches (empty when all match). */
export async function compareDruid(brokerUrl, plan) {
  const totals = expectedTotals(plan);
  const [row] = await sql(
    brokerUrl,
    'SELECT SUM("count") AS events, APPROX_COUNT_DISTINCT_DS_HLL("uniqueParties") AS parties, ' +
      'APPROX_COUNT_DISTINCT_DS_HLL("uniqueSessions") AS sessions FROM footfall',
  );
  const problems = [];
  // Events are counted exactly; parties and sessions are HLL estimates, within 2 % of the truth.
  for (const key of ['events', 'parties', 'sessions']) {
    const exact = key === 'events' ? 0 : Math.max(1, totals[key] * 0.02);
    if (typeof row?.[key] !== 'number' || Math.abs(row[key] - totals[key]) > exact)
      problems.push(`${key}: Druid has ${row?.[key]}, expected ${totals[key]}`);
  }
  if (problems.length > 0) return problems;
  for (const dimension of CHECKED_DIMENSIONS) {
    const rows = await sql(
      brokerUrl,
      `SELECT "${dimension}" AS v, SUM("count") AS n FROM footfall GROUP BY 1`,
    );
    const actual = Object.fromEntries(
      rows.map((r) => [r.v === null || r.v === '' ? 'null' : String(r.v), r.n]),
    );
    const expected = expectedCounts(plan, dimension);
    if (!sameCounts(actual, expected)) {
      problems.push(
        `${dimension}: Druid has ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
      );
    }
  }
  return problems;
}

/** Submits a committed supervisor spec with the local Kafka address and waits for it to run. */
export async function submitSpec(specFile, { overlordUrl, brokers }) {
  const spec = JSON.parse(readFileSync(specFile, 'utf8'));
  // The committed spec names the compose broker; only the address changes here.
  spec.spec.ioConfig.consumerProperties['bootstrap.servers'] = brokers;
  const response = await fetch(`${overlordUrl}/druid/indexer/v1/supervisor`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`the Overlord refused ${specFile} (${response.status}): ${body}`);
  const { id } = JSON.parse(body);
  await until(
    `the supervisor ${id} running`,
    async () => {
      const status = await (await fetch(`${overlordUrl}/druid/indexer/v1/supervisor/${id}/status`)).json();
      if (status.payload?.recentErrors?.length)
        log(`supervisor errors: ${JSON.stringify(status.payload.recentErrors)}`);
      return status.payload?.state === 'RUNNING' ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );
}
