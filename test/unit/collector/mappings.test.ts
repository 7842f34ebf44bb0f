import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveMappings } from '../../../src/collector/mappings.js';
import {
  EventContext,
  SYNTHETIC_EVENTS,
  mapFootfall,
  syntheticEnrichment,
} from '../../../src/pipeline/index.js';
import { configFrom } from '../../support/collector.js';

const SCHEMA = JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'n', type: 'int' }] });

function resolve(mappings: string, files: Record<string, string> = {}) {
  const { config, dir } = configFrom(
    `sinks: { a: { type: file }, b: { type: file }, c: { type: file }, d: { type: file } }\nmappings:\n${mappings}`,
  );
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return { dir, resolve: () => resolveMappings(config, dir) };
}

describe('resolving the mappings of a configuration', () => {
  it('reads each schema once and shares its codec among the mappings that name it', () => {
    const { dir, resolve: run } = resolve(
      [
        '  one: { sources: [browser], sinks: [a], schema: s.avsc, mapper: ./m.mjs }',
        '  two: { sources: [browser], sinks: [b], schema: s.avsc, mapper: ./lib/m.ts }',
        '  three: { sources: [browser], sinks: [c] }',
        '',
      ].join('\n'),
      { 's.avsc': SCHEMA },
    );
    const resolved = run();
    expect([...resolved.keys()]).toEqual(['one', 'two', 'three']);
    const [one, two, three] = [...resolved.values()];
    expect(two?.schema).toBe(one?.schema);
    expect(two?.codec).toBe(one?.codec);
    expect(one?.codec.name).toBe('S');
    expect(three?.codec.name).toBe('io.footfall.ClickEvent');
    // Mapper modules are named relative to the configuration's folder; builtin mappers have none.
    expect(one?.module).toBe(path.join(dir, 'm.mjs'));
    expect(two?.module).toBe(path.join(dir, 'lib', 'm.ts'));
    expect(three?.module).toBeNull();
  });

  it('trusts the record shape only of a builtin mapper writing its own builtin schema', () => {
    const { resolve: run } = resolve(
      [
        '  own: { sources: [browser], sinks: [a], schema: builtin:footfall, mapper: builtin:footfall }',
        '  user: { sources: [browser], sinks: [b], schema: builtin:footfall, mapper: ./m.mjs }',
        '  other: { sources: [browser], sinks: [c], schema: builtin:footfall, mapper: builtin:divolte }',
        '',
      ].join('\n'),
    );
    const resolved = run();
    const own = resolved.get('own');
    expect(own?.encoder).not.toBe(own?.codec);
    expect(resolved.get('user')?.encoder).toBe(own?.codec);
    expect(resolved.get('other')?.encoder).toBe(own?.codec);

    // The full codec refuses a key the schema does not declare; the trusted one does not look.
    const { event, flags } = SYNTHETIC_EVENTS[0]!;
    const context = new EventContext(event, flags, syntheticEnrichment());
    const record = { ...mapFootfall(context.event, context), undeclared: 1 };
    expect(() => own?.codec.encode(record)).toThrow(/undeclared/);
    expect(own?.encoder.encode(record)).toBeInstanceOf(Buffer);
  });

  it('refuses an unknown builtin mapper and a schema file that is not there', () => {
    const unknown = resolve('  m: { sources: [browser], sinks: [a], mapper: builtin:nope }\n');
    expect(unknown.resolve).toThrow(
      expect.objectContaining({
        code: 'FOOTFALL_ERR_MAPPING',
        message: expect.stringMatching(/^mappings\.m\.mapper: unknown builtin mapper builtin:nope; known: /),
      }),
    );
    const missing = resolve('  m: { sources: [browser], sinks: [a], schema: gone.avsc, mapper: ./m.mjs }\n');
    expect(missing.resolve).toThrow(expect.objectContaining({ code: 'FOOTFALL_ERR_SCHEMA' }));
  });
});
