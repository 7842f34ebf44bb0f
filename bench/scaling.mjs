#!/usr/bin/env node
// How throughput scales with `server.workers`. For each worker count, the real CLI (`node dist/cli/main.js
// serve`) runs as a child process with FOOTFALL_WORKERS=N on 127.0.0.1, in a fresh temporary data folder
// (default config: Avro files; --kafka: a Kafka sink to a local broker started here), is warmed up and
// then driven by autocannon. CPU time and memory are read from /proc for the whole process tree (the
// primary and every worker), so the load generator never counts. A bare node:http floor with the same
// number of workers (servers/floor-cluster.mjs) is measured in the same run, for ratios.
//
//   npm run bench:scaling
//   npm run bench:scaling -- --workers 1,2,4 --duration 10 --connections 10 [--kafka] [--json FILE]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../scripts/lib/local-host.mjs';
import { COLLECTOR_NODE_FLAGS } from './node-flags.mjs';
import { cursor, pixelWorkload, realisticWorkload, saturate, WORKLOAD_NAMES } from './workload.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '..', 'dist', 'cli', 'main.js');
const FLOOR = path.join(here, 'servers', 'floor-cluster.mjs');

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2,auto' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    kafka: { type: 'boolean', default: false },
    // The pixel events sent, as bench/run.mjs's --workload: realistic (the default) or warm.
    workload: { type: 'string', default: 'realistic' },
    json: { type: 'string' },
    markdown: { type: 'string' },
  },
});
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
if (!WORKLOAD_NAMES.includes(values.workload)) {
  console.error(
    `--workload takes one of ${WORKLOAD_NAMES.join(', ')}; got ${JSON.stringify(values.workload)}`,
  );
  process.exit(2);
}
const counts = values.workers.split(',').map((text) => {
  const trimmed = text.trim();
  if (trimmed === 'auto') return { label: 'auto', workers: 'auto', processes: availableParallelism() };
  const n = Number(trimmed);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--workers takes numbers ≥ 1 or auto, comma-separated; got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return { label: String(n), workers: n, processes: n };
});
if (!existsSync(CLI)) {
  console.error('dist/cli/main.js is missing; run npm run build first (npm run bench:scaling does)');
  process.exit(2);
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const PAGE_SIZE = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());
const NPROC = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
const log = (line) => process.stderr.write(`[scaling] ${line}\n`);

// ---------------------------------------------------------------------------------------------------
// /proc: a process tree's pids, CPU ticks and resident memory.

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces), or null if it is gone. */
function statFields(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // fields[0] is field 3 of proc(5): state; ppid is field 4, utime 14, stime 15, starttime 22.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** The root and all its descendants, found by parent pid across /proc. */
function processTree(root) {
  const childrenOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields) continue;
    const ppid = Number(fields[1]);
    if (!childrenOf.has(ppid)) childrenOf.set(ppid, []);
    childrenOf.get(ppid).push(Number(entry));
  }
  const tree = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(childrenOf.get(pid) ?? []));
  }
  return tree;
}

/** pid → { key, ticks } where key (pid and start time) tells a process from a later one with its pid. */
function cpuTicks(pids) {
  const out = new Map();
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) continue;
    out.set(pid, { key: `${pid}@${fields[19]}`, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return out;
}

/** Resident bytes summed over the pids (statm's second field, in pages). */
function rssBytes(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * Busy ticks of the whole machine from /proc/stat (every process, user + system + interrupts + steal),
 * and the interrupt part alone: loopback traffic is mostly handled in softirq, charged to no process.
 */
function machineTicks() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { busy: user + nice + system + irq + softirq + steal, interrupts: irq + softirq };
}

/** True while a process with this key (pid and start time) exists and is not a zombie. */
function alive(key) {
  const [pid, start] = key.split('@');
  const fields = statFields(pid);
  return fields !== null && fields[19] === start && fields[0] !== 'Z';
}

// ---------------------------------------------------------------------------------------------------
// Child processes.

/** Every child this script started and has not seen exit, so a failure or Ctrl-C can stop them. */
const running = new Set();

function start(name, args, env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 40));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(handle);
      resolve({ code, signal });
    });
  });
  const handle = { name, child, output, exited, seen: new Set() };
  running.add(handle);
  return handle;
}

async function failed(handle, message) {
  throw new Error(`${handle.name}: ${message}\n--- last output ---\n${handle.output.join('\n')}`);
}

/** Resolves once `probe()` is true; rejects if the child exits first or the time runs out. */
async function until(handle, probe, what, timeoutMs = 120_000) {
  let exit;
  void handle.exited.then((result) => (exit = result));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit) await failed(handle, `exited (${exit.signal ?? exit.code}) before ${what}`);
    if (await probe()) return;
    await sleep(100);
  }
  await failed(handle, `not ${what} after ${timeoutMs / 1000} s`);
}

async function httpOk(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to the child (the primary forwards it to its workers), wait for it, then check that no
 * process of its tree is left; whatever is left after 10 s is SIGKILLed and reported.
 */
async function stop(handle) {
  // Once the child has exited its pid may belong to someone else; only a live tree is looked at.
  if (handle.child.exitCode === null && handle.child.signalCode === null) {
    for (const { key } of cpuTicks(processTree(handle.child.pid)).values()) handle.seen.add(key);
    handle.child.kill('SIGTERM');
  }
  const timer = setTimeout(() => handle.child.kill('SIGKILL'), 60_000);
  const exit = await handle.exited;
  clearTimeout(timer);
  const deadline = Date.now() + 10_000;
  let left = [...handle.seen].filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = left.filter(alive);
  }
  for (const key of left) {
    try {
      process.kill(Number(key.split('@')[0]), 'SIGKILL');
    } catch {
      // gone in the meantime
    }
  }
  return { exit, processes: handle.seen.size, leftovers: left.map((key) => Number(key.split('@')[0])) };
}

// ---------------------------------------------------------------------------------------------------
// Measuring.

/** Warm up, then one measured window: autocannon's figures plus the tree's CPU time and memory. */
async function measure(handle, port, workload) {
  // One stream per server: the measured window continues where the warm-up stopped.
  const next = cursor(workload);
  const drive = (seconds) => saturate(port, workload, { seconds, connections, next });
  await drive(warmup);
  const pids = processTree(handle.child.pid);
  for (const { key } of cpuTicks(pids).values()) handle.seen.add(key);
  let peakRss = rssBytes(pids);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssBytes(pids));
  }, 250);
  const cpuBefore = cpuTicks(pids);
  const clientBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  const startedAt = performance.now();
  const result = await drive(duration);
  const wallMs = performance.now() - startedAt;
  const client = process.cpuUsage(clientBefore);
  const machineAfter = machineTicks();
  const ticksToCores = (t) => ((t / CLOCK_TICKS) * 1000) / wallMs;
  const machineCores = ticksToCores(machineAfter.busy - machineBefore.busy);
  const interruptCores = ticksToCores(machineAfter.interrupts - machineBefore.interrupts);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssBytes(pids));

  // Processes that started or ended inside the window would make the CPU figure partial; say so.
  const after = processTree(handle.child.pid);
  const cpuAfter = cpuTicks(after);
  let ticks = 0;
  const perProcess = [];
  const changed = after.length !== pids.length;
  for (const [pid, end] of cpuAfter) {
    handle.seen.add(end.key);
    const begin = cpuBefore.get(pid);
    const used = end.ticks - (begin?.key === end.key ? begin.ticks : 0);
    ticks += used;
    perProcess.push(used);
  }
  const cpuUs = (ticks / CLOCK_TICKS) * 1e6;
  const events = result['2xx'];
  const serverCores = cpuUs / 1000 / wallMs;
  const clientCores = (client.user + client.system) / 1000 / wallMs;
  return {
    processes: after.length,
    processSetChanged: changed,
    // The root first (the primary, when there are workers), then its children.
    processCores: perProcess.map((used) => ticksToCores(used)),
    events,
    eventsPerSec: Math.round(events / duration),
    cpuUsPerEvent: events > 0 ? cpuUs / events : NaN,
    serverCores,
    clientCores,
    // Everything else the machine did meanwhile: other jobs, and the kernel's share of our own traffic.
    otherCores: Math.max(0, machineCores - serverCores - clientCores),
    interruptCores,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    peakRssMb: peakRss / 1024 / 1024,
  };
}

/** Accepted events summed over all workers, from the admin listener's /metrics. */
async function acceptedEvents(adminPort) {
  try {
    const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
    let total = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('footfall_events_total{') && line.includes('outcome="accepted"')) {
        total += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  } catch {
    return null;
  }
}

function cleanEnv(extra) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('FOOTFALL_')),
  );
  return { ...env, ...extra };
}

async function measureFloor(count, workload) {
  const port = await freePort();
  const handle = start(
    `floor (${count.processes} workers)`,
    [FLOOR, String(count.processes), String(port)],
    cleanEnv({}),
  );
  try {
    await until(handle, async () => handle.output.includes('ready'), 'ready', 30_000);
    const figures = await measure(handle, port, workload);
    return { ...figures, ...(await stop(handle)) };
  } finally {
    if (running.has(handle)) await stop(handle);
  }
}

async function measureCollector(count, workload, brokers) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-scaling-'));
  const [port, adminPort] = [await freePort(), await freePort()];
  const env = cleanEnv({
    FOOTFALL_WORKERS: String(count.workers),
    FOOTFALL_HOST: '127.0.0.1',
    FOOTFALL_PORT: String(port),
    FOOTFALL_ADMIN_HOST: '127.0.0.1',
    FOOTFALL_ADMIN_PORT: String(adminPort),
    FOOTFALL_DATA_DIR: dataDir,
    FOOTFALL_LOG_LEVEL: 'warn',
  });
  if (brokers) {
    // FOOTFALL_KAFKA_BROKERS only reaches Kafka sinks a file declares, so the sink is declared here.
    env.FOOTFALL_CONFIG = path.join(dataDir, 'scaling.yaml');
    const topic = `scaling-${process.pid}-${count.label}`;
    writeFileSync(
      env.FOOTFALL_CONFIG,
      `sinks:\n  kafka: { type: kafka, brokers: [${brokers}], topic: ${topic}, createTopic: true }\n`,
    );
  }
  const handle = start(`collector (workers=${count.label})`, [...COLLECTOR_NODE_FLAGS, CLI, 'serve'], env);
  try {
    await until(handle, () => httpOk(`http://127.0.0.1:${adminPort}/health/ready`), 'ready');
    const figures = await measure(handle, port, workload);
    const accepted = await acceptedEvents(adminPort);
    return { ...figures, accepted, ...(await stop(handle)) };
  } finally {
    if (running.has(handle)) await stop(handle);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------

let broker;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    interrupted = true;
    log(`${signal}: stopping the servers${broker ? ' and the broker' : ''}`);
    await Promise.all([...running].map((handle) => stop(handle)));
    await broker?.stop();
    process.exit(130);
  });
}

const loadBefore = loadavg()[0];
const workload = values.workload === 'warm' ? pixelWorkload(2000) : realisticWorkload('pixel');
const rows = [];
let leftovers = 0;
try {
  if (values.kafka) {
    const { startBroker } = await import('../scripts/kafka/broker.mjs');
    log('starting a local Kafka broker...');
    broker = await startBroker({ dir: path.join(here, '..', '.cache', 'kafka', 'scaling'), fresh: true });
  }
  for (const count of counts) {
    if (interrupted) break;
    log(`workers=${count.label}: floor...`);
    const floor = await measureFloor(count, workload);
    log(`workers=${count.label}: collector...`);
    const run = await measureCollector(count, workload, broker?.brokers);
    leftovers += floor.leftovers.length + run.leftovers.length;
    for (const [what, m] of [
      ['floor', floor],
      ['collector', run],
    ]) {
      if (m.leftovers.length > 0) log(`${what} left processes behind (killed): ${m.leftovers.join(', ')}`);
      if (m.exit.code !== 0) log(`${what} exited with ${m.exit.signal ?? m.exit.code} after SIGTERM`);
      if (m.processSetChanged) log(`${what}: a process started or ended during the window; CPU is partial`);
    }
    rows.push({ label: count.label, workers: count.processes, run, floor });
  }
} finally {
  // The broker runs detached; leaving it would hold the cache folder and a port for the next run.
  await broker?.stop();
}

const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const results = rows.map(({ label, workers, run, floor }) => ({
  workers: label,
  workerProcesses: workers,
  processes: run.processes,
  processCores: run.processCores.map((cores) => round(cores, 2)),
  events: run.events,
  eventsPerSec: run.eventsPerSec,
  accepted: run.accepted,
  cpuUsPerEvent: round(run.cpuUsPerEvent),
  serverCores: round(run.serverCores, 2),
  clientCores: round(run.clientCores, 2),
  otherCores: round(run.otherCores, 2),
  interruptCores: round(run.interruptCores, 2),
  p50Ms: run.p50Ms,
  p99Ms: run.p99Ms,
  errors: run.errors,
  peakRssMb: round(run.peakRssMb),
  exitCode: run.exit.code,
  floor: {
    processes: floor.processes,
    eventsPerSec: floor.eventsPerSec,
    cpuUsPerEvent: round(floor.cpuUsPerEvent),
    serverCores: round(floor.serverCores, 2),
    clientCores: round(floor.clientCores, 2),
    otherCores: round(floor.otherCores, 2),
    interruptCores: round(floor.interruptCores, 2),
    p50Ms: floor.p50Ms,
    p99Ms: floor.p99Ms,
    errors: floor.errors,
    peakRssMb: round(floor.peakRssMb),
  },
  throughputVsFloor: round(run.eventsPerSec / floor.eventsPerSec, 2),
  cpuRatio: round(run.cpuUsPerEvent / floor.cpuUsPerEvent, 2),
}));

const sink = values.kafka ? 'Kafka sink' : 'Avro file sink';
const table = [
  `| workers | processes | events/s | floor events/s | vs floor | CPU µs/event | floor µs/event | ratio | server cores | client cores | other cores | p50 ms | p99 ms | RSS MB | errors |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) =>
      `| ${r.workers === 'auto' ? `auto (${r.workerProcesses})` : r.workers} | ${r.processes} | ${r.eventsPerSec} | ${r.floor.eventsPerSec} | ${r.throughputVsFloor} | ${r.cpuUsPerEvent} | ${r.floor.cpuUsPerEvent} | ${r.cpuRatio} | ${r.serverCores} | ${r.clientCores} | ${r.otherCores} | ${r.p50Ms} | ${r.p99Ms} | ${r.peakRssMb} | ${r.errors} |`,
  ),
].join('\n');
const notes = [
  `${sink}, pixel requests, ${connections} connections, ${warmup} s warm-up, ${duration} s window, Node ${process.version}, ` +
    `${NPROC} cores (nproc), load average ${round(loadBefore, 2)} before the run.`,
  'The load generator (autocannon) runs in this process on the same machine: "client cores" is its CPU',
  'and competes with the server for the same cores, so scaling beyond the cores it leaves free is limited',
  'by autocannon itself. "processes" counts the primary plus workers (workers=1 runs no primary);',
  '"server cores" is their CPU time over the window, "other cores" what the rest of the machine used',
  'meanwhile (other jobs, the kernel); "RSS MB" is their peak summed resident memory. Floor figures are',
  'a bare node:http pixel server with the same number of workers, measured just before each row.',
  ...(values.kafka ? ['The Kafka broker (a JVM on this machine) counts under "other cores".'] : []),
];
console.log(`${table}\n\n${notes.join('\n')}`);
console.log(
  leftovers === 0 ? 'No processes left behind.' : `${leftovers} process(es) were left behind and killed.`,
);

const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cores: NPROC,
  loadAverage: round(loadBefore, 2),
  sink: values.kafka ? 'kafka' : 'file',
  workload: values.workload,
  duration,
  warmup,
  connections,
};
if (values.json) writeFileSync(values.json, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
if (values.markdown) writeFileSync(values.markdown, `${table}\n`);
if (leftovers > 0) process.exitCode = 1;
