/**
 * The builtin schemas and the resolution of the `schema:` setting of a mapping. All of this runs at
 * start-up (config validation), so it reads synchronously and fails with one clear SchemaError.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildAvroType } from './avro-type.js';
import { SchemaError } from './errors.js';
import type { AvroRecordSchema } from './types.js';

export const BUILTIN_SCHEMAS = ['divolte', 'footfall'] as const;
export type BuiltinSchemaName = (typeof BUILTIN_SCHEMAS)[number];

/** Prefix that marks a schema reference as builtin (`builtin:footfall`) rather than a file path. */
const BUILTIN_PREFIX = 'builtin:';

const cache = new Map<BuiltinSchemaName, AvroRecordSchema>();

/**
 * Returns the JSON of a builtin schema. The result is shared and deeply frozen, so one caller cannot
 * change what the next one gets.
 */
export function loadBuiltinSchema(name: BuiltinSchemaName): AvroRecordSchema {
  const cached = cache.get(name);
  if (cached) return cached;
  if (!isBuiltinName(name)) {
    throw new SchemaError(`unknown builtin schema "${String(name)}"; known: ${BUILTIN_SCHEMAS.join(', ')}`);
  }
  // Resolved next to this module, so it works from src/ under vitest and from dist/ once the build has
  // copied the .avsc files there.
  const url = new URL(`./${name}.avsc`, import.meta.url);
  const what = `builtin schema file ${fileURLToPath(url)}`;
  const schema = deepFreeze(parseSchemaText(readSchemaText(url, what), what));
  validate(schema, what);
  cache.set(name, schema);
  return schema;
}

/**
 * Resolves a mapping's schema reference: `builtin:divolte`, `builtin:footfall`, or the path of a user
 * `.avsc` file, relative to `baseDir` (the directory of the configuration file). The schema is checked
 * with the same avsc options the codec uses, so what passes here also encodes.
 */
export function resolveSchema(ref: string, baseDir: string): AvroRecordSchema {
  if (ref.startsWith(BUILTIN_PREFIX)) {
    const name = ref.slice(BUILTIN_PREFIX.length);
    if (!isBuiltinName(name)) {
      throw new SchemaError(
        `unknown builtin schema "${ref}"; known: ${BUILTIN_SCHEMAS.map((n) => BUILTIN_PREFIX + n).join(', ')}`,
      );
    }
    return loadBuiltinSchema(name);
  }
  if (ref.trim() === '') throw new SchemaError('schema reference is empty');
  const path = resolve(baseDir, ref);
  const what = `schema file ${path}`;
  const schema = parseSchemaText(readSchemaText(path, what), what);
  validate(schema, what);
  return schema;
}

function isBuiltinName(name: string): name is BuiltinSchemaName {
  return (BUILTIN_SCHEMAS as readonly string[]).includes(name);
}

function readSchemaText(location: string | URL, what: string): string {
  try {
    return readFileSync(location, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SchemaError(`${what} not found`, { cause: err });
    throw new SchemaError(`${what} cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

function parseSchemaText(text: string, what: string): AvroRecordSchema {
  try {
    return JSON.parse(text) as AvroRecordSchema;
  } catch (err) {
    throw new SchemaError(`${what} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

function validate(schema: AvroRecordSchema, what: string): void {
  // Checked before avsc sees it: avsc happily accepts `"string"` as a whole schema, but a mapping needs
  // named fields to fill.
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema) || schema.type !== 'record') {
    throw new SchemaError(`${what} must have a record at the top level (found ${describeTop(schema)})`);
  }
  try {
    buildAvroType(schema);
  } catch (err) {
    throw new SchemaError(`${what} is not a valid Avro schema: ${(err as Error).message}`, { cause: err });
  }
}

function describeTop(schema: unknown): string {
  if (schema === null) return 'null';
  if (Array.isArray(schema)) return 'a union';
  if (typeof schema === 'object') return `type ${JSON.stringify((schema as { type?: unknown }).type)}`;
  return JSON.stringify(schema);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
