/**
 * A fast encoder for flat records: every field a primitive, a `["null", primitive]` union or a
 * `map<string>`. The builtin schemas are exactly that, and they are encoded once per event, where
 * avsc's general machinery (union index look-ups per field, one Tap call per value) costs more than
 * the rest of the pipeline together. The bytes are identical to avsc's — a property test compares
 * them — and anything outside this shape falls back to avsc.
 *
 * It only encodes what fits: a value of the wrong kind throws, and the codec turns that into a
 * RecordMismatchError with field paths, as for avsc.
 */
import type avsc from 'avsc';

type Primitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'string';

interface FieldPlan {
  readonly name: string;
  readonly kind: Primitive | 'map';
  /** True for `["null", T]` (or `[T, "null"]`); `nullIndex` is where null sits in the union. */
  readonly nullable: boolean;
  readonly nullIndex: 0 | 1;
  /** The schema default, used when the field is absent or undefined. */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
}

const PRIMITIVES = new Set<string>(['null', 'boolean', 'int', 'long', 'float', 'double', 'string']);

interface TypeView {
  readonly typeName: string;
  readonly types?: readonly TypeView[];
  readonly valuesType?: TypeView;
  readonly fields?: readonly { readonly name: string; readonly type: TypeView; defaultValue(): unknown }[];
}

/** Builds the plan, or returns null when the record is not flat (nested records, arrays, enums...). */
function planOf(type: avsc.Type): FieldPlan[] | null {
  const record = type as unknown as TypeView;
  if (record.typeName !== 'record' || !record.fields) return null;
  const plans: FieldPlan[] = [];
  for (const field of record.fields) {
    let inner = field.type;
    let nullable = false;
    let nullIndex: 0 | 1 = 0;
    if (inner.typeName === 'union:unwrapped' || inner.typeName === 'union:wrapped') {
      const members = inner.types ?? [];
      if (inner.typeName !== 'union:unwrapped' || members.length !== 2) return null;
      const index = members.findIndex((m) => m.typeName === 'null');
      if (index === -1) return null;
      nullable = true;
      nullIndex = index as 0 | 1;
      inner = members[1 - index] as TypeView;
    }
    let kind: FieldPlan['kind'];
    if (PRIMITIVES.has(inner.typeName)) kind = inner.typeName as Primitive;
    else if (inner.typeName === 'map' && inner.valuesType?.typeName === 'string') kind = 'map';
    else return null;
    const defaultValue = field.defaultValue();
    plans.push({
      name: field.name,
      kind,
      nullable,
      nullIndex,
      hasDefault: defaultValue !== undefined,
      defaultValue,
    });
  }
  return plans;
}

class MisfitError extends Error {}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const SCRATCH_BYTES = 16 * 1024;
/** avsc's bound for longs: 2^53 - 2, so that the zig-zag doubling stays exact. */
const LONG_LIMIT = 9007199254740990;

/**
 * Returns an encoder for a flat record type, or null when the type is not flat. The encoder throws on
 * a record that does not fit (the caller then reports the problems).
 *
 * The encoder is generated source: one statement per field with the field name written out, so every
 * property read is a monomorphic inline-cached load instead of a keyed look-up by a variable name —
 * for a 69-field record that is most of the difference. Field names are Avro names
 * (`[A-Za-z_][A-Za-z0-9_]*`, enforced by avsc), so they are safe to write into source.
 */
export function compileFlatEncoder(type: avsc.Type): ((record: Record<string, unknown>) => Buffer) | null {
  const plans = planOf(type);
  if (!plans) return null;
  const lines: string[] = [];
  plans.forEach((plan, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(plan.name)) throw new Error(`not an Avro field name: ${plan.name}`);
    lines.push(`v = r.${plan.name};`);
    lines.push(
      plan.hasDefault
        ? `if (v === undefined) v = defaults[${i}];`
        : 'if (v === undefined) throw new Misfit();',
    );
    const write = WRITERS[plan.kind];
    if (plan.nullable) {
      const nullByte = plan.nullIndex * 2;
      const valueByte = (1 - plan.nullIndex) * 2;
      lines.push(
        `ensure(1); if (v === null) { buf[pos++] = ${nullByte}; } else { buf[pos++] = ${valueByte}; ${write} }`,
      );
    } else {
      lines.push(write);
    }
  });
  const source = `${RUNTIME}
return function encodeFlatRecord(r) {
  pos = 0;
  let v;
  ${lines.join('\n  ')}
  const out = allocUnsafe(pos);
  buf.copy(out, 0, 0, pos);
  return out;
};`;
  const factory = new Function('defaults', 'Misfit', 'allocUnsafe', 'allocUnsafeSlow', source) as (
    ...args: unknown[]
  ) => (record: Record<string, unknown>) => Buffer;
  return factory(
    plans.map((plan) => plan.defaultValue),
    MisfitError,
    (size: number) => Buffer.allocUnsafe(size),
    (size: number) => Buffer.allocUnsafeSlow(size),
  );
}

/** The writer state and helpers every generated encoder closes over (one scratch buffer each). */
const RUNTIME = `
let buf = allocUnsafeSlow(${SCRATCH_BYTES_SOURCE()});
let pos = 0;
function ensure(bytes) {
  if (pos + bytes <= buf.length) return;
  let size = buf.length * 2;
  while (size < pos + bytes) size *= 2;
  const bigger = allocUnsafeSlow(size);
  buf.copy(bigger, 0, 0, pos);
  buf = bigger;
}
// Avro longs are zig-zag varints. Within int32, bit operations are exact; beyond, plain arithmetic
// (exact up to 2^53, the largest long a JS number holds).
function writeLong(n) {
  ensure(10);
  if (n >= ${INT_MIN} && n <= ${INT_MAX}) {
    let z = ((n << 1) ^ (n >> 31)) >>> 0;
    while (z > 0x7f) { buf[pos++] = (z & 0x7f) | 0x80; z >>>= 7; }
    buf[pos++] = z;
    return;
  }
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 0x80) { buf[pos++] = (z % 0x80) | 0x80; z = Math.floor(z / 0x80); }
  buf[pos++] = z;
}
// Lone surrogates count and encode as U+FFFD (3 bytes) in both byteLength and write, as avsc's fixed
// string type writes them, so the length prefix always matches the bytes.
// Most strings in a click record (ids, URLs, user agents) are ASCII and shorter than 8 KiB: write the
// length as if every character were one byte and copy the characters straight in, and only when a
// character turns out not to be ASCII start over the UTF-8 way. Cheaper than asking Node for the
// byte length and then writing, two calls into C++ per string.
function writeString(s) {
  const n = s.length;
  if (n < 8192) {
    const start = pos;
    ensure(n + 2);
    writeLong(n);
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) break;
      buf[pos + i] = c;
    }
    if (i === n) { pos += n; return; }
    pos = start;
  }
  const length = Buffer.byteLength(s, 'utf8');
  writeLong(length);
  ensure(length);
  buf.write(s, pos, length, 'utf8');
  pos += length;
}
function writeMap(m) {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new Misfit();
  const keys = Object.keys(m);
  if (keys.length > 0) {
    writeLong(keys.length);
    for (const key of keys) {
      const entry = m[key];
      if (typeof entry !== 'string') throw new Misfit();
      writeString(key);
      writeString(entry);
    }
  }
  writeLong(0);
}`;

function SCRATCH_BYTES_SOURCE(): string {
  return String(SCRATCH_BYTES);
}

/** Source of the statement that checks and writes `v` for each kind. */
const WRITERS: Readonly<Record<FieldPlan['kind'], string>> = {
  null: 'if (v !== null) throw new Misfit();',
  boolean: "if (typeof v !== 'boolean') throw new Misfit(); ensure(1); buf[pos++] = v ? 1 : 0;",
  int: `if (typeof v !== 'number' || !Number.isInteger(v) || v < ${INT_MIN} || v > ${INT_MAX}) throw new Misfit(); writeLong(v);`,
  long: `if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > ${LONG_LIMIT}) throw new Misfit(); writeLong(v);`,
  float: "if (typeof v !== 'number') throw new Misfit(); ensure(4); buf.writeFloatLE(v, pos); pos += 4;",
  double: "if (typeof v !== 'number') throw new Misfit(); ensure(8); buf.writeDoubleLE(v, pos); pos += 8;",
  string: "if (typeof v !== 'string') throw new Misfit(); writeString(v);",
  map: 'writeMap(v);',
};
