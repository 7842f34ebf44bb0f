import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIssues, loadConfig } from '../../../src/config/index.js';
import { tempDir } from './helpers.js';

const example = path.resolve(import.meta.dirname, '../../../docker/config/footfall.example.yaml');

let tmp: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.remove();
});

function load(yaml: string) {
  const file = path.join(tmp.path, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const result = loadConfig({ file, env: {} });
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return result.config;
}

describe('the Kafka sink configuration', () => {
  it('documents the defaults in the commented kafka block of the full example', () => {
    const lines = readFileSync(example, 'utf8').split('\n');
    const start = lines.findIndex((line) => /^ {2}# kafka:/.test(line));
    expect(start).toBeGreaterThan(0);
    const block: string[] = [];
    for (const line of lines.slice(start)) {
      if (!line.startsWith('  #')) break;
      block.push(line.replace(/^( {2})# ?/, '$1'));
    }
    const mapping =
      'mappings: { clicks: { sources: [app], sinks: [kafka] } }\nsources: { app: { type: json } }\n';
    const documented = load(`sinks:\n${block.join('\n')}\n${mapping}`);
    const defaults = load(`sinks:\n  kafka: { type: kafka }\n${mapping}`);
    expect(documented.sinks).toEqual(defaults.sinks);
  });

  it('puts the spool under dataDir by sink name unless a folder is given', () => {
    const config = load(
      [
        'dataDir: ./var',
        'sinks:',
        '  a: { type: kafka }',
        '  b: { type: kafka, spool: { dir: ./elsewhere, fsync: always, maxBytes: 10mb } }',
        'mappings: { m: { sources: [app], sinks: [a, b] } }',
        'sources: { app: { type: json } }',
        '',
      ].join('\n'),
    );
    const a = config.sinks.a;
    const b = config.sinks.b;
    if (a?.type !== 'kafka' || b?.type !== 'kafka') throw new Error('expected kafka sinks');
    expect(a.spool.dir).toBe(path.join(tmp.path, 'var', 'spool', 'a'));
    expect(a.spool).toMatchObject({ fsync: 'interval', fsyncInterval: 1000, maxBytes: 1024 ** 3 });
    expect(b.spool).toMatchObject({
      dir: path.join(tmp.path, 'elsewhere'),
      fsync: 'always',
      maxBytes: 10 * 1024 ** 2,
    });
    expect(a.queue.highWaterMark).toBe(0.8);
    expect(a.batch).toEqual({ maxRecords: 1000, maxBytes: 512 * 1024, linger: 50 });
  });
});
