#!/usr/bin/env node
// Benchmark runner. Each scenario starts its server in a child process, warms it up, drives it with
// autocannon and asks the server for its own CPU time; the floor (a bare node:http server answering the
// same pixel) is measured the same way in the same run, so results are ratios that survive noisy hosts.
//
//   npm run bench                                  default set
//   npm run bench -- --scenario pixel-memory --json out.json --duration 10 --connections 10
//   npm run bench -- --scenario pixel-memory --rounds 5
//
// --rounds N measures collector and floor alternately N times: on a shared machine the floor alone
// swings by ±20% between runs, and a ratio taken from neighbouring runs is steadier than one of two
// medians. The row shown is the round with the median ratio; `ratios` lists every round's.
//   npm run bench -- --scenario soak [--minutes 5] [--fraction 0.7] [--kafka-restart] [--json out.json]
//
// `soak` is not in the default set and runs alone: it hands over to bench/soak.mjs in a child process
// (the same as `npm run bench:soak`, 5 minutes at 0.7 of saturation unless told otherwise), passing on
// --minutes, --fraction, --kafka-restart, --connections and --json; --duration does not apply to it.
import { execFileSync, fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COLLECTOR_NODE_FLAGS } from './node-flags.mjs';
import { paced } from './paced.mjs';
import { pixelWorkload, saturate, USER_AGENT } from './workload.mjs';
import { generateIdentifier } from '../dist/protocol/index.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const DEFAULT_SET = ['pixel-memory', 'pixel-file', 'pixel-kafka', 'json-kafka', 'tracker-script'];

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    json: { type: 'string' },
    markdown: { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    // The paced phase: the collector at this fraction of its own measured maximum, the floor at the
    // same rate; 0 skips it.
    load: { type: 'string', default: '0.5' },
    // Writes a V8 CPU profile of every server run (floor and collector) into this folder; read it with
    // bench/profile-summary.mjs or Chrome's DevTools.
    profile: { type: 'string' },
    // The soak scenario's own options, passed on to bench/soak.mjs (which has the defaults).
    minutes: { type: 'string' },
    fraction: { type: 'string' },
    'kafka-restart': { type: 'boolean' },
  },
});
const scenarios = values.scenario ? values.scenario.split(',') : DEFAULT_SET;
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const load = Number(values.load);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error('--rounds must be a whole number of at least 1');
  process.exit(2);
}

if (scenarios.includes('soak')) {
  if (scenarios.length > 1) {
    console.error('the soak scenario runs alone: npm run bench -- --scenario soak');
    process.exit(2);
  }
  for (const option of ['markdown', 'profile']) {
    if (values[option] !== undefined)
      process.stderr.write(`--${option} does not apply to the soak; ignored\n`);
  }
  const args = [];
  for (const option of ['minutes', 'fraction', 'connections', 'json']) {
    if (values[option] !== undefined) args.push(`--${option}`, values[option]);
  }
  if (values['kafka-restart']) args.push('--kafka-restart');
  const soak = fork(path.join(here, 'soak.mjs'), args, { stdio: 'inherit' });
  soak.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  // The soak owns the rest of this run.
  await new Promise(() => {});
}

/** JSON source requests: one event per POST, as an app server would send them. */
function jsonRequests(count) {
  const requests = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const party = generateIdentifier(now - 86_400_000);
    requests.push({
      method: 'POST',
      path: `/json?p=${encodeURIComponent(party)}`,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: JSON.stringify({
        session_id: generateIdentifier(now - 60_000),
        event_id: `json-${i}`,
        is_new_party: false,
        is_new_session: i % 5 === 0,
        client_timestamp_iso: new Date(now).toISOString(),
        event_type: 'purchase',
        parameters: { sku: `sku-${i % 100}`, price: 19.95, quantity: 1 },
      }),
    });
  }
  return requests;
}

/** The tracker script: half first fetches (gzip, 200), half revalidations (304). */
function scriptRequests() {
  return [
    { method: 'GET', path: '/divolte.js', headers: { 'accept-encoding': 'gzip, br' } },
    { method: 'GET', path: '/divolte.js', headers: { 'accept-encoding': 'gzip', 'if-none-match': '*' } },
  ];
}

const WORKLOADS = {
  pixel: () => pixelWorkload(2000),
  json: () => ({ requests: jsonRequests(2000) }),
  script: () => ({ requests: scriptRequests() }),
};
const SCENARIO_WORKLOAD = {
  'pixel-memory': 'pixel',
  'pixel-file': 'pixel',
  'pixel-kafka': 'pixel',
  'json-kafka': 'json',
  'tracker-script': 'script',
};
const NEEDS_KAFKA = new Set(['pixel-kafka', 'json-kafka']);

let kafkaBrokers;
function startServer(script, args) {
  const env = kafkaBrokers ? { ...process.env, KAFKA_BROKERS: kafkaBrokers } : process.env;
  // The collector runs with the flags it ships with; the floor is a bare Node with its defaults.
  const shippedFlags = script === 'collector.mjs' ? COLLECTOR_NODE_FLAGS : [];
  // Experiments only: V8 flags for the collector (after the shipped ones, so they win), and CPU
  // profiles of both servers.
  const experimentFlags =
    process.env.BENCH_NODE_FLAGS && script === 'collector.mjs' ? process.env.BENCH_NODE_FLAGS.split(' ') : [];
  const profileFlags = values.profile
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        path.resolve(values.profile),
        '--cpu-prof-name',
        `${args[0] ?? 'floor'}-${script.replace('.mjs', '')}-${Date.now()}.cpuprofile`,
      ]
    : [];
  const child = fork(path.join(here, 'servers', script), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
    execArgv: [...shippedFlags, ...experimentFlags, ...profileFlags],
  });
  const next = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message.type === type) {
          child.off('message', onMessage);
          resolve(message);
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)));
    });
  return {
    ready: next('ready'),
    ask: (type, reply) => {
      const answer = next(reply);
      child.send({ type });
      return answer;
    },
    child,
  };
}

let broker;

/**
 * CPU time the broker's JVM used so far, in µs (utime + stime from /proc, 10 ms ticks); undefined
 * without a broker of our own or off Linux. The broker decompresses every batch to validate it, so
 * its CPU per event depends on the client's batching and compression.
 */
function brokerCpuUs() {
  if (!broker) return undefined;
  try {
    const fields = readFileSync(`/proc/${broker.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

const drive = (port, workload, seconds) => saturate(port, workload, { seconds, connections });

/** The workload's requests in turn, with its common headers, for the paced driver. */
function pacedRequests(workload) {
  let i = 0;
  return () => {
    const request = workload.requests[i++ % workload.requests.length];
    return { ...request, headers: { ...workload.headers, ...request.headers } };
  };
}

/**
 * One server: warm-up, then as fast as it answers (saturation), then — when `pacedRate` gives the
 * rate, or `load` a fraction of the saturated rate — a steady paced stream, each phase with its own
 * CPU reading.
 */
async function measure(script, args, workload, pacedRate) {
  const server = startServer(script, args);
  const { port } = await server.ready;
  await drive(port, workload, warmup);
  await server.ask('mark', 'marked');
  const brokerBefore = brokerCpuUs();
  const brokerSince = performance.now();
  const result = await drive(port, workload, duration);
  const measured = await server.ask('measure', 'measured');
  // 304s are answers too (the tracker-script scenario revalidates half of its requests).
  const events = result['2xx'] + result['3xx'];
  const eventsPerSec = Math.round(events / duration);
  const rate = pacedRate ?? Math.round(eventsPerSec * load);
  let steady;
  if (rate > 0) {
    await server.ask('mark', 'marked');
    const run = await paced({ port, rate, seconds: duration, connections, next: pacedRequests(workload) });
    const cpu = await server.ask('measure', 'measured');
    const ok = Object.entries(run.statuses)
      .filter(([status]) => status < 400)
      .reduce((sum, [, count]) => sum + count, 0);
    steady = {
      rate,
      ...run,
      okEvents: ok,
      cpuUsPerEvent: ok > 0 ? cpu.cpuUs / ok : NaN,
      rssBytes: cpu.peakRssBytes,
      loopDelayP99Ms: cpu.loopDelayP99Ms,
      loopDelayMaxMs: cpu.loopDelayMaxMs,
    };
  }
  const stopped = await server.ask('stop', 'stopped');
  // From the measured phase to the drained stop: every record of both phases reached the broker.
  // The floor's run gives the broker's own pace with no records coming (its background work).
  const brokerAfter = brokerBefore === undefined ? undefined : brokerCpuUs();
  return {
    broker:
      brokerAfter === undefined
        ? undefined
        : {
            cpuUs: brokerAfter - brokerBefore,
            ms: performance.now() - brokerSince,
            events: events + (steady?.okEvents ?? 0),
          },
    events,
    eventsPerSec,
    cpuUsPerEvent: events > 0 ? measured.cpuUs / events : NaN,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    rssMb: Math.round((Math.max(measured.peakRssBytes, steady?.rssBytes ?? 0) / 1024 / 1024) * 10) / 10,
    errors: result.errors + result.timeouts + result['4xx'] + result['5xx'] + (steady?.errors ?? 0),
    steady,
    stats: stopped.stats,
  };
}

if (scenarios.some((s) => NEEDS_KAFKA.has(s))) {
  const { startBroker } = await import('../scripts/kafka/broker.mjs');
  process.stderr.write('starting a local Kafka broker...\n');
  broker = await startBroker({ dir: path.join(here, '..', '.cache', 'kafka', 'bench'), fresh: true });
  kafkaBrokers = broker.brokers;
}

const rows = [];
try {
  for (const scenario of scenarios) {
    const workloadName = SCENARIO_WORKLOAD[scenario];
    if (!workloadName) {
      console.error(
        `unknown scenario ${scenario}; known: ${[...Object.keys(SCENARIO_WORKLOAD), 'soak'].join(', ')}`,
      );
      process.exit(2);
    }
    const workload = WORKLOADS[workloadName]();
    const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
    const measured = [];
    for (let r = 0; r < rounds; r++) {
      // The collector first: its saturated rate sets the paced rate, which the floor then gets too.
      process.stderr.write(`${scenario}${rounds > 1 ? ` round ${r + 1}/${rounds}` : ''}: collector...`);
      const run = await measure('collector.mjs', [scenario], workload);
      process.stderr.write(` floor...`);
      const floor = await measure('floor.mjs', [], workload, run.steady?.rate ?? 0);
      process.stderr.write(' done\n');
      measured.push({
        run,
        floor,
        ratio: run.cpuUsPerEvent / floor.cpuUsPerEvent,
        steadyRatio: run.steady ? run.steady.cpuUsPerEvent / floor.steady.cpuUsPerEvent : undefined,
      });
    }
    const byRatio = [...measured].sort((a, b) => a.ratio - b.ratio);
    const { run, floor } = byRatio[Math.floor((byRatio.length - 1) / 2)];
    // The paced figures likewise from the round with the median paced ratio.
    const paced = measured.filter((m) => m.steadyRatio !== undefined);
    paced.sort((a, b) => a.steadyRatio - b.steadyRatio);
    const pacedPick = paced[Math.floor((paced.length - 1) / 2)];
    const steady = pacedPick?.run.steady;
    const floorSteady = pacedPick?.floor.steady;
    rows.push({
      scenario,
      events: run.events,
      eventsPerSec: run.eventsPerSec,
      cpuUsPerEvent: round(run.cpuUsPerEvent),
      floorCpuUsPerEvent: round(floor.cpuUsPerEvent),
      ratio: round(run.cpuUsPerEvent / floor.cpuUsPerEvent, 2),
      ratios: measured.map((m) => round(m.ratio, 2)),
      // The broker's CPU per event, every round (Kafka scenarios only): all it used while the
      // collector ran, and that less its idle pace during the floor's run.
      brokerCpuUsPerEvent: measured.every((m) => m.run.broker && m.floor.broker)
        ? measured.map((m) => round(m.run.broker.cpuUs / m.run.broker.events))
        : undefined,
      brokerNetCpuUsPerEvent: measured.every((m) => m.run.broker && m.floor.broker)
        ? measured.map((m) => {
            const idlePerMs = m.floor.broker.cpuUs / m.floor.broker.ms;
            return round((m.run.broker.cpuUs - idlePerMs * m.run.broker.ms) / m.run.broker.events);
          })
        : undefined,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      rssMb: run.rssMb,
      errors: run.errors,
      floorEventsPerSec: floor.eventsPerSec,
      // The paced phase at `load` of the collector's maximum: latency as steady traffic sees it, and
      // CPU per event with floor and collector serving the very same rate.
      steady: steady && {
        load,
        rate: steady.rate,
        p50Ms: steady.p50Ms,
        p90Ms: steady.p90Ms,
        p99Ms: steady.p99Ms,
        maxMs: steady.maxMs,
        // The collector's own event-loop delay in the paced phase (1 ms resolution included).
        loopDelayP99Ms: Math.round(steady.loopDelayP99Ms * 100) / 100,
        loopDelayMaxMs: Math.round(steady.loopDelayMaxMs * 100) / 100,
        cpuUsPerEvent: round(steady.cpuUsPerEvent),
        floorCpuUsPerEvent: round(floorSteady.cpuUsPerEvent),
        ratio: round(pacedPick.steadyRatio, 2),
        ratios: measured
          .map((m) => m.steadyRatio)
          .filter((x) => x !== undefined)
          .map((x) => round(x, 2)),
        errors: steady.errors,
      },
      outcomes: run.stats.outcomes,
    });
  }
} finally {
  // The broker runs detached; leaving it would hold the cache folder and a port for the next run.
  await broker?.stop();
}

// With several rounds, every round's ratio (lowest to highest) follows the median round's row.
const range = (ratios) => (rounds > 1 ? ` ${[...ratios].sort((a, b) => a - b).join(' ')} |` : '');
const rangeHead = rounds > 1 ? ' ratios of all rounds |' : '';
const rangeRule = rounds > 1 ? ' --- |' : '';
const header = `| scenario | events/s | CPU µs/event | floor µs/event | ratio | p50 ms | p99 ms | RSS MB | errors |${rangeHead}`;
const saturated = [
  header,
  `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${rangeRule}`,
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.eventsPerSec} | ${r.cpuUsPerEvent} | ${r.floorCpuUsPerEvent} | ${r.ratio} | ${r.p50Ms} | ${r.p99Ms} | ${r.rssMb} | ${r.errors} |${range(r.ratios)}`,
  ),
].join('\n');
const steadyRows = rows.filter((r) => r.steady);
const steadyTable = [
  `Paced at ${load * 100}% of each scenario's maximum (floor at the same rate):`,
  '',
  `| scenario | events/s | CPU µs/event | floor µs/event | ratio | p50 ms | p90 ms | p99 ms | max ms | errors |${rangeHead}`,
  `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${rangeRule}`,
  ...steadyRows.map(
    ({ scenario, steady: s }) =>
      `| ${scenario} | ${s.rate} | ${s.cpuUsPerEvent} | ${s.floorCpuUsPerEvent} | ${s.ratio} | ${s.p50Ms} | ${s.p90Ms} | ${s.p99Ms} | ${s.maxMs} | ${s.errors} |${range(s.ratios)}`,
  ),
].join('\n');
const brokerRows = rows.filter((r) => r.brokerCpuUsPerEvent);
const brokerLines = [
  'Kafka broker CPU µs per event, measured phase to drained stop, every round (less its idle pace):',
  '',
  ...brokerRows.map(
    (r) =>
      `- ${r.scenario}: ${r.brokerCpuUsPerEvent.map((all, i) => `${all} (${r.brokerNetCpuUsPerEvent[i]})`).join(', ')}`,
  ),
].join('\n');
const table = [saturated, steadyRows.length > 0 && steadyTable, brokerRows.length > 0 && brokerLines]
  .filter(Boolean)
  .join('\n\n');
console.log(table);
const meta = { date: new Date().toISOString(), node: process.version, duration, connections, load, rounds };
if (values.json) writeFileSync(values.json, `${JSON.stringify({ ...meta, results: rows }, null, 2)}\n`);
if (values.markdown) writeFileSync(values.markdown, `${table}\n`);
