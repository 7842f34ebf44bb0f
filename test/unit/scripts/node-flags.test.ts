/**
 * The collector's Node flags live in three places that nothing else ties together: `npm start`, the
 * container's entrypoint and the benchmarks (bench/node-flags.mjs). Docker cannot run here, so this
 * test holds the first two to the list the benchmarks measure, and checks that the list does what it
 * is there for on the Node running the tests (CI runs the unit tests on Node 20 and on Node 24).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error -- a plain ESM module without type declarations
import { COLLECTOR_NODE_FLAGS as flags } from '../../../bench/node-flags.mjs';

const COLLECTOR_NODE_FLAGS = flags as readonly string[];
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (relative: string): string => readFileSync(path.join(root, relative), 'utf8');

describe('the collector’s Node flags', () => {
  it('are a non-empty list of Node options', () => {
    expect(COLLECTOR_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of COLLECTOR_NODE_FLAGS) expect(flag).toMatch(/^--[a-z-]+(=\S+)?$/);
  });

  it('are given by npm start, before the CLI', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const command = start
      .slice(start.lastIndexOf('&&') + 2)
      .trim()
      .split(/\s+/);
    expect(command).toEqual(['node', ...COLLECTOR_NODE_FLAGS, 'dist/cli/main.js', 'serve']);
  });

  it('are given by the container’s entrypoint, which compose does not override', () => {
    const line = read('docker/Dockerfile')
      .split('\n')
      .find((l) => l.startsWith('ENTRYPOINT '));
    expect(JSON.parse(line!.slice('ENTRYPOINT '.length))).toEqual([
      'node',
      ...COLLECTOR_NODE_FLAGS,
      'dist/cli/main.js',
    ]);
    const compose = parse(read('docker/compose.yaml'), { merge: true }) as {
      services: Record<string, { entrypoint?: unknown }>;
    };
    expect(compose.services.collector).toBeDefined();
    expect(compose.services.collector!.entrypoint).toBeUndefined();
  });

  it('cap the young generation at two 8 MB semi-spaces on this Node (Node 20 has 16, Node 24 32 here)', () => {
    // Enough short-lived garbage for V8 to grow the young generation to its limit.
    const churn = `
      const v8 = require('node:v8');
      let keep = [];
      for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      process.stdout.write(String(young.space_size));`;
    const youngBytes = Number(
      execFileSync(process.execPath, [...COLLECTOR_NODE_FLAGS, '-e', churn], { encoding: 'utf8' }),
    );
    expect(youngBytes).toBeGreaterThan(0);
    expect(youngBytes).toBeLessThanOrEqual(2 * 8 * 1024 * 1024);
  });
});
