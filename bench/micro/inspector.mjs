#!/usr/bin/env node
// Micro-benchmark of what the live inspector costs the ingest seam, per event, in one process without
// HTTP: the same events through `Ingest.take` with no inspector, with the inspector on and nobody
// watching, and with one client watching a flood (the sampler turns most events away before anything
// is built; the ones it follows are decoded and written after the turn, and that cost is included).
//
//   npm run build && node bench/micro/inspector.mjs [--rounds 9] [--events 20000]
//
// The three cases run interleaved, round after round, so a busy machine weighs on all of them alike;
// each row is the median CPU ns per event (user + system of this process), with the spread of rounds.
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  DuplicateMemory,
  Ingest,
  mapFootfall,
  OutcomeCounter,
  SYNTHETIC_EVENTS,
} from '../../dist/pipeline/index.js';
import { createCodec, loadBuiltinSchema } from '../../dist/schema/index.js';
import { Inspector } from '../../dist/inspector/inspector.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '9' }, events: { type: 'string', default: '20000' } },
});
const rounds = Number(values.rounds);
const perRound = Number(values.events);

const codec = createCodec(loadBuiltinSchema('footfall'), { trustedShape: true });
const counting = { name: 'memory', offer: () => true, commit: () => true };
const routes = [
  {
    name: 'clicks',
    mapper: mapFootfall,
    encoder: codec,
    discardCorrupted: false,
    discardDuplicates: false,
    destinations: [counting],
  },
];
const base = SYNTHETIC_EVENTS[0].event;
const events = Array.from({ length: 4096 }, (_, i) => ({ ...base, eventId: `${base.pageViewId}${i}` }));

/** A page that reads everything at once: the socket is never full. */
function fakePage() {
  const stream = new PassThrough();
  stream.resume();
  stream.writeHead = () => stream;
  return stream;
}

function seam(observer) {
  return new Ingest(
    {
      duplicates: new DuplicateMemory(1_000_000),
      outcomes: new OutcomeCounter(),
      ...(observer ? { observer } : {}),
    },
    (err) => {
      throw err;
    },
  );
}

const hub = (watched) => {
  const inspector = new Inspector({
    bufferSize: 500,
    maxEventsPerSecond: 200,
    readers: new Map([['clicks', codec]]),
  });
  if (watched) inspector.attach(fakePage(), {});
  return inspector;
};

const watchedHub = hub(true);
const cases = {
  'no inspector': seam(undefined),
  'on, nobody watching': seam(hub(false)),
  'on, one page watching': seam(watchedHub),
};

/** One round of one case: CPU ns per event, the commit of each batch of 64 and the turn's flush included. */
async function round(ingest) {
  const start = process.cpuUsage();
  for (let i = 0; i < perRound; i++) {
    ingest.take(events[i % events.length], routes);
    if (i % 64 === 63) ingest.commit();
  }
  ingest.commit();
  // The inspector's work after the turn (building and writing the messages it followed).
  await new Promise((resolve) => setImmediate(resolve));
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / perRound;
}

const results = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const ingest of Object.values(cases)) await round(ingest); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, ingest] of Object.entries(cases)) results[name].push(await round(ingest));
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const reference = median(results['no inspector']);
console.log('| case | ns/event (median) | vs no inspector | rounds, lowest to highest |');
console.log('| --- | ---: | ---: | --- |');
for (const [name, list] of Object.entries(results)) {
  const m = median(list);
  const sorted = [...list].sort((a, b) => a - b).map((v) => v.toFixed(0));
  console.log(
    `| ${name} | ${m.toFixed(0)} | ${((m / reference - 1) * 100).toFixed(1)}% | ${sorted.join(' ')} |`,
  );
}
console.log(`\nwatched: ${JSON.stringify(watchedHub.stats())}`);
watchedHub.close();
