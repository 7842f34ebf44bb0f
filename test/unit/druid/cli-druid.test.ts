import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { druidSpecCommand } from '../../../src/cli/druid.js';
import { renderSessionSupervisorSpec, renderSupervisorSpec } from '../../../src/druid/index.js';
import { loadBuiltinSchema } from '../../../src/schema/index.js';

const footfall = loadBuiltinSchema('footfall');

function captured(stream: 'stdout' | 'stderr'): () => string {
  let text = '';
  vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  return () => text;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('footfall druid-spec', () => {
  it('prints the default spec, the one committed in docker/druid', () => {
    const stdout = captured('stdout');
    expect(druidSpecCommand([])).toBe(0);
    expect(stdout()).toBe(renderSupervisorSpec(footfall));
  });

  it('prints the session spec with --sessions, the one committed in docker/druid', () => {
    const stdout = captured('stdout');
    expect(druidSpecCommand(['--sessions'])).toBe(0);
    expect(stdout()).toBe(renderSessionSupervisorSpec(footfall));
  });

  it('writes a spec for another cluster to --out', () => {
    captured('stderr');
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'footfall-spec-')), 'spec.json');
    const args = [
      '--topic',
      'web',
      '--brokers',
      '10.0.0.5:9092',
      '--framing',
      'druid-inline',
      '--schema-id',
      '3',
    ];
    expect(druidSpecCommand([...args, '--datasource', 'site', '--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      renderSupervisorSpec(footfall, {
        topic: 'web',
        brokers: '10.0.0.5:9092',
        framing: 'druid-inline',
        schemaId: 3,
        dataSource: 'site',
      }),
    );
  });

  it('exits 2 with the reason on a framing Druid cannot read', () => {
    const stderr = captured('stderr');
    expect(druidSpecCommand(['--framing', 'confluent'])).toBe(2);
    expect(stderr()).toMatch(/FOOTFALL_ERR_SPEC: .*schema registry/);
  });

  it('exits 2 on an unknown option and shows its usage', () => {
    const stderr = captured('stderr');
    expect(druidSpecCommand(['--topc', 'x'])).toBe(2);
    expect(stderr()).toMatch(/Usage: footfall druid-spec/);
  });
});
