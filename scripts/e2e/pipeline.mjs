// `npm run e2e:pipeline`: the whole pipeline, Browser → Footfall → Kafka → Druid → Superset, on one
// machine without Docker. Every component comes from a package registry and uses the files that
// docker/compose.yaml ships: docker/config/pipeline.yaml (collector), docker/druid/environment (Druid
// settings), docker/druid/supervisor-spec.json (ingestion) and docker/superset/ (dashboard).
//
// It sends a known set of events, polls Druid SQL until every checked dimension matches exactly, then
// asks Superset's chart data API for each chart of the imported dashboard. Exit code 0 only if all of
// that holds; everything it started is stopped either way.
//
// Work folders live under .cache/e2e (logs stay there after the run); downloads are cached in
// .cache/kafka, .cache/druid and .cache/superset-venv.//
// The collector's and Druid's parts live in lib/collector.mjs and lib/druid.mjs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBroker, stopBroker } from '../kafka/broker.mjs';
import { ensureDruid, repoRoot, startDruid, stopDruid } from '../druid/cluster.mjs';
import { CHECKED_DIMENSIONS, eventPlan, sendPlan } from './lib/events.mjs';
import { CHART_CHECKS, checkChart } from './lib/charts.mjs';
import { runQuiet, startCollector } from './lib/collector.mjs';
import { renderDashboard } from './lib/dashboard.mjs';
import { compareDruid, measureCost, sql, submitSpec } from './lib/druid.mjs';
import { SESSIONS_SQL, SESSION_SUMMARY_SQL, compareSessions, expectedSummary } from './lib/sessions.mjs';
import { CHROMIUM_PATH } from '../lib/chromium.mjs';
import { browseDemoSite, chromiumAvailable } from './lib/browser.mjs';
import { writeGeoDatabase } from './lib/geo.mjs';
import { chartRows, dashboardCharts, ensureVenv, prepareSuperset, startSuperset } from './lib/superset.mjs';
import { cleanup, log, onCleanup, step, summary } from './lib/steps.mjs';

const workDir = join(repoRoot, '.cache', 'e2e');
const specFiles = ['supervisor-spec.json', 'sessions-supervisor-spec.json'].map((name) =>
  join(repoRoot, 'docker', 'druid', name),
);
const SQL_TIMEOUT_MS = Number(process.env.E2E_DRUID_TIMEOUT_MS ?? 240_000);
// Screenshots of the dashboard always land in .cache/e2e; E2E_SCREENSHOTS=docs/images also writes the
// ones the docs show.
const screenshotDirs = [
  workDir,
  ...(process.env.E2E_SCREENSHOTS ? [join(repoRoot, process.env.E2E_SCREENSHOTS)] : []),
];
// Sending is spread over this long, while Druid starts anyway, so the minute view has several points.
const SEND_SPREAD_MS = Number(process.env.E2E_SEND_SPREAD_MS ?? 40_000);

const extra = [];

/** Stops what a previous run left behind (killed before its cleanup), before its folders are wiped. */
async function reapPreviousRun() {
  await stopDruid({ dir: join(workDir, 'druid'), log });
  await stopBroker({ dir: join(workDir, 'kafka'), log });
  try {
    const pid = Number(readFileSync(join(workDir, 'superset.pid'), 'utf8'));
    // Only if that pid is still our Superset: a recycled pid belongs to someone else.
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (pid > 0 && command.includes('superset-venv')) process.kill(-pid, 'SIGKILL');
  } catch {
    // No file, or the process is gone.
  }
}

async function main() {
  await reapPreviousRun();
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });

  await step('build the collector', () => runQuiet('npm', ['run', 'build', '--silent'], 'npm run build'));

  // Downloads first and side by side: Maven and pip are the slow part of a first run.
  const [druidLibs, venv] = await Promise.all([
    step('resolve Druid (Maven Central, cached)', () => ensureDruid({ log })),
    step('install Superset (PyPI, cached)', () => ensureVenv(log)),
  ]);
  extra.push(
    `downloads: Druid ${druidLibs.resolved ? 'resolved' : 'cached'}, Superset ${venv.installed ? 'installed' : 'cached'}`,
  );

  const kafka = await step('start Kafka', () =>
    startBroker({ dir: join(workDir, 'kafka'), fresh: true, log }),
  );
  onCleanup('Kafka', () => kafka.stop());

  const druidPromise = startDruid({ dir: join(workDir, 'druid'), log });
  // Registered at once so a failure elsewhere still stops a Druid that is half-way up.
  onCleanup('Druid', async () => {
    const druid = await druidPromise.catch(() => undefined);
    await druid?.stop();
  });

  const geoDatabase = await step('write the geo database', () => writeGeoDatabase(workDir));
  const collector = await step('start the collector (Kafka sink)', () =>
    startCollector({ brokers: kafka.brokers, geoDatabase, dir: workDir }),
  );
  onCleanup('collector', () => collector.stop());

  const plan = await eventPlan();
  // Kept for a look after the run: what each event must have become.
  const planFile = join(workDir, 'plan.json');
  await step(`send ${plan.length} events (pixel and JSON) over ${SEND_SPREAD_MS / 1000}s`, () =>
    sendPlan(collector.url, plan, { spreadMs: SEND_SPREAD_MS }),
  );
  if (chromiumAvailable()) {
    const browseStart = Date.now();
    const browsed = await step('browse the demo site in Chromium (tracker)', () =>
      browseDemoSite(collector.url),
    );
    // Their receive times lie within the browsing step.
    for (const record of browsed) Object.assign(record, { sentAt: browseStart, answeredAt: Date.now() });
    plan.push(...browsed);
    extra.push(`chromium: ${browsed.length} events through divolte.js`);
  } else if (process.env.CI) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: the tracker part of the pipeline cannot run`);
  } else {
    log(`no Chromium at ${CHROMIUM_PATH} (apt-get install chromium): tracker events skipped`);
    extra.push('chromium: SKIPPED (not installed)');
  }

  writeFileSync(planFile, JSON.stringify(plan));
  const druid = await step('start ZooKeeper and Druid', () => druidPromise);
  extra.push(`druid: ${JSON.stringify(druid.urls)}`);

  // Superset's set-up needs only the broker's address, and takes a minute or two: overlap it with
  // ingestion. Its failure is reported by its own step below.
  const druidUri = `druid://127.0.0.1:${new URL(druid.brokerUrl).port}/druid/v2/sql/`;
  const supersetReady = prepareSuperset({ dir: join(workDir, 'superset'), druidUri, log }).then(
    (prepared) => ({ prepared, at: Date.now() }),
    (error) => ({ error, at: Date.now() }),
  );
  const supersetStarted = Date.now();

  // One after the other: two indexing tasks starting at once on a busy two-core machine can both miss
  // the supervisor's start-up deadline (seen at a load average of 30).
  const target = { overlordUrl: druid.overlordUrl, brokers: kafka.brokers };
  await step('submit the event supervisor spec', () => submitSpec(specFiles[0], target));

  let druidProblems = ['not compared yet'];
  await step('poll Druid SQL until counts and dimensions match', async () => {
    const deadline = Date.now() + SQL_TIMEOUT_MS;
    let lastReport = 0;
    while (Date.now() < deadline) {
      druidProblems = await compareDruid(druid.brokerUrl, plan).catch((error) => [error.message]);
      if (druidProblems.length === 0) return;
      if (Date.now() - lastReport > 15_000) {
        log(`waiting for Druid: ${druidProblems[0]}`);
        lastReport = Date.now();
      }
      await sleep(2000);
    }
    throw new Error(`Druid rows do not match the events sent:\n  ${druidProblems.join('\n  ')}`);
  });
  extra.push(`druid: ${plan.length} events, ${CHECKED_DIMENSIONS.length} dimensions matched exactly`);

  await step('submit the session supervisor spec', () => submitSpec(specFiles[1], target));
  await step('check sessions in Druid (footfall_sessions) and measure their cost', async () => {
    let problems = ['not compared yet'];
    let rows = [];
    const deadline = Date.now() + SQL_TIMEOUT_MS;
    while (Date.now() < deadline) {
      rows = await sql(druid.brokerUrl, SESSIONS_SQL).catch((error) => [{ error: error.message }]);
      problems = rows[0]?.error ? [rows[0].error] : compareSessions(rows, plan);
      if (problems.length === 0) break;
      await sleep(2000);
    }
    if (problems.length > 0)
      throw new Error(
        `Druid sessions do not match the visits sent:\n  ${problems.slice(0, 20).join('\n  ')}`,
      );
    const [summary] = await sql(druid.brokerUrl, SESSION_SUMMARY_SQL);
    const want = expectedSummary(plan);
    if (summary.sessions !== want.sessions || Math.abs(summary.bounce_rate - want.bounceRate) > 1e-9)
      throw new Error(`session summary ${JSON.stringify(summary)}, expected ${JSON.stringify(want)}`);
    extra.push(
      `sessions: ${summary.sessions} human visits, bounce rate ${(summary.bounce_rate * 100).toFixed(1)} %, ` +
        `mean duration ${summary.mean_duration_s.toFixed(1)} s (sent: ${want.meanDurationS.toFixed(1)} s)`,
    );
    extra.push(`cost: ${await measureCost(druid)}`);
  });

  const prepared = await step('set up Superset and import the dashboard (alongside ingestion)', async () => {
    const outcome = await supersetReady;
    log(`Superset set-up took ${((outcome.at - supersetStarted) / 1000).toFixed(1)}s in all`);
    if (outcome.error) throw outcome.error;
    return outcome.prepared;
  });
  const superset = await step('start Superset', () => startSuperset(prepared));
  writeFileSync(join(workDir, 'superset.pid'), String(superset.pid));
  onCleanup('Superset', () => superset.stop());

  const charts = await dashboardCharts(superset, 'footfall');
  await step(`check the ${charts.size} dashboard charts through the chart data API`, async () => {
    const failures = [];
    const human = { col: 'traffic', op: 'IN', val: ['human'] };
    for (const [name, check] of Object.entries(CHART_CHECKS)) {
      const id = charts.get(name);
      if (id === undefined) {
        failures.push(`${name}: not on the dashboard`);
        continue;
      }
      const rows = await chartRows(superset, id, check.allTraffic ? [] : [human]);
      const verdict = checkChart(name, rows, plan);
      const line = `chart "${name}": ${JSON.stringify(verdict.shown)}`;
      extra.push(`${verdict.ok ? 'ok  ' : 'FAIL'}  ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`);
      if (!verdict.ok) failures.push(`${name}: ${verdict.problems.join('; ')}`);
    }
    const unchecked = [...charts.keys()].filter((name) => !(name in CHART_CHECKS));
    if (unchecked.length > 0) failures.push(`charts without a check: ${unchecked.join(', ')}`);
    if (failures.length > 0)
      throw new Error(`charts do not show the events sent:\n  ${failures.join('\n  ')}`);
  });

  if (chromiumAvailable()) {
    await step('render the dashboard in Chromium (default and filtered view, screenshots)', () =>
      renderDashboard({
        url: superset.url,
        password: superset.password,
        slug: 'footfall',
        chartCount: charts.size,
        filter: FILTERED_VIEW,
        outDirs: screenshotDirs,
      }),
    );
    extra.push(`screenshots: ${screenshotDirs.map((d) => join(d, 'dashboard*.png')).join(', ')}`);
  }

  if (process.env.E2E_KEEP) {
    log(
      `E2E_KEEP: Superset at ${superset.url} (admin / ${superset.password}), Druid at ${druid.brokerUrl}; Ctrl-C ends`,
    );
    await new Promise(() => {});
  }
}

/** The filtered view of the screenshots: one country at minute grain, bots still excluded (the default). */
const FILTERED_VIEW = {
  'NATIVE_FILTER-grain': {
    extraFormData: { time_grain_sqla: 'PT1M' },
    filterState: { value: ['PT1M'] },
    ownState: {},
  },
  'NATIVE_FILTER-traffic': {
    extraFormData: { filters: [{ col: 'traffic', op: 'IN', val: ['human'] }] },
    filterState: { value: ['human'] },
    ownState: {},
  },
  'NATIVE_FILTER-country': {
    extraFormData: { filters: [{ col: 'country', op: 'IN', val: ['Germany'] }] },
    filterState: { value: ['Germany'] },
    ownState: {},
  },
};

let exitCode = 0;
const interrupted = async (signal) => {
  log(`${signal}: stopping everything`);
  await cleanup();
  process.exit(130);
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
try {
  await main();
} catch (error) {
  exitCode = 1;
  process.stdout.write(`\n${error.stack ?? error}\n`);
  if (process.env.E2E_KEEP) {
    log('E2E_KEEP: everything stays up for a look; Ctrl-C ends');
    await new Promise(() => {});
  }
  extra.push(`logs: ${workDir}`);
}
await step('stop everything', cleanup).catch(() => {
  exitCode = 1;
});
summary({ ok: exitCode === 0, extra });
process.exit(exitCode);
