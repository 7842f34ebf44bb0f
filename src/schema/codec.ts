/**
 * Avro binary encoding and decoding of records, with errors that say which field is wrong.
 *
 * Rules a record must follow to be encoded (all tested):
 * - it is a plain object whose values have the JS type of their Avro type: string, boolean, number
 *   (int: a 32-bit integer; long: a safe integer; float/double: any number), an object for maps and
 *   records, an array for arrays, and `null` or the plain value for a union (never a `{"string": ...}`
 *   wrapper);
 * - a field that is absent or `undefined` is written as its schema default; a field without a default
 *   must be present. Every optional field of the builtin schemas defaults to null, so there `undefined`
 *   and `null` mean the same;
 * - a key that is not a field of the schema is an error, not ignored: it is almost always a misspelt
 *   field whose value would otherwise be lost without a trace;
 * - lone UTF-16 surrogates in strings and map keys are written as U+FFFD, so the output is always valid
 *   UTF-8 (see avro-type.ts).
 * Anything else throws RecordMismatchError; nothing that does not fit is ever written.
 */
import type avsc from 'avsc';

import { buildAvroType } from './avro-type.js';
import { DecodeError, RecordMismatchError, SchemaError, type FieldProblem } from './errors.js';
import { compileFlatEncoder } from './flat-encoder.js';
import type { AvroRecordSchema } from './types.js';

export interface Codec {
  /** The avsc type, for callers that need more than encode and decode (e.g. Avro container files). */
  readonly type: avsc.Type;
  /** Full name of the record, e.g. `io.footfall.ClickEvent`. */
  readonly name: string;
  /**
   * Lower-case hex SHA-256 of the schema's Parsing Canonical Form, as Java's
   * `SchemaNormalization.parsingFingerprint("SHA-256", schema)` computes it. Docs, defaults and field
   * order attributes do not change it; anything that changes the bytes on the wire does. SHA-256 rather
   * than MD5 because the Avro spec recommends it where fingerprints must not collide.
   */
  readonly fingerprint: string;
  /** Encodes a record as naked Avro binary; throws RecordMismatchError when it does not fit. */
  encode(record: unknown): Buffer;
  /** Decodes naked Avro binary written with this schema; throws DecodeError on bad bytes. */
  decode(buf: Buffer): unknown;
}

// Most records fit the first scratch buffer; it grows on demand up to a size still worth keeping.
const INITIAL_SCRATCH_BYTES = 16 * 1024;
const MAX_RETAINED_SCRATCH_BYTES = 1024 * 1024;

interface RecordTypeView extends avsc.Type {
  readonly fields: readonly { readonly name: string; readonly type: avsc.Type }[];
}

export interface CodecOptions {
  /**
   * Skip the check for keys that are not fields of the schema. Only for records whose shape the type
   * system already guarantees (a builtin mapper writing its own builtin schema): the check walks every
   * key of every record and costs about as much as encoding a flat record.
   */
  readonly trustedShape?: boolean;
}

export function createCodec(schema: AvroRecordSchema, options: CodecOptions = {}): Codec {
  let type: avsc.Type;
  try {
    type = buildAvroType(schema);
  } catch (err) {
    throw new SchemaError(`not a valid Avro schema: ${(err as Error).message}`, { cause: err });
  }
  if (type.typeName !== 'record') {
    throw new SchemaError(`a codec needs a record schema, got type ${type.typeName}`);
  }
  const recordType = type as RecordTypeView;
  const name = recordType.name ?? '(anonymous record)';
  const declared = new Set(recordType.fields.map((f) => f.name));
  // A flat record (the builtins) only needs its top-level keys checked; nested records need avsc's
  // full walk, which costs about as much as the encoding itself.
  const nested = hasNestedRecord(recordType);
  let scratch = Buffer.allocUnsafeSlow(INITIAL_SCRATCH_BYTES);

  const mismatch = (record: unknown, cause?: unknown): RecordMismatchError => {
    let problems: FieldProblem[] = [];
    try {
      problems = findProblems(recordType, record);
    } catch {
      // Reading the record threw again (a throwing getter or proxy); the fallback below covers it.
    }
    if (problems.length === 0) {
      // isValid and the writer disagree (a throwing getter, an avsc corner we do not know). avsc's own
      // message may quote a value, so it stays in `cause` and out of the message.
      const kind = cause instanceof Error ? cause.name : typeof cause;
      return new RecordMismatchError(name, [{ path: '', reason: `cannot be encoded (${kind}; see cause)` }], {
        cause,
      });
    }
    return new RecordMismatchError(name, problems);
  };

  // Flat records (the builtins) take the fast path; anything else goes through avsc.
  const flat = nested ? null : compileFlatEncoder(type);
  const write = (record: object): Buffer => {
    if (flat) return flat(record as Record<string, unknown>);
    let end = type.encode(record, scratch, 0);
    if (end >= 0) {
      const out = Buffer.allocUnsafe(end);
      scratch.copy(out, 0, 0, end);
      return out;
    }
    // A negative result is the number of bytes that did not fit.
    const needed = scratch.length - end;
    if (needed > MAX_RETAINED_SCRATCH_BYTES) {
      const out = Buffer.allocUnsafe(needed);
      type.encode(record, out, 0);
      return out;
    }
    let size = scratch.length;
    while (size < needed) size *= 2;
    scratch = Buffer.allocUnsafeSlow(size);
    end = type.encode(record, scratch, 0);
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };

  return {
    type,
    name,
    fingerprint: type.fingerprint('sha256').toString('hex'),
    encode(record: unknown): Buffer {
      if (record === null || typeof record !== 'object' || Array.isArray(record)) throw mismatch(record);
      if (nested) {
        if (!type.isValid(record, { noUndeclaredFields: true })) throw mismatch(record);
      } else {
        if (!options.trustedShape) {
          for (const key of Object.keys(record)) if (!declared.has(key)) throw mismatch(record);
        }
      }
      try {
        return write(record);
      } catch (err) {
        throw mismatch(record, err);
      }
    },
    decode(buf: Buffer): unknown {
      try {
        return type.fromBuffer(buf);
      } catch (err) {
        throw new DecodeError(`cannot decode ${name} from ${buf.length} bytes: ${(err as Error).message}`, {
          cause: err,
        });
      }
    },
  };
}

/** The slow path, taken only once a record is known to be bad: every problem, with its field path. */
function findProblems(type: RecordTypeView, record: unknown): FieldProblem[] {
  // One problem for the whole value; avsc would treat an array as a record with every field missing.
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return [{ path: '', reason: `expected ${label(type)}, got ${describe(record)}` }];
  }
  const problems: FieldProblem[] = [];
  // First pass: values of the wrong type. With noUndeclaredFields avsc would stop at the first record
  // holding an unknown key and hide the type errors inside it, hence two passes.
  type.isValid(record, {
    errorHook: (path, value, expected) => {
      problems.push({ path: path.join('.'), reason: reasonFor(value, expected) });
    },
  });
  type.isValid(record, {
    noUndeclaredFields: true,
    errorHook: (path, value, expected) => {
      if (expected.typeName !== 'record' || value === null || typeof value !== 'object') return;
      const fields = new Set((expected as RecordTypeView).fields.map((f) => f.name));
      for (const key of Object.keys(value)) {
        if (!fields.has(key)) {
          problems.push({ path: [...path, key].join('.'), reason: 'not a field of the schema' });
        }
      }
    },
  });
  return problems;
}

function reasonFor(value: unknown, expected: avsc.Type): string {
  if (value === undefined) return `missing; the field has no default (expected ${label(expected)})`;
  return `expected ${label(expected)}, got ${describe(value)}`;
}

/** Avro type in a word or two: `int`, `null | string`, `map<string>`, `io.footfall.ClickEvent`. */
function label(type: avsc.Type): string {
  const t = type as avsc.Type & { types?: avsc.Type[]; valuesType?: avsc.Type; itemsType?: avsc.Type };
  if (t.types) return t.types.map(label).join(' | ');
  if (t.valuesType) return `map<${label(t.valuesType)}>`;
  if (t.itemsType) return `array<${label(t.itemsType)}>`;
  return t.name ?? t.typeName;
}

/** Describes a value without quoting strings: they may be personal data, and this text goes to logs. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return 'a string';
    case 'object':
      if (Array.isArray(value)) return 'an array';
      if (Buffer.isBuffer(value)) return 'a buffer';
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

function hasNestedRecord(root: avsc.Type): boolean {
  const seen = new Set<avsc.Type>([root]);
  const children = (type: avsc.Type): avsc.Type[] => {
    const t = type as avsc.Type & {
      fields?: { type: avsc.Type }[];
      types?: avsc.Type[];
      valuesType?: avsc.Type;
      itemsType?: avsc.Type;
    };
    return [
      ...(t.fields?.map((f) => f.type) ?? []),
      ...(t.types ?? []),
      ...(t.valuesType ? [t.valuesType] : []),
      ...(t.itemsType ? [t.itemsType] : []),
    ];
  };
  const queue = children(root);
  while (queue.length > 0) {
    const type = queue.pop() as avsc.Type;
    if (seen.has(type)) continue;
    seen.add(type);
    if (type.typeName === 'record' || type.typeName === 'error') return true;
    queue.push(...children(type));
  }
  return false;
}
