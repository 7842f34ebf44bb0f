#!/usr/bin/env node
// Micro-benchmark of the Kafka producer alone, per record, against a local broker it starts:
//
//   npm run build && node bench/micro/kafka-client.mjs [--records 60000] [--batch 200] [--rounds 3]
//                                                        [--compression lz4,zstd,gzip,none] [--json out.json]
//
// Sends pre-made ~280-byte records (text fields like a clickstream record's: URLs, ids, a user agent;
// 3,000 parties) in batches of `--batch`, one in flight, acks=all, through the sink's own client adapter
// (dist/sinks/kafka/client.js: @platformatic/kafka, idempotent) and, as the baseline, through kafkajs
// (gzip only: it has no lz4 or zstd of its own). For each it reports CPU µs per record in this process
// (process.cpuUsage) and in the broker (/proc/<pid>/stat, less the broker's pace while idle), the
// median of `--rounds`. CPU time, not wall time: steadier on a shared machine.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import { startBroker } from '../../scripts/kafka/broker.mjs';
import { kafkaClient } from '../../dist/sinks/kafka/client.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '60000' },
    batch: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    compression: { type: 'string', default: 'lz4,zstd,gzip,none' },
    json: { type: 'string' },
  },
});
const RECORDS = Number(values.records);
const BATCH = Number(values.batch);
const ROUNDS = Number(values.rounds);
const here = path.dirname(new URL(import.meta.url).pathname);
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

const id = () => randomBytes(18).toString('base64url');
const parties = Array.from({ length: 3000 }, () => `0:${id().slice(0, 8)}:${id()}`);
const pages = ['/', '/pricing', '/docs/getting-started', '/blog/2026/11/clickstreams', '/signup?plan=pro'];
const records = Array.from({ length: RECORDS }, (_, i) => {
  const party = parties[i % parties.length];
  const text = [
    party,
    `0:${id().slice(0, 8)}:${id()}`,
    `${id()}`,
    `https://www.example.com${pages[i % pages.length]}`,
    'https://www.google.com/',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'pageView',
    'en-GB',
    String(1_780_000_000_000 + i),
  ].join('\u0002');
  return { key: party, value: Buffer.from(text), timestamp: 1_780_000_000_000 + i };
});

function brokerCpuUs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function kafkajsProducer(brokers, topic) {
  const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers, logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false });
  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    send: (batch) =>
      producer.send({
        topic,
        acks: -1,
        compression: kafkajs.CompressionTypes.GZIP,
        messages: batch.map((r) => ({ key: r.key, value: r.value, timestamp: String(r.timestamp) })),
      }),
  };
}

const brokerDir = path.join(here, '..', '..', '.cache', 'kafka', `micro-${process.pid}`);
const broker = await startBroker({ dir: brokerDir, fresh: true });
const brokers = [broker.brokers];
const admin = new kafkajs.Kafka({ clientId: 'bench', brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
await admin.connect();
let topicNo = 0;
async function freshTopic() {
  const topic = `micro-${process.pid}-${topicNo++}`;
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  return topic;
}

async function once(makeProducer) {
  const topic = await freshTopic();
  const producer = makeProducer(topic);
  await producer.connect();
  // Warm-up: JIT, connections, producer id.
  for (let i = 0; i < 20; i++) await producer.send(records.slice(i * BATCH, (i + 1) * BATCH));
  // The broker's idle pace over 2 s, then the measured sends.
  const idleCpu = brokerCpuUs(broker.pid);
  const idleAt = performance.now();
  await sleep(2000);
  const idlePerMs = (brokerCpuUs(broker.pid) - idleCpu) / (performance.now() - idleAt);
  const brokerBefore = brokerCpuUs(broker.pid);
  const startedAt = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < RECORDS; i += BATCH) await producer.send(records.slice(i, i + BATCH));
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - startedAt;
  const brokerUs = brokerCpuUs(broker.pid) - brokerBefore;
  await producer.disconnect();
  return {
    clientUs: (used.user + used.system) / RECORDS,
    brokerUs: brokerUs / RECORDS,
    brokerNetUs: (brokerUs - idlePerMs * ms) / RECORDS,
    recordsPerSec: Math.round((RECORDS / ms) * 1000),
  };
}

const cases = [
  ...values.compression.split(',').map((compression) => ({
    name: `@platformatic/kafka ${compression}`,
    make: (topic) =>
      kafkaClient({
        brokers,
        clientId: 'bench',
        topic,
        acks: 'all',
        compression,
        idempotent: true,
      }).producer(),
  })),
  { name: 'kafkajs gzip (before)', make: (topic) => kafkajsProducer(brokers, topic) },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const round1 = (n) => Math.round(n * 10) / 10;
const rows = [];
try {
  const runs = new Map(cases.map((c) => [c.name, []]));
  // Rounds alternate the cases, so a busy moment of the machine spreads over all of them.
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      process.stderr.write(`${c.name} round ${r + 1}/${ROUNDS}\n`);
      runs.get(c.name).push(await once(c.make));
    }
  }
  for (const c of cases) {
    const all = runs.get(c.name);
    rows.push({
      case: c.name,
      clientUsPerRecord: round1(median(all.map((x) => x.clientUs))),
      clientRounds: all.map((x) => round1(x.clientUs)),
      brokerUsPerRecord: round1(median(all.map((x) => x.brokerUs))),
      brokerNetUsPerRecord: round1(median(all.map((x) => x.brokerNetUs))),
      brokerNetRounds: all.map((x) => round1(x.brokerNetUs)),
      recordsPerSec: median(all.map((x) => x.recordsPerSec)),
    });
  }
} finally {
  await admin.disconnect();
  await broker.stop();
  rmSync(brokerDir, { recursive: true, force: true });
}

console.log(
  `${RECORDS} records of ~${records[0].value.length} bytes, batches of ${BATCH}, acks=all, ${process.version}\n`,
);
console.log(
  '| client, compression | client µs/record | rounds | broker µs/record (less idle) | rounds | records/s |',
);
console.log('| --- | ---: | --- | ---: | --- | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.case} | ${r.clientUsPerRecord} | ${r.clientRounds.join(' ')} | ${r.brokerUsPerRecord} (${r.brokerNetUsPerRecord}) | ${r.brokerNetRounds.join(' ')} | ${r.recordsPerSec} |`,
  );
}
if (values.json)
  writeFileSync(values.json, `${JSON.stringify({ node: process.version, RECORDS, BATCH, rows }, null, 2)}\n`);
