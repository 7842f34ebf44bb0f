/**
 * Which Node runs the project. package.json pins Node 24 LTS as a dev dependency (the registry's `node`
 * package), so npm scripts (`npm start`, `npm test`) run on it even where the machine's own Node is
 * older; `engines` names the releases the Kafka client supports. CI also runs the tests on Node 22
 * straight from its binary: there only the engines check applies.
 */
import { realpathSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

/** True when `version` (x.y.z) satisfies a range of `^x.y.z` and `>=x.y.z` alternatives joined by `||`. */
function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.replace(/^v/, '').split('.').map(Number) as [number, number, number];
  const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  const have = parse(version);
  return range.split('||').some((alternative) => {
    const text = alternative.trim();
    const caret = /^\^(\d+\.\d+\.\d+)$/.exec(text);
    if (caret) {
      const want = parse(caret[1]!);
      return have[0] === want[0] && compare(have, want) >= 0;
    }
    const atLeast = /^>=(\d+\.\d+\.\d+)$/.exec(text);
    if (atLeast) return compare(have, parse(atLeast[1]!)) >= 0;
    throw new Error(`range part not understood: ${text}`);
  });
}

/** Set by npm for the script it runs; npm puts node_modules/.bin, and so the pinned node, first on PATH. */
const underNpm = process.env.npm_lifecycle_event !== undefined;

describe(`the Node running the tests (${process.version})`, () => {
  it('is one that engines allows, and engines leaves out Node 20', () => {
    expect(satisfies(process.version, pkg.engines.node)).toBe(true);
    expect(satisfies('20.19.0', pkg.engines.node)).toBe(false);
    expect(satisfies('22.21.0', pkg.engines.node)).toBe(false);
    expect(satisfies('22.22.0', pkg.engines.node)).toBe(true);
    expect(satisfies('24.5.0', pkg.engines.node)).toBe(false);
    expect(satisfies('24.6.0', pkg.engines.node)).toBe(true);
  });

  it('is a pinned Node 24 LTS in the dev dependencies', () => {
    expect(pkg.devDependencies.node).toMatch(/^24\.\d+\.\d+$/);
    expect(satisfies(pkg.devDependencies.node!, pkg.engines.node)).toBe(true);
  });

  it.skipIf(!underNpm)('is the pinned one under an npm script (skipped when vitest runs without npm)', () => {
    expect(process.version).toBe(`v${pkg.devDependencies.node}`);
    expect(realpathSync(process.execPath)).toBe(realpathSync(path.join(root, 'node_modules/.bin/node')));
  });
});
