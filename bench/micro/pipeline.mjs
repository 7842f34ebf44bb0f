#!/usr/bin/env node
// Micro-benchmark of the browser source's pipeline, per event, in one process without HTTP: the pixel
// handler as the server calls it, with the realistic workload's requests (bench/traffic/), through
// parsing, checksum, duplicate memory, enrichment, the default mapping and the Avro encoding into a
// sink that only counts. What it leaves out is Node's HTTP parsing and answering (the floor's work)
// and a sink's own cost, so the figure is the pipeline's share of an event, stable to a few percent
// because nothing else runs: the place to measure a change to a stage before the whole bench.
//
//   npm run build && node bench/micro/pipeline.mjs [--dist DIR ...] [--events 200000] [--rounds 5]
//     [--per-turn 8] [--sink memory|file|kafka] [--sink-options 'compression: zstd'] [--profile DIR]
//     [--alloc]
//
// The workload's 100,000 distinct events are sent round and round (later passes are flagged as
// duplicates, which costs the same). Requests arrive `--per-turn` at a time (a saturated pixel brings 5-10 per event-loop turn); each
// turn ends as the server's does, with the source's batch going through the seam and answering.
// `--dist` points at another build's dist/ folder (e.g. of an older commit) so two versions are
// measured alternately in one run. Reports CPU µs per event (user + system, the median round, and
// the lowest and highest). `--sink file` or `kafka` puts the collector's own sink from the default
// config behind the pipeline instead of the counting one (journal on; `kafka` starts a local broker
// with scripts/kafka/broker.mjs, pinned apart with `taskset` when this process is): the sink's share
// is then the difference to `memory`. `--profile DIR` writes a CPU profile of the measured rounds; `--alloc`
// runs one more round under V8's sampling heap profiler (collected objects included) and reports
// the bytes allocated per event and the functions that allocate them (sampled, so approximate).
import { Session } from 'node:inspector/promises';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { setImmediate as turn } from 'node:timers/promises';
import { pinProcess } from '../cpus.mjs';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', multiple: true },
    events: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
    'per-turn': { type: 'string', default: '8' },
    profile: { type: 'string' },
    alloc: { type: 'boolean', default: false },
    sink: { type: 'string', default: 'memory' },
    'sink-options': { type: 'string', default: '' },
  },
});
const dists = values.dist ?? ['dist'];
const eventsPerRound = Number(values.events);
const perTurn = Number(values['per-turn']);
const rounds = Number(values.rounds);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** One build's pixel handler, wired as bench/servers/collector.mjs wires `pixel-memory`. */
async function pipelineOf(dist, sinkConfig) {
  const load = (file) => import(pathToFileURL(path.resolve(dist, file)).href);
  const [
    { loadConfig },
    pipeline,
    schema,
    { browserEvents },
    { createClientAddressPolicy },
    protocol,
    sinks,
  ] = await Promise.all([
    load('config/index.js'),
    load('pipeline/index.js'),
    load('schema/index.js'),
    load('server/sources/browser/pixel.js'),
    load('server/client-address.js'),
    load('protocol/index.js'),
    load('sinks/index.js'),
  ]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-micro-'));
  const loaded = loadConfig({
    env: { FOOTFALL_DATA_DIR: dataDir },
    ...(sinkConfig ? { file: writeConfig(dataDir, sinkConfig) } : {}),
  });
  if (!loaded.ok) throw new Error('the config did not load');
  const config = loaded.config;
  const counted = { offered: 0 };
  let destination = { name: 'memory', offer: () => (counted.offered++, true), commit: () => true };
  if (sinkConfig) {
    const [name, entry] = Object.entries(config.sinks)[0];
    const logger = { info() {}, warn() {}, error: console.error, debug() {} };
    const sink = sinks.createSink(name, entry, schema.loadBuiltinSchema('footfall'), logger);
    await sink.start();
    const offer = sink.offer.bind(sink);
    destination = sink;
    sink.offer = (record) => (counted.offered++, offer(record));
    cleanups.push(async () => {
      await sink.shutdown(10_000);
      rmSync(dataDir, { recursive: true, force: true });
    });
  } else cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const route = {
    name: 'clicks',
    mapper: pipeline.mapFootfall,
    encoder: schema.createCodec(schema.loadBuiltinSchema('footfall'), { trustedShape: true }),
    discardCorrupted: false,
    discardDuplicates: false,
    destinations: [destination],
  };
  const outcomes = new pipeline.OutcomeCounter();
  const ingest = new pipeline.Ingest(
    { duplicates: new pipeline.DuplicateMemory(config.duplicates.memorySize), outcomes },
    (err) => {
      throw err;
    },
  );
  const events = browserEvents({
    name: 'browser',
    source: config.sources.browser,
    routes: [route],
    ingest,
    addresses: createClientAddressPolicy([]),
    now: Date.now,
  });
  return { events, counted, outcomes, protocol };
}

const cleanups = [];

function writeConfig(dir, yaml) {
  const file = path.join(dir, 'micro.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** The sink entry for --sink, or undefined for the counting one; kafka starts a broker first. */
async function sinkConfig() {
  if (values.sink === 'memory') return undefined;
  const more = values['sink-options'] ? `, ${values['sink-options']}` : '';
  if (values.sink === 'file') return `sinks:\n  files: { type: file${more} }\n`;
  if (values.sink !== 'kafka') throw new Error(`--sink memory, file or kafka, not ${values.sink}`);
  const { startBroker } = await import(pathToFileURL(path.join(root, 'scripts/kafka/broker.mjs')).href);
  const broker = await startBroker({ dir: path.join(root, '.cache/kafka/micro'), fresh: true });
  cleanups.push(() => broker.stop());
  pinApart(broker.pid);
  return `sinks:\n  kafka: { type: kafka, brokers: [${broker.brokers}], topic: micro-${process.pid}, createTopic: true${more} }\n`;
}

/** When this process runs pinned (taskset), moves the broker's threads to the other CPUs. */
function pinApart(pid) {
  const mine = new Set(
    execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' })
      .split(':')[1]
      .trim()
      .split(',')
      .flatMap((part) => {
        const [from, to = from] = part.split('-').map(Number);
        return Array.from({ length: to - from + 1 }, (_, i) => from + i);
      }),
  );
  const others = Array.from({ length: cpus().length }, (_, i) => i).filter((cpu) => !mine.has(cpu));
  if (others.length === 0 || mine.size === cpus().length) return;
  pinProcess(pid, others.join(','));
  process.stderr.write(`broker on CPU ${others.join(',')}, this process on ${[...mine].join(',')}\n`);
}

// A response that takes the answer and drops it, as a socket would after writing it.
const response = { statusCode: 200, writeHead() {}, end() {}, setHeader() {} };

async function main() {
  const builds = [];
  const sink = await sinkConfig();
  for (const dist of dists) builds.push({ dist, ...(await pipelineOf(dist, sink)), rounds: [] });
  const { pixelTraffic } = await import(pathToFileURL(path.join(root, 'bench/traffic/index.mjs')).href);
  // Built once, before measuring: the load generator's work is not the pipeline's.
  const traffic = pixelTraffic(builds[0].protocol);
  // The workload's 100,000 events, built once and sent round and round: a copy per event sent would
  // put hundreds of megabytes on the heap and make every major GC that much slower than a server's.
  // From the second pass on the duplicate memory flags them, which costs the same.
  const total = traffic.events.length;
  process.stderr.write(`building ${total} requests...\n`);
  const requests = [];
  for (let i = 0; i < total; i++) {
    const { path: url, headers } = traffic.request(i);
    const lower = {};
    for (const [key, value] of Object.entries(headers)) lower[key.toLowerCase()] = value;
    requests.push({ method: 'GET', url, headers: lower, socket: { remoteAddress: '203.0.113.7' } });
  }

  let next = 0;
  const run = async (build, count) => {
    const start = process.cpuUsage();
    for (let i = 0; i < count; i += perTurn) {
      for (let j = 0; j < perTurn; j++) build.events.pixel(requests[next++ % total], response);
      await turn();
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / count;
  };

  const session = values.profile ? new Session() : undefined;
  for (const build of builds) await run(build, Math.min(eventsPerRound, 50_000)); // warm-up
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  for (let r = 0; r < rounds; r++) {
    for (const build of builds) {
      build.rounds.push(await run(build, eventsPerRound));
    }
  }
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(values.profile, `pipeline-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`profile: ${file}\n`);
  }
  for (const build of builds) {
    const sorted = [...build.rounds].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const accepted = Object.entries(build.outcomes.snapshot())
      .filter(([key]) => !key.startsWith('accepted'))
      .reduce((sum, [, n]) => sum + n, 0);
    console.log(
      `${build.dist}: ${median.toFixed(2)} µs/event (${sorted[0].toFixed(2)}–${sorted.at(-1).toFixed(2)}), ` +
        `${build.counted.offered} records` +
        (accepted > 0 ? `, ${accepted} events NOT accepted (figures invalid)` : ''),
    );
  }
  if (values.alloc) for (const build of builds) await allocations(build, run);
  for (const cleanup of cleanups) await cleanup();
}

/** One round under the sampling heap profiler: bytes per event, and by whom (self, top 15). */
async function allocations(build, run) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await run(build, eventsPerRound);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const bySite = new Map();
  let total = 0;
  const walk = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;
    total += node.selfSize;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  console.log(`${build.dist}: about ${Math.round(total / eventsPerRound)} B allocated per event`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${String(Math.round(bytes / eventsPerRound)).padStart(7)} B  ${site}`);
}

await main();
