#!/usr/bin/env node
// Soak: the whole collector with a Kafka sink driven at a fraction of its measured saturation for
// minutes, memory sampled from the server process, optionally with the broker killed and restarted
// half-way; then the topic is read back and every answered event id looked up, so "no event lost" is
// a count, not a hope.
//
//   npm run bench:soak -- --minutes 5 --fraction 0.7 [--kafka-restart] [--json FILE]
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
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

// Every request carries a fresh event id, so the read-back can tell exactly which ones arrived.
const party = generateIdentifier(Date.now() - 86_400_000);
const session = generateIdentifier(Date.now() - 60_000);
const pageView = generatePageViewId();
let counter = 0;
const answered = new Set();
function nextPath() {
  const eventId = `${pageView}${(counter++).toString(16)}`;
  const params = new URLSearchParams({
    p: party,
    s: session,
    v: pageView,
    e: eventId,
    c: Date.now().toString(36),
    n: 'f',
    f: 'f',
    l: 'https://shop.example/products/1?utm_source=news',
    t: 'pageView',
  });
  params.append('x', computeChecksum(params));
  return { path: `/csc-event?${params}`, eventId };
}
const request = {
  method: 'GET',
  setupRequest: (req, context) => {
    const next = nextPath();
    context.eventId = next.eventId;
    return { ...req, path: next.path };
  },
  onResponse: (status, _body, context) => {
    if (status === 200) answered.add(context.eventId);
  },
};

function drive(port, options) {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    requests: [request],
    headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36' },
    ...options,
  });
}

log('starting a local Kafka broker');
const broker = await startBroker({ dir: path.join(here, '..', '.cache', 'kafka', 'soak'), fresh: true });
const server = fork(path.join(here, 'servers', 'collector.mjs'), ['pixel-kafka'], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, KAFKA_BROKERS: broker.brokers },
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
const saturation = await drive(port, { duration: 10 });
const maxRate = Math.round(saturation['2xx'] / 10);
const rate = Math.round(maxRate * Number(values.fraction));
log(`saturation ${maxRate} events/s; soaking at ${rate} events/s for ${seconds} s`);

await ask('mark', 'marked');
const samples = [];
const sampler = setInterval(async () => {
  const measured = await ask('measure', 'measured');
  samples.push({ at: samples.length * 15, rssMb: Math.round(measured.rssBytes / 1048576) });
}, 15_000);
let restart;
if (values['kafka-restart']) {
  restart = setTimeout(
    async () => {
      log('killing the broker (SIGKILL)');
      broker.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      log('restarting the broker');
      await broker.restart();
      log('broker back');
    },
    (seconds * 1000) / 2,
  );
}
const soak = await drive(port, { duration: seconds, overallRate: rate });
clearInterval(sampler);
clearTimeout(restart);
const measured = await ask('measure', 'measured');
log('stopping the collector (drain to Kafka)');
const stopped = await ask('stop', 'stopped');

log(`reading ${topic} back`);
const codec = createCodec(loadBuiltinSchema('footfall'));
const kafka = new Kafka({ clientId: 'footfall-soak', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `soak-${Date.now()}` });
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
const seen = new Set();
let records = 0;
let quietSince = Date.now();
await consumer.run({
  eachMessage: async ({ message }) => {
    records++;
    seen.add(codec.decode(message.value).eventId);
    quietSince = Date.now();
  },
});
while (Date.now() - quietSince < 10_000) await new Promise((resolve) => setTimeout(resolve, 1000));
await consumer.disconnect();
await broker.stop();

const lost = [...answered].filter((id) => !seen.has(id)).length;
const steady = samples.slice(Math.floor(samples.length / 4));
const summary = {
  minutes: Number(values.minutes),
  kafkaRestart: values['kafka-restart'],
  saturationEventsPerSec: maxRate,
  targetEventsPerSec: rate,
  sent: soak.requests.sent,
  answered200: answered.size,
  errors: soak.errors + soak.timeouts + soak.non2xx,
  p50Ms: soak.latency.p50,
  p99Ms: soak.latency.p99,
  cpuUsPerEvent: Math.round((measured.cpuUs / Math.max(1, soak['2xx'])) * 10) / 10,
  recordsInKafka: records,
  duplicatesInKafka: records - seen.size,
  lost,
  rssMb: samples,
  rssGrowthMb: steady.length > 1 ? steady[steady.length - 1].rssMb - steady[0].rssMb : 0,
  outcomes: stopped.stats.outcomes,
};
console.log(JSON.stringify(summary, null, 2));
if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
process.exit(lost === 0 ? 0 : 1);
