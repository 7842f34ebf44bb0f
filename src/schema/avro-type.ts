/**
 * Turns Avro schema JSON into an avsc Type with the options every part of Footfall must share, so that
 * a schema accepted at start-up (resolveSchema) is exactly the one the codec later encodes with.
 */
import avsc from 'avsc';

import type { AvroRecordSchema } from './types.js';

/**
 * The avsc internals we extend. `_write` is not in avsc's typings, but it is the method every composite
 * type calls for its children, so overriding it is the only way to reach strings nested in unions and maps.
 */
interface WritableType extends avsc.Type {
  _write(tap: unknown, value: unknown): void;
}

// lib ES2023 does not declare these yet; Node 20 has them (V8 11.3).
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

function wellFormed(value: string): string {
  const s = value as unknown as WellFormedString;
  return s.isWellFormed() ? value : s.toWellFormed();
}

const StringTypeBase = avsc.types.StringType as unknown as new () => WritableType;
const MapTypeBase = avsc.types.MapType as unknown as new (schema: unknown, opts: unknown) => WritableType;

/**
 * avsc 5.7.9 encodes strings of up to 64 bytes with its own loop, which writes a lone surrogate (possible
 * in strings that came from JSON, e.g. "\ud800") as the 3-byte CESU sequence ED A0 80: invalid UTF-8
 * that strict decoders (Python, Rust) refuse, so one bad event could stall a consumer. Longer strings go
 * through Buffer and get U+FFFD. We make the short path agree with the long one.
 */
class WellFormedStringType extends StringTypeBase {
  override _write(tap: unknown, value: unknown): void {
    super._write(tap, typeof value === 'string' ? wellFormed(value) : value);
  }
}

/** Map keys bypass the string type in avsc, so they need the same repair. */
class WellFormedKeysMapType extends MapTypeBase {
  override _write(tap: unknown, value: unknown): void {
    super._write(tap, withWellFormedKeys(value));
  }
}

function withWellFormedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  if (keys.every((key) => (key as unknown as WellFormedString).isWellFormed())) return value;
  const repaired: Record<string, unknown> = {};
  for (const key of keys) repaired[wellFormed(key)] = source[key];
  return repaired;
}

function typeHook(schema: unknown, opts: unknown): avsc.Type | undefined {
  if (schema === 'string') return new WellFormedStringType();
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const kind = (schema as { type?: unknown }).type;
  if (kind === 'string') return new WellFormedStringType();
  if (kind === 'map') return new WellFormedKeysMapType(schema, opts);
  return undefined;
}

/**
 * Builds the avsc Type for a schema; throws avsc's own Error when the schema is not valid Avro.
 *
 * Unions are always unwrapped: the mapper produces plain JS values (`null` or the value itself), never
 * `{"string": ...}` wrappers. A union whose branch cannot be told from a plain value (e.g. int and long,
 * or two records) is therefore rejected here, at start-up, instead of failing every event later.
 */
export function buildAvroType(schema: AvroRecordSchema): avsc.Type {
  return avsc.Type.forSchema(schema as unknown as Parameters<typeof avsc.Type.forSchema>[0], {
    wrapUnions: 'never',
    // Decoded records become plain data objects; nothing enumerable sneaks in through their prototype.
    omitRecordMethods: true,
    typeHook: typeHook as unknown as avsc.ForSchemaOptions['typeHook'],
  });
}
