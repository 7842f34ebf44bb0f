#!/usr/bin/env node
// Soak: the whole collector with a Kafka sink driven at a fraction of its measured saturation for
// minutes, memory sampled from the server process, optionally with the broker killed and restarted
// half-way; then the topic is read back and every answered event id looked up, so "no event lost" is
// a count, not a hope.
//
// Saturation is measured with autocannon (as fast as the collector answers); the soak itself is a
// steady paced stream (bench/paced.mjs): requests leave evenly spread over every second and never wait
// for an answer, so the latency figures are what steady traffic sees, and a broker outage does not slow
// the sender down (the collector keeps answering 200 from its spool).
//
//   npm run bench:soak -- --minutes 5 --fraction 0.7 [--kafka-restart] [--connections 10] [--json FILE]
//   npm run bench -- --scenario soak [same options]
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
// Registers lz4 and zstd, the collector's compressions, with kafkajs.
import '../scripts/kafka/kafkajs-codecs.mjs';
import { COLLECTOR_NODE_FLAGS } from './node-flags.mjs';
import { paced } from './paced.mjs';
import { computeChecksum, generateIdentifier, generatePageViewId } from '../dist/protocol/index.js';
import { createCodec, loadBuiltinSchema } from '../dist/schema/index.js';
import { startBroker } from '../scripts/kafka/broker.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    fraction: { type: 'string', default: '0.7' },
    connections: { type: 'string', default: '10' },
    'kafka-restart': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const seconds = Math.round(Number(values.minutes) * 60);
const connections = Number(values.connections);
const log = (line) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36';

// Every request carries a fresh event id, the page view id followed by a counter in hex, so the
// read-back can tell exactly which ones arrived. Answers and read-back copies are kept per counter in
// byte arrays rather than as sets of id strings: two sets of millions of strings took over a gigabyte
// of the load generator's heap and stalled it for hundreds of milliseconds while they grew, which
// turned the paced stream into bursts.
const party = generateIdentifier(Date.now() - 86_400_000);
const session = generateIdentifier(Date.now() - 60_000);
const pageView = generatePageViewId();
let counter = 0;
let answered = new Uint8Array(1 << 20); // 1: answered 200
let answeredCount = 0;
function markAnswered(index) {
  if (index >= answered.length) {
    const grown = new Uint8Array(Math.max(answered.length * 2, index + 1));
    grown.set(answered);
    answered = grown;
  }
  if (answered[index] === 0) answeredCount++;
  answered[index] = 1;
}
function nextPath() {
  const index = counter++;
  const params = new URLSearchParams({
    p: party,
    s: session,
    v: pageView,
    e: `${pageView}${index.toString(16)}`,
    c: Date.now().toString(36),
    n: 'f',
    f: 'f',
    l: 'https://shop.example/products/1?utm_source=news',
    t: 'pageView',
  });
  params.append('x', computeChecksum(params));
  return { path: `/csc-event?${params}`, index };
}
/** The counter inside one of our event ids, or -1 for an id this run did not send. */
function indexOf(eventId) {
  if (typeof eventId !== 'string' || !eventId.startsWith(pageView)) return -1;
  const hex = eventId.slice(pageView.length);
  const index = parseInt(hex, 16);
  return Number.isSafeInteger(index) && index.toString(16) === hex && index < counter ? index : -1;
}

// Saturation probe: autocannon, as fast as the collector answers.
const request = {
  method: 'GET',
  setupRequest: (req, context) => {
    const next = nextPath();
    context.index = next.index;
    return { ...req, path: next.path };
  },
  onResponse: (status, _body, context) => {
    if (status === 200) markAnswered(context.index);
  },
};
function saturate(port, duration) {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    requests: [request],
    headers: { 'user-agent': USER_AGENT },
    duration,
  });
}

log('starting a local Kafka broker');
const broker = await startBroker({ dir: path.join(here, '..', '.cache', 'kafka', 'soak'), fresh: true });
const server = fork(path.join(here, 'servers', 'collector.mjs'), ['pixel-kafka'], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, KAFKA_BROKERS: broker.brokers },
  execArgv: COLLECTOR_NODE_FLAGS,
});
const ask = (type, reply) =>
  new Promise((resolve) => {
    const on = (message) => {
      if (message.type === reply) {
        server.off('message', on);
        resolve(message);
      }
    };
    server.on('message', on);
    if (type) server.send({ type });
  });
const { port } = await ask(null, 'ready');
const topic = `bench-${server.pid}`;

log('measuring saturation for 10 s');
const saturation = await saturate(port, 10);
const probeAnswered = answeredCount;
const maxRate = Math.round(saturation['2xx'] / 10);
const rate = Math.round(maxRate * Number(values.fraction));
log(`saturation ${maxRate} events/s; soaking at ${rate} events/s (paced) for ${seconds} s`);

await ask('mark', 'marked');
// The load generator watches itself too: its memory, and how late its event loop runs (a late loop
// sends late, in bursts, and reads answers late). The histogram holds the time between its 10 ms
// checks, so the lateness is that minus 10 ms.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const generator = { rssMbMax: 0, heapMbMax: 0 };
// Generator, collector and broker share the host: its load says whether anything else competed.
const host = { cpus: availableParallelism(), loadAvg1Max: 0 };
const samples = [];
const soakStart = Date.now();
const sampler = setInterval(async () => {
  const own = process.memoryUsage();
  generator.rssMbMax = Math.max(generator.rssMbMax, Math.round(own.rss / 1048576));
  generator.heapMbMax = Math.max(generator.heapMbMax, Math.round(own.heapUsed / 1048576));
  host.loadAvg1Max = Math.max(host.loadAvg1Max, Math.round(loadavg()[0] * 100) / 100);
  const measured = await ask('measure', 'measured');
  samples.push({
    at: Math.round((Date.now() - soakStart) / 1000),
    rssMb: Math.round(measured.rssBytes / 1048576),
  });
}, 15_000);
let restart;
let outage;
if (values['kafka-restart']) {
  restart = setTimeout(
    async () => {
      log('killing the broker (SIGKILL)');
      const killedAt = Date.now();
      broker.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      log('restarting the broker');
      await broker.restart();
      outage = {
        atSecond: Math.round(seconds / 2),
        brokerDownSeconds: Math.round((Date.now() - killedAt) / 100) / 10,
      };
      log(`broker back after ${outage.brokerDownSeconds} s`);
    },
    (seconds * 1000) / 2,
  );
}
let soakAnswered = 0;
const soak = await paced({
  port,
  rate,
  seconds,
  connections,
  next: () => {
    const { path: requestPath, index } = nextPath();
    return { path: requestPath, headers: { 'user-agent': USER_AGENT }, context: index };
  },
  onResponse: (status, index) => {
    if (status === 200) {
      markAnswered(index);
      soakAnswered++;
    }
  },
});
clearInterval(sampler);
clearTimeout(restart);
loopDelay.disable();
const measured = await ask('measure', 'measured');
log(
  `sent ${soak.sent}, answered ${soak.answered} (${soakAnswered} with 200); stopping the collector (drain to Kafka)`,
);
const stopped = await ask('stop', 'stopped');

log(`reading ${topic} back`);
const codec = createCodec(loadBuiltinSchema('footfall'));
const kafka = new Kafka({ clientId: 'footfall-soak', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
// Read up to the high watermarks taken now that the collector has stopped: everything it wrote.
const admin = kafka.admin();
await admin.connect();
const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
await admin.disconnect();
const expected = [...ends.values()].reduce((sum, high) => sum + high, 0);
const copies = new Uint8Array(counter);
let records = 0;
let distinct = 0;
const foreign = new Set();
const reached = new Set([...ends].filter(([, high]) => high === 0).map(([partition]) => partition));
let quietSince = Date.now();
const consumer = kafka.consumer({ groupId: `soak-${Date.now()}`, maxBytes: 50 * 1048576 });
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    records++;
    const { eventId } = codec.decode(message.value);
    const index = indexOf(eventId);
    if (index === -1) {
      if (!foreign.has(eventId)) distinct++;
      foreign.add(eventId);
    } else {
      if (copies[index] === 0) distinct++;
      if (copies[index] < 255) copies[index]++;
    }
    if (Number(message.offset) + 1 >= ends.get(partition)) reached.add(partition);
    quietSince = Date.now();
  },
});
let lastLog = Date.now();
while (reached.size < ends.size && Date.now() - quietSince < 30_000) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (Date.now() - lastLog >= 15_000) {
    lastLog = Date.now();
    log(`read ${records} of ${expected} records`);
  }
}
await consumer.disconnect();
await broker.stop();

let lost = 0;
for (let i = 0; i < counter; i++) if (i < answered.length && answered[i] === 1 && copies[i] === 0) lost++;
// RSS trend: the last sample against the one a quarter in, and a least-squares slope over the same
// stretch (the first quarter is warm-up: caches, pools and the spool's first segments fill).
const steady = samples.slice(Math.floor(samples.length / 4));
let slope = 0;
if (steady.length > 2) {
  const mx = steady.reduce((s, p) => s + p.at, 0) / steady.length;
  const my = steady.reduce((s, p) => s + p.rssMb, 0) / steady.length;
  const sxy = steady.reduce((s, p) => s + (p.at - mx) * (p.rssMb - my), 0);
  const sxx = steady.reduce((s, p) => s + (p.at - mx) ** 2, 0);
  slope = (sxy / sxx) * 60;
}
const rss = samples.map((s) => s.rssMb);
const ok = soak.statuses[200] ?? 0;
const summary = {
  minutes: Number(values.minutes),
  kafkaRestart: values['kafka-restart'],
  ...(outage ? { outage } : {}),
  saturationEventsPerSec: maxRate,
  targetEventsPerSec: rate,
  connections,
  sent: soak.sent,
  answered: soak.answered,
  soakAnswered200: ok,
  statuses: soak.statuses,
  // Every event answered 200 in the whole run, saturation probe included: the ones looked up in Kafka.
  answered200: answeredCount,
  probeAnswered200: probeAnswered,
  errors: soak.errors + (soak.answered - ok),
  p50Ms: soak.p50Ms,
  p90Ms: soak.p90Ms,
  p99Ms: soak.p99Ms,
  maxMs: soak.maxMs,
  cpuUsPerEvent: Math.round((measured.cpuUs / Math.max(1, ok)) * 10) / 10,
  recordsInKafka: records,
  recordsExpected: expected,
  readBackComplete: reached.size === ends.size,
  duplicatesInKafka: records - distinct,
  foreignRecords: foreign.size,
  lost,
  rssMb: samples,
  rssMinMb: rss.length > 0 ? Math.min(...rss) : NaN,
  rssMaxMb: rss.length > 0 ? Math.max(...rss) : NaN,
  rssGrowthMb: steady.length > 1 ? steady[steady.length - 1].rssMb - steady[0].rssMb : 0,
  rssSlopeMbPerMin: Math.round(slope * 100) / 100,
  generator: {
    ...generator,
    loopLateP99Ms: Math.round((loopDelay.percentile(99) - 10e6) / 1e4) / 100,
    loopLateMaxMs: Math.round((loopDelay.max - 10e6) / 1e4) / 100,
  },
  host,
  outcomes: stopped.stats.outcomes,
};
console.log(JSON.stringify(summary, null, 2));
if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
process.exit(lost === 0 ? 0 : 1);
