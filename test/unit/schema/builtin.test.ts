import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  BUILTIN_SCHEMAS,
  createCodec,
  loadBuiltinSchema,
  resolveSchema,
  SchemaError,
} from '../../../src/schema/index.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-schema-'));
  mkdirSync(join(dir, 'schemas'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

function schemaError(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaError);
    expect((err as SchemaError).code).toBe('FOOTFALL_ERR_SCHEMA');
    return err as SchemaError;
  }
  throw new Error('expected a SchemaError');
}

const userSchema = {
  type: 'record',
  name: 'Click',
  namespace: 'com.example',
  fields: [
    { name: 'partyId', type: 'string' },
    { name: 'page', type: ['null', 'string'], default: null },
  ],
};

describe('loadBuiltinSchema', () => {
  it('knows the divolte and footfall schemas', () => {
    expect(BUILTIN_SCHEMAS).toEqual(['divolte', 'footfall']);
    expect(loadBuiltinSchema('divolte').name).toBe('DefaultEventRecord');
    expect(loadBuiltinSchema('footfall').name).toBe('ClickEvent');
  });

  it('hands out one cached, frozen copy that nobody can change for the others', () => {
    const schema = loadBuiltinSchema('footfall');
    expect(loadBuiltinSchema('footfall')).toBe(schema);
    expect(Object.isFrozen(schema)).toBe(true);
    expect(Object.isFrozen(schema.fields[0])).toBe(true);
    expect(() => {
      (schema.fields as unknown[]).push({ name: 'x', type: 'int' });
    }).toThrow(TypeError);
    // avsc only reads the schema, so the frozen copy builds a working codec.
    expect(createCodec(schema).name).toBe('io.footfall.ClickEvent');
  });

  it('refuses an unknown name', () => {
    expect(schemaError(() => loadBuiltinSchema('clicks' as 'footfall')).message).toBe(
      'unknown builtin schema "clicks"; known: divolte, footfall',
    );
  });
});

describe('resolveSchema', () => {
  it('resolves builtin:divolte and builtin:footfall to the builtin schemas', () => {
    expect(resolveSchema('builtin:divolte', '/nowhere')).toBe(loadBuiltinSchema('divolte'));
    expect(resolveSchema('builtin:footfall', '/nowhere')).toBe(loadBuiltinSchema('footfall'));
  });

  it('refuses an unknown builtin and lists the known ones', () => {
    expect(schemaError(() => resolveSchema('builtin:default', dir)).message).toBe(
      'unknown builtin schema "builtin:default"; known: builtin:divolte, builtin:footfall',
    );
  });

  it('reads a user schema file relative to the base directory', () => {
    write('schemas/click.avsc', JSON.stringify(userSchema));
    expect(resolveSchema('schemas/click.avsc', dir)).toEqual(userSchema);
    expect(resolveSchema('./click.avsc', join(dir, 'schemas'))).toEqual(userSchema);
  });

  it('reads a user schema file given by an absolute path', () => {
    write('absolute.avsc', JSON.stringify(userSchema));
    expect(resolveSchema(join(dir, 'absolute.avsc'), '/elsewhere')).toEqual(userSchema);
  });

  it('names the full path of a missing file', () => {
    const err = schemaError(() => resolveSchema('schemas/missing.avsc', dir));
    expect(err.message).toBe(`schema file ${join(dir, 'schemas/missing.avsc')} not found`);
  });

  it('says so when the path is a directory', () => {
    expect(schemaError(() => resolveSchema('schemas', dir)).message).toMatch(/cannot be read: EISDIR/);
  });

  it('refuses an empty reference', () => {
    expect(schemaError(() => resolveSchema('  ', dir)).message).toBe('schema reference is empty');
  });

  it('refuses a file that is not JSON and quotes the parser', () => {
    write('broken.avsc', '{ "type": "record", ');
    const err = schemaError(() => resolveSchema('broken.avsc', dir));
    expect(err.message).toMatch(new RegExp(`^schema file ${join(dir, 'broken.avsc')} is not valid JSON: `));
  });

  it("refuses an invalid Avro schema and includes avsc's message", () => {
    write('invalid.avsc', JSON.stringify({ ...userSchema, fields: [{ name: 'page', type: 'strng' }] }));
    const err = schemaError(() => resolveSchema('invalid.avsc', dir));
    expect(err.message).toBe(
      `schema file ${join(dir, 'invalid.avsc')} is not a valid Avro schema: undefined type name: com.example.strng`,
    );
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('refuses a default that does not match its field type', () => {
    write(
      'bad-default.avsc',
      JSON.stringify({ ...userSchema, fields: [{ name: 'n', type: 'int', default: 'x' }] }),
    );
    expect(schemaError(() => resolveSchema('bad-default.avsc', dir)).message).toMatch(
      /not a valid Avro schema/,
    );
  });

  it('refuses a schema without a record at the top level', () => {
    write('string.avsc', '"string"');
    expect(schemaError(() => resolveSchema('string.avsc', dir)).message).toBe(
      `schema file ${join(dir, 'string.avsc')} must have a record at the top level (found "string")`,
    );
    write('enum.avsc', JSON.stringify({ type: 'enum', name: 'E', symbols: ['A'] }));
    expect(schemaError(() => resolveSchema('enum.avsc', dir)).message).toMatch(/\(found type "enum"\)$/);
  });

  it('refuses a schema the codec could not encode plain values with, before any event arrives', () => {
    write(
      'ambiguous.avsc',
      JSON.stringify({ ...userSchema, fields: [{ name: 'n', type: ['int', 'long'] }] }),
    );
    expect(schemaError(() => resolveSchema('ambiguous.avsc', dir)).message).toMatch(
      /ambiguous unwrapped union/,
    );
  });
});
