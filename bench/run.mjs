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
// medians. The row shown is the round with the median ratio, with the lowest and highest of every
// round beside each figure; `ratios` lists every round's.
//   npm run bench -- --workload realistic,warm --pin --rounds 3
//
// --workload: the events of the pixel and JSON scenarios, `realistic` (the default: 100,000 distinct
// events of a shop's visitors, 62 user agents, 17,000 pages; bench/traffic/) or `warm` (2,000 events,
// one user agent, 50 pages: every cache hot), or both, a row each. --pin runs each server on one CPU
// (the last, or --server-cpu N) and this runner (the load generator) and the Kafka broker on the
// others, with taskset. Kafka scenarios also report the broker's CPU per event.
//   npm run bench -- --scenario soak [--minutes 5] [--fraction 0.7] [--kafka-restart] [--json out.json]
//
// `soak` is not in the default set and runs alone: it hands over to bench/soak.mjs in a child process
// (the same as `npm run bench:soak`, 5 minutes at 0.7 of saturation unless told otherwise), passing on
// --minutes, --fraction, --kafka-restart, --connections and --json; --duration does not apply to it.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COLLECTOR_NODE_FLAGS } from './node-flags.mjs';
import { paced } from './paced.mjs';
import { forkPinned, pinning, pinProcess, processCpuUs } from './cpus.mjs';
import { pacedTable, saturatedTable, summarise } from './report.mjs';
import {
  cursor,
  jsonWorkload,
  pixelWorkload,
  realisticWorkload,
  saturate,
  WORKLOAD_NAMES,
} from './workload.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
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
    // The events the pixel and JSON scenarios send: realistic (the default), warm, or both
    // (`realistic,warm`), each a row of its own.
    workload: { type: 'string' },
    // The server on one CPU (the last, or --server-cpu), the load generator and the broker on the others.
    pin: { type: 'boolean' },
    'server-cpu': { type: 'string' },
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
const workloadNames = (values.workload ?? 'realistic').split(',');
for (const name of workloadNames) {
  if (!WORKLOAD_NAMES.includes(name)) {
    console.error(`unknown workload ${name}; known: ${WORKLOAD_NAMES.join(', ')}`);
    process.exit(2);
  }
}

if (scenarios.includes('soak')) {
  if (scenarios.length > 1) {
    console.error('the soak scenario runs alone: npm run bench -- --scenario soak');
    process.exit(2);
  }
  for (const option of ['markdown', 'profile', 'pin', 'workload']) {
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

/** The tracker script: half first fetches (gzip, 200), half revalidations (304). */
function scriptRequests() {
  return [
    { method: 'GET', path: '/divolte.js', headers: { 'accept-encoding': 'gzip, br' } },
    { method: 'GET', path: '/divolte.js', headers: { 'accept-encoding': 'gzip', 'if-none-match': '*' } },
  ];
}

// The request kind of each scenario; the pixel and JSON kinds come in both workloads (--workload).
const SCENARIO_KIND = {
  'pixel-memory': 'pixel',
  'pixel-file': 'pixel',
  'pixel-kafka': 'pixel',
  'json-kafka': 'json',
  'tracker-script': 'script',
};
const NEEDS_KAFKA = new Set(['pixel-kafka', 'json-kafka']);
for (const scenario of scenarios) {
  if (!SCENARIO_KIND[scenario]) {
    console.error(
      `unknown scenario ${scenario}; known: ${[...Object.keys(SCENARIO_KIND), 'soak'].join(', ')}`,
    );
    process.exit(2);
  }
}

let pins;
if (values.pin) {
  try {
    pins = pinning(values['server-cpu']);
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
}

// Built once per run: generating the realistic events takes a few seconds.
const built = new Map();
function workloadFor(kind, name) {
  if (kind === 'script') return { name: undefined, requests: scriptRequests() };
  const key = `${kind}:${name}`;
  if (!built.has(key)) {
    if (name === 'warm') built.set(key, kind === 'json' ? jsonWorkload(2000) : pixelWorkload(2000));
    else {
      process.stderr.write(`generating the realistic ${kind} workload...\n`);
      built.set(key, realisticWorkload(kind));
    }
  }
  return built.get(key);
}

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
  const execArgv = [...shippedFlags, ...experimentFlags, ...profileFlags];
  const child = fork(path.join(here, 'servers', script), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
    ...(pins ? forkPinned(pins.server, execArgv) : { execArgv }),
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
/** The broker's CPU time in µs now, in a Kafka scenario (set per scenario below). */
let brokerCpu = () => undefined;
const difference = (before, after) =>
  before === undefined || after === undefined ? undefined : after - before;
/**
 * The broker's CPU per event of the collector's window: all of it (`raw`), and `net` of the broker's
 * idle housekeeping (heartbeats, log checks, JVM), read over the floor's window of the same length,
 * which sends it nothing. Idle is 20-50 ms/s here, as much as the events cost at a few thousand a second.
 */
function brokerPerEvent(collectorUs, floorUs, events) {
  if (collectorUs === undefined || !(events > 0)) return {};
  return {
    raw: collectorUs / events,
    net: floorUs === undefined ? undefined : (collectorUs - floorUs) / events,
    idleMsPerSecond: floorUs === undefined ? undefined : floorUs / 1000 / duration,
  };
}

/**
 * One server: warm-up, then as fast as it answers (saturation), then — when `pacedRate` gives the
 * rate, or `load` a fraction of the saturated rate — a steady paced stream, each phase with its own
 * CPU reading, the broker's read at the same marks.
 */
async function measure(script, args, workload, pacedRate) {
  const server = startServer(script, args);
  const { port } = await server.ready;
  const next = cursor(workload);
  const drive = (seconds) => saturate(port, workload, { seconds, connections, next });
  await drive(warmup);
  await server.ask('mark', 'marked');
  const brokerAtMark = brokerCpu();
  const result = await drive(duration);
  const measured = await server.ask('measure', 'measured');
  const brokerAtMeasure = brokerCpu();
  // 304s are answers too (the tracker-script scenario revalidates half of its requests).
  const events = result['2xx'] + result['3xx'];
  const eventsPerSec = Math.round(events / duration);
  const rate = pacedRate ?? Math.round(eventsPerSec * load);
  let steady;
  if (rate > 0) {
    await server.ask('mark', 'marked');
    const brokerAtPacedMark = brokerCpu();
    const run = await paced({ port, rate, seconds: duration, connections, next });
    const cpu = await server.ask('measure', 'measured');
    const brokerAtPacedMeasure = brokerCpu();
    const ok = Object.entries(run.statuses)
      .filter(([status]) => status < 400)
      .reduce((sum, [, count]) => sum + count, 0);
    steady = {
      rate,
      ...run,
      cpuUsPerEvent: ok > 0 ? cpu.cpuUs / ok : NaN,
      brokerCpuUs: difference(brokerAtPacedMark, brokerAtPacedMeasure),
      ok,
      rssBytes: cpu.peakRssBytes,
      loopDelayP99Ms: cpu.loopDelayP99Ms,
      loopDelayMaxMs: cpu.loopDelayMaxMs,
    };
  }
  const stopped = await server.ask('stop', 'stopped');
  return {
    events,
    eventsPerSec,
    cpuUsPerEvent: events > 0 ? measured.cpuUs / events : NaN,
    // The broker's CPU over the window; over the floor's, which sends it nothing, its idle housekeeping.
    brokerCpuUs: difference(brokerAtMark, brokerAtMeasure),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    rssMb: Math.round((Math.max(measured.peakRssBytes, steady?.rssBytes ?? 0) / 1024 / 1024) * 10) / 10,
    errors: result.errors + result.timeouts + result['4xx'] + result['5xx'] + (steady?.errors ?? 0),
    steady,
    stats: stopped.stats,
  };
}

if (pins) {
  // The runner is the load generator (autocannon and the paced driver run in this process).
  pinProcess(process.pid, pins.others);
  process.stderr.write(
    `pinned: servers on CPU ${pins.server}; load generator${scenarios.some((s) => NEEDS_KAFKA.has(s)) ? ' and Kafka broker' : ''} on CPU ${pins.others}\n`,
  );
}
if (scenarios.some((s) => NEEDS_KAFKA.has(s))) {
  const { startBroker } = await import('../scripts/kafka/broker.mjs');
  process.stderr.write('starting a local Kafka broker...\n');
  broker = await startBroker({ dir: path.join(here, '..', '.cache', 'kafka', 'bench'), fresh: true });
  kafkaBrokers = broker.brokers;
  // Every thread the JVM has now; the ones it starts later inherit the set from their creators.
  if (pins) pinProcess(broker.pid, pins.others);
}

/**
 * A figure for events the pipeline failed or dropped measures a broken collector, not a fast one: the
 * pixel answers its GIF whatever happens, so autocannon alone never notices. Say so, and fail the run.
 */
function warnAboutLostEvents(scenario, outcomes) {
  if (!outcomes) return;
  const bad = Object.entries(outcomes).filter(([key, count]) => !key.startsWith('accepted') && count > 0);
  if (bad.length === 0) return;
  process.stderr.write(
    `\n${scenario}: events not accepted: ${bad.map(([k, n]) => `${k}=${n}`).join(', ')}; figures invalid\n`,
  );
  process.exitCode = 1;
}

const rows = [];
try {
  for (const scenario of scenarios) {
    const kind = SCENARIO_KIND[scenario];
    // The tracker script is the same file whatever the workload: measured once.
    for (const workloadName of kind === 'script' ? [undefined] : workloadNames) {
      const workload = workloadFor(kind, workloadName);
      // The broker's CPU is read for the Kafka scenarios only, in the collector's and the floor's runs.
      brokerCpu = NEEDS_KAFKA.has(scenario) ? () => processCpuUs(broker.pid) : () => undefined;
      const label = workloadName ? `${scenario} (${workloadName})` : scenario;
      const measured = [];
      for (let r = 0; r < rounds; r++) {
        // The collector first: its saturated rate sets the paced rate, which the floor then gets too.
        process.stderr.write(`${label}${rounds > 1 ? ` round ${r + 1}/${rounds}` : ''}: collector...`);
        const run = await measure('collector.mjs', [scenario], workload);
        warnAboutLostEvents(label, run.stats?.outcomes);
        process.stderr.write(` floor...`);
        const floor = await measure('floor.mjs', [], workload, run.steady?.rate ?? 0);
        process.stderr.write(' done\n');
        measured.push({
          run,
          floor,
          ratio: run.cpuUsPerEvent / floor.cpuUsPerEvent,
          steadyRatio: run.steady ? run.steady.cpuUsPerEvent / floor.steady.cpuUsPerEvent : undefined,
          broker: brokerPerEvent(run.brokerCpuUs, floor.brokerCpuUs, run.events),
          steadyBroker:
            run.steady && brokerPerEvent(run.steady.brokerCpuUs, floor.steady.brokerCpuUs, run.steady.ok),
        });
      }
      rows.push(summarise(scenario, workloadName, measured, { rounds, load }));
    }
  }
} finally {
  // The broker runs detached; leaving it would hold the cache folder and a port for the next run.
  await broker?.stop();
}

const tables = [saturatedTable(rows, { rounds }), pacedTable(rows, { load, rounds })].filter(Boolean);
const table = tables.join('\n\n');
console.log(table);
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  duration,
  connections,
  load,
  rounds,
  workloads: workloadNames,
  pinned: pins ? { serverCpu: pins.server, loadGeneratorAndBrokerCpus: pins.others } : false,
};
if (values.json) writeFileSync(values.json, `${JSON.stringify({ ...meta, results: rows }, null, 2)}\n`);
if (values.markdown) writeFileSync(values.markdown, `${table}\n`);
