#!/usr/bin/env node
// Micro-benchmark of the file sink alone, per record, in one process without HTTP: what the sink adds
// to an event's CPU cost. Records arrive as the collector hands them over: a few per event-loop turn
// (`--per-turn`, 4 by default; a pixel at saturation on two cores brings 1-10), each turn ending in the
// sink's commit() when it has one, then the loop turns so the sink's own delivery can run.
//
//   npm run build && node bench/micro/file-sink.mjs [--dist DIR] [--records 200000] [--rounds 5]
//
// `--dist` points at another build's dist/ folder (e.g. of an older commit, built with
// `npx tsc -p tsconfig.build.json` in a worktree) so two versions are measured alternately in one run:
// `--dist dist --dist ../old/dist`. Reports CPU µs per record (user + system, the median round).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { setImmediate as turn } from 'node:timers/promises';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', multiple: true },
    records: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
    'per-turn': { type: 'string', default: '4' },
  },
});
const dists = values.dist ?? ['dist'];
const records = Number(values.records);
const perTurn = Number(values['per-turn']);
const schema = { type: 'record', name: 'Click', fields: [{ name: 'body', type: 'bytes' }] };
// ~300 bytes of Avro, like a footfall record: a bytes field (length varint 2 bytes + body).
const value = Buffer.alloc(300, 7);
value[0] = 0xd4;
value[1] = 0x04;

async function once(dist) {
  const { FileSink } = await import(pathToFileURL(path.resolve(dist, 'sinks/file/file-sink.js')).href);
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-micro-file-'));
  try {
    const sink = new FileSink({
      name: 'clicks',
      schema,
      workingDir: path.join(dir, 'working'),
      publishDir: path.join(dir, 'published'),
      journalDir: path.join(dir, 'journal'),
      logger: { info() {}, warn() {}, error() {}, debug() {} },
    });
    await sink.start();
    const start = process.cpuUsage();
    for (let i = 0; i < records; i += perTurn) {
      for (let k = 0; k < perTurn; k++)
        sink.offer({ key: `p${(i + k) % 20000}`, value, timestamp: Date.now() });
      sink.commit?.();
      await turn();
    }
    await sink.shutdown(30_000);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / records;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = new Map(dists.map((d) => [d, []]));
for (const d of dists) await once(d); // warm-up
for (let r = 0; r < Number(values.rounds); r++) {
  for (const d of dists) results.get(d).push(await once(d));
}
for (const [d, us] of results) {
  const sorted = [...us].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `${d}: ${median.toFixed(2)} µs/record (rounds ${sorted.map((x) => x.toFixed(2)).join(' ')}), ${perTurn} per turn`,
  );
}
