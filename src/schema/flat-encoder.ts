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
/** Bytes per slab of encoded records (see RUNTIME). */
const SLAB_BYTES = 32 * 1024;
/** Strings shorter than this are copied into the buffer by a JS loop, longer ones by Buffer#write. */
const STRING_LOOP_LIMIT = 24;
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
      lines.push(`if (v === null) { b[p++] = ${nullByte}; } else { b[p++] = ${valueByte}; ${write} }`);
    } else {
      lines.push(write);
    }
  });
  // The most bytes the record can take besides the text of its strings and maps: reserved once at
  // the start, so fixed-size values are written without a capacity check each.
  const reserve = plans.reduce((sum, plan) => sum + (plan.nullable ? 1 : 0) + MAX_FIXED_BYTES[plan.kind], 0);
  const source = `const RESERVE = ${reserve};
${RUNTIME}
return function encodeFlatRecord(r) {
  let b = buf;
  let p = top;
  if (p + RESERVE > b.length) { p = grow(p, RESERVE); b = buf; }
  let v;
  ${lines.join('\n  ')}
  const out = b.subarray(top, p);
  top = p;
  return out;
};`;
  const factory = new Function('defaults', 'Misfit', 'allocUnsafeSlow', source) as (
    ...args: unknown[]
  ) => (record: Record<string, unknown>) => Buffer;
  return factory(
    plans.map((plan) => plan.defaultValue),
    MisfitError,
    (size: number) => Buffer.allocUnsafeSlow(size),
  );
}

/**
 * The writer state and helpers every generated encoder closes over. Records are written one after
 * another into a slab and handed out as views of it, like Node's own Buffer pool: no copy per record
 * and one allocation per slab, not per record. A slab lives as long as any record in it; a record that
 * does not fit into what is left moves, with what it has written so far, into a new one. A record that
 * fails part-way is simply overwritten by the next (top only moves on success).
 *
 * The encoder keeps the slab and its write position in locals (b and p) and the helpers take
 * and return the position: closure variables would be read and written back to memory at every byte.
 */
const RUNTIME = `
let buf = allocUnsafeSlow(${SLAB_BYTES});
let top = 0;
// Moves the record begun at top and written up to p into a new slab with room for bytes more;
// returns where the record continues there (buf is the new slab).
function grow(p, bytes) {
  const used = p - top;
  let size = ${SLAB_BYTES};
  while (size < used + bytes) size *= 2;
  const next = allocUnsafeSlow(size);
  buf.copy(next, 0, top, p);
  buf = next;
  top = 0;
  return used;
}
// Room for a string's text and RESERVE more, so the fixed-size values of the fields after it fit too.
function room(p, s) {
  const bytes = s.length * 3 + RESERVE;
  return p + bytes > buf.length ? grow(p, bytes) : p;
}
// Avro longs are zig-zag varints; callers have made room. Within int32, bit operations are exact;
// beyond, plain arithmetic (exact up to 2^53, the largest long a JS number holds).
function writeLong(b, p, n) {
  if (n >= ${INT_MIN} && n <= ${INT_MAX}) {
    let z = ((n << 1) ^ (n >> 31)) >>> 0;
    while (z > 0x7f) { b[p++] = (z & 0x7f) | 0x80; z >>>= 7; }
    b[p++] = z;
    return p;
  }
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 0x80) { b[p++] = (z % 0x80) | 0x80; z = Math.floor(z / 0x80); }
  b[p++] = z;
  return p;
}
// Lone surrogates count and encode as U+FFFD (3 bytes) in both byteLength and write, as avsc's fixed
// string type writes them, so the length prefix always matches the bytes.
// Most strings in a click record (ids, URLs, user agents) are ASCII: write the length as if every
// character were one byte, then the characters, and only when that turns out wrong (a character
// needed more than one byte) write the length again and move the bytes. Short strings are copied by
// a loop here; from STRING_LOOP_LIMIT characters on, Node's UTF-8 writer is cheaper than the loop,
// one call into C++ (measured: a 70-character URL 280 against 115 ns, 8 characters 32 against 70).
// The caller has made room (see room()).
function writeString(b, p, s) {
  const n = s.length;
  if (n < ${STRING_LOOP_LIMIT}) {
    b[p] = n << 1;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) break;
      b[p + 1 + i] = c;
    }
    if (i === n) return p + 1 + n;
  }
  const at = writeLong(b, p, n);
  // utf8Write: what Buffer#write calls after checking its arguments, which ours need not (avsc
  // writes strings the same way).
  const written = b.utf8Write(s, at, b.length - at);
  if (written === n) return at + n;
  // Not all ASCII: the real length may take more bytes than n did; then the text moves up first
  // (copyWithin copies overlapping ranges correctly) and the length goes in front of it.
  let lengthBytes = 1;
  for (let z = written * 2; z > 0x7f; z = Math.floor(z / 0x80)) lengthBytes++;
  const shift = p + lengthBytes - at;
  if (shift !== 0) b.copyWithin(at + shift, at, at + written);
  return writeLong(b, p, written) + written;
}
// A map in one block; returns the position after it (buf may be a new slab then).
function writeMap(p, m) {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new Misfit();
  const keys = Object.keys(m);
  if (keys.length > 0) {
    p = writeLong(buf, p, keys.length);
    for (const key of keys) {
      const entry = m[key];
      if (typeof entry !== 'string') throw new Misfit();
      p = room(p, key);
      p = writeString(buf, p, key);
      p = room(p, entry);
      p = writeString(buf, p, entry);
    }
  }
  return writeLong(buf, p, 0);
}`;

/**
 * The most bytes a value of each kind takes besides string text: a long or length prefix is a varint
 * of at most 10 bytes (5 for an int), a map adds its closing zero.
 */
const MAX_FIXED_BYTES: Readonly<Record<FieldPlan['kind'], number>> = {
  null: 0,
  boolean: 1,
  int: 5,
  long: 10,
  float: 4,
  double: 8,
  string: 10,
  map: 11,
};

/**
 * Source of the statement that checks and writes `v` for each kind. Fixed-size writes need no
 * capacity check: the record reserved room for all of them, and every string keeps it reserved for
 * the fields after it (see writeString).
 */
const WRITERS: Readonly<Record<FieldPlan['kind'], string>> = {
  null: 'if (v !== null) throw new Misfit();',
  boolean: "if (typeof v !== 'boolean') throw new Misfit(); b[p++] = v ? 1 : 0;",
  int: `if (typeof v !== 'number' || !Number.isInteger(v) || v < ${INT_MIN} || v > ${INT_MAX}) throw new Misfit(); p = writeLong(b, p, v);`,
  long: `if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > ${LONG_LIMIT}) throw new Misfit(); p = writeLong(b, p, v);`,
  float: "if (typeof v !== 'number') throw new Misfit(); b.writeFloatLE(v, p); p += 4;",
  double: "if (typeof v !== 'number') throw new Misfit(); b.writeDoubleLE(v, p); p += 8;",
  string:
    "if (typeof v !== 'string') throw new Misfit(); if (p + v.length * 3 + RESERVE > b.length) { p = grow(p, v.length * 3 + RESERVE); b = buf; } p = writeString(b, p, v);",
  map: 'p = writeMap(p, v); b = buf;',
};
