#!/usr/bin/env node
// Summarises a V8 CPU profile (from `npm run bench -- --profile DIR`): self time by function and by
// file, as a share of the samples, so a hot path can be read without opening DevTools.
//
//   node bench/profile-summary.mjs DIR/CPU.*.cpuprofile [--top 30] [--inclusive]
//
// `--inclusive` adds total time by function: every sample counts once for each function on its
// stack, so a stage's whole cost (e.g. the Kafka sink's `write` with everything it calls) shows in
// one line. Shares are of the busy samples (idle left out) there, so stages add up against the work.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, inclusive: { type: 'boolean', default: false } },
});
if (positionals.length !== 1) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--inclusive]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(values.top);

// Self samples per node, then per function (name + place) and per file.
const selfSamples = new Map();
for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
const total = profile.samples.length;
const byFunction = new Map();
const byFile = new Map();
const idle = new Set(['(idle)', '(program)', '(garbage collector)']);
for (const node of profile.nodes) {
  const samples = selfSamples.get(node.id) ?? 0;
  if (samples === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? shorten(url) : functionName || '(native)';
  const key = `${functionName || '(anonymous)'}  ${url ? `${file}:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + samples);
  const fileKey = idle.has(functionName) ? functionName : file;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + samples);
}

function shorten(url) {
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules !== -1) return file.slice(modules + 'node_modules/'.length);
  if (file.startsWith('node:')) return file;
  return path.relative(process.cwd(), file);
}

function print(title, map, limit) {
  console.log(`\n${title}`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, limit);
  for (const [key, samples] of rows)
    console.log(`${((samples / total) * 100).toFixed(1).padStart(6)}%  ${key}`);
}
console.log(`${total} samples`);
print('self time by file', byFile, top);
print('self time by function', byFunction, top);

if (values.inclusive) {
  // Parent links, then each busy sample walks up its stack once, counting each function once.
  const parent = new Map();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || '(anonymous)'}  ${url ? `${shorten(url)}:${lineNumber + 1}` : ''}`;
  };
  const inclusive = new Map();
  let busy = 0;
  for (const id of profile.samples) {
    const leaf = nodes.get(id);
    if (leaf.callFrame.functionName === '(idle)') continue;
    busy += 1;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const key = label(nodes.get(at));
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
    }
  }
  console.log(`\ntotal time by function (share of ${busy} busy samples)`);
  const rows = [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, samples] of rows)
    console.log(`${((samples / busy) * 100).toFixed(1).padStart(6)}%  ${key}`);
}
