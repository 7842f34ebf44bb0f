// Session-level data in `npm run e2e:pipeline`: the datasource footfall_sessions that the second
// supervisor (docker/druid/sessions-supervisor-spec.json) fills must give every session of the plan
// its page views, entry and exit page and duration, and the run measures what that costs next to the
// event datasource (rows, and the time of the dashboard's kind of query on each).

/** One row per session: the GROUP BY every session query starts from. */
export const SESSIONS_SQL = `SELECT "sessionId",
  SUM("pageViews") AS page_views,
  MIN("firstSeen") AS first_seen,
  MAX("lastSeen") AS last_seen,
  EARLIEST("entryPage", 512) AS entry_page,
  LATEST("exitPage", 512) AS exit_page
FROM footfall_sessions
WHERE "isBot" = 'false'
GROUP BY 1`;

/** Sessions, bounce rate (one page view) and mean visit duration over the human sessions with a page view. */
export const SESSION_SUMMARY_SQL = `SELECT COUNT(*) AS sessions,
  SUM(CASE WHEN page_views = 1 THEN 1 ELSE 0 END) * 1.0 / COUNT(*) AS bounce_rate,
  AVG((last_seen - first_seen) / 1000.0) AS mean_duration_s
FROM (${SESSIONS_SQL})
WHERE page_views > 0`;

/** What the plan says each human session must look like; receive times lie between send and answer. */
export function expectedSessions(plan) {
  const sessions = new Map();
  for (const record of plan) {
    if (record.expect.isBot !== 'false') continue;
    const list = sessions.get(record.session) ?? [];
    list.push(record);
    sessions.set(record.session, list);
  }
  const expected = new Map();
  for (const [id, records] of sessions) {
    // In the order sent (the plan is sorted; Chromium's events follow each other). Chromium's events
    // carry the browsing step's start and end as their send and answer times.
    const first = records[0];
    const last = records[records.length - 1];
    // Druid's first and last aggregators pass over nulls: entry and exit are the first and last
    // events with a page (server-side events from the JSON source have none).
    const paged = records.filter((r) => r.expect.locationPath);
    expected.set(id, {
      pageViews: records.filter((r) => r.expect.eventType === 'pageView').length,
      entryPage: paged[0]?.expect.locationPath ?? null,
      exitPage: paged[paged.length - 1]?.expect.locationPath ?? null,
      firstSeen: [first.sentAt, first.answeredAt],
      lastSeen: [last.sentAt, last.answeredAt],
    });
  }
  return expected;
}

const within = (value, range) => value >= range[0] - 2 && value <= range[1] + 2;

/** Compares Druid's session rows with the plan; returns the mismatches (empty when all match). */
export function compareSessions(rows, plan) {
  const expected = expectedSessions(plan);
  const problems = [];
  if (rows.length !== expected.size)
    problems.push(`${rows.length} sessions in Druid, expected ${expected.size}`);
  for (const row of rows) {
    const want = expected.get(row.sessionId);
    if (want === undefined) {
      problems.push(`unexpected session ${row.sessionId}`);
      continue;
    }
    const wrong = [];
    if (row.page_views !== want.pageViews) wrong.push(`page views ${row.page_views} ≠ ${want.pageViews}`);
    if (row.entry_page !== want.entryPage) wrong.push(`entry ${row.entry_page} ≠ ${want.entryPage}`);
    if (row.exit_page !== want.exitPage) wrong.push(`exit ${row.exit_page} ≠ ${want.exitPage}`);
    if (!within(row.first_seen, want.firstSeen))
      wrong.push(`first seen ${row.first_seen} ∉ ${want.firstSeen}`);
    if (!within(row.last_seen, want.lastSeen)) wrong.push(`last seen ${row.last_seen} ∉ ${want.lastSeen}`);
    if (wrong.length > 0) problems.push(`session ${row.sessionId}: ${wrong.join(', ')}`);
  }
  return problems;
}

/** The summary the plan implies, with durations from the middle of each send-answer window. */
export function expectedSummary(plan) {
  const sessions = [...expectedSessions(plan).values()].filter((s) => s.pageViews > 0);
  const mid = (range) => (range[0] + range[1]) / 2;
  const timed = sessions;
  return {
    sessions: sessions.length,
    bounceRate: sessions.filter((s) => s.pageViews === 1).length / sessions.length,
    meanDurationS:
      timed.reduce((sum, s) => sum + (mid(s.lastSeen) - mid(s.firstSeen)) / 1000, 0) / timed.length,
  };
}
