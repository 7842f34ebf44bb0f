import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAvroType } from '../../../src/schema/avro-type.js';
import { loadBuiltinSchema } from '../../../src/schema/builtin.js';
import { compileFlatEncoder } from '../../../src/schema/flat-encoder.js';
import type { AvroRecordSchema } from '../../../src/schema/types.js';

type FieldSchema = { name: string; type: unknown };

/** A generator of valid values for one field, nulls and edge values included. */
function arbitraryFor(type: unknown): fc.Arbitrary<unknown> {
  if (Array.isArray(type)) {
    const other = type.find((t) => t !== 'null');
    return fc.oneof(fc.constant(null), arbitraryFor(other));
  }
  if (typeof type === 'object' && type !== null) {
    const t = type as { type: string; values?: unknown };
    if (t.type === 'map')
      return fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), { maxKeys: 5 });
    return arbitraryFor(t.type);
  }
  switch (type) {
    case 'boolean':
      return fc.boolean();
    case 'int':
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31)));
    case 'long':
      return fc.oneof(
        fc.maxSafeInteger(),
        fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53) + 1, 0),
      );
    case 'double':
      return fc.double();
    case 'float':
      return fc.float();
    case 'string':
      // Binary units include lone surrogates, which both encoders must write as U+FFFD.
      return fc.oneof(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
      );
    default:
      throw new Error(`no generator for ${JSON.stringify(type)}`);
  }
}

function recordArbitrary(schema: AvroRecordSchema): fc.Arbitrary<Record<string, unknown>> {
  const fields = (schema as unknown as { fields: FieldSchema[] }).fields;
  return fc.record(Object.fromEntries(fields.map((f) => [f.name, arbitraryFor(f.type)])), {
    requiredKeys: [],
  });
}

/** The fields of Divolte's record that have no default. */
const MINIMAL_DIVOLTE = {
  detectedDuplicate: false,
  detectedCorruption: false,
  firstInSession: true,
  timestamp: 1,
  clientTimestamp: 2,
  remoteHost: 'h',
};

/** The records avsc can write (a generated record may lack a field without a default). */
function writable(type: ReturnType<typeof buildAvroType>, records: Record<string, unknown>[]) {
  return records.filter((r) => {
    try {
      type.toBuffer(r);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Encodes all records first and only then compares each with avsc's bytes: a later record must not
 * have overwritten an earlier one in the slab.
 */
function expectAllAsAvsc(
  flat: (r: Record<string, unknown>) => Buffer,
  type: ReturnType<typeof buildAvroType>,
  records: Record<string, unknown>[],
  label = 'record',
) {
  const written = records.map((r) => flat(r));
  // One expect for all: thousands of them cost more than the encoding.
  const differs = records.findIndex((r, i) => !written[i]!.equals(type.toBuffer(r)));
  expect(differs, `${label} ${differs} differs from avsc`).toBe(-1);
}

/** Bytes of the zig-zag varint of a non-negative length (Avro's length prefix). */
function lengthBytes(n: number): number {
  let bytes = 1;
  for (let z = n * 2; z > 0x7f; z = Math.floor(z / 0x80)) bytes++;
  return bytes;
}

/**
 * Records of a schema with every field set, every number as long as its varint gets and strings from
 * `text(i)` for the i-th field: as many bytes between strings as the schema allows.
 */
function denseRecord(schema: AvroRecordSchema, text: (i: number) => string | null): Record<string, unknown> {
  const fields = (schema as unknown as { fields: FieldSchema[] }).fields;
  return Object.fromEntries(
    fields.map((field, i) => {
      const nullable = Array.isArray(field.type);
      const kind = nullable ? (field.type as unknown[]).find((t) => t !== 'null') : field.type;
      if (typeof kind === 'object') return [field.name, {}];
      if (kind === 'string') return [field.name, text(i) ?? (nullable ? null : '')];
      if (kind === 'long') return [field.name, -(2 ** 53 - 2)];
      if (kind === 'int') return [field.name, -(2 ** 31)];
      if (kind === 'double') return [field.name, -1.5e300];
      if (kind === 'boolean') return [field.name, true];
      throw new Error(`no value for ${JSON.stringify(kind)}`);
    }),
  );
}

/**
 * Writes `record` with its slab ending `gap` bytes after its start, for every gap from the smallest
 * the fillers can leave up to one at which it fits whole, so the end of a slab falls on every byte
 * of it, after every string. Fillers (the fields without default, the strings among them empty but
 * the first, which pads) fill the slab up to there. Their padding is 3-byte characters (and up to
 * two ASCII ones), whose bytes are exactly the room the encoder asks for them, and the bytes of
 * their fields after it let them leave gaps smaller than the room a record asks for at its start:
 * the smallest gap swept is one the record cannot start in at all. The record is compared with
 * avsc's bytes at every gap (the fillers only by where they end: comparing their ~30 KB per gap too
 * would double the time); the sweep fails if a gap in the range cannot be made.
 */
function sweepSlabEnd(
  schema: AvroRecordSchema,
  record: Record<string, unknown>,
  label: string,
): { movedAtFirst: boolean; movedAtLast: boolean } {
  const type = buildAvroType(schema);
  const flat = compileFlatEncoder(type)!;
  const fields = (schema as unknown as { fields: (FieldSchema & { default?: unknown })[] }).fields;
  const required = fields.filter((f) => f.default === undefined);
  const pad = required.find((f) => f.type === 'string')!.name;
  // Every string that is not nullable empty, defaults too: each asks for room when written.
  const minimal = Object.fromEntries([
    ...required.map((f) => [f.name, f.type === 'boolean' ? false : 0]),
    ...fields.filter((f) => f.type === 'string').map((f) => [f.name, '']),
  ]);
  // The filler's bytes besides its padding text and that text's length prefix.
  const base = type.toBuffer(minimal).length - 1;
  let slab: ArrayBufferLike | undefined;
  let top = 0;
  let size = 0;
  /** Where the encoder will write next: after `out`, in its slab. */
  const after = (out: Buffer): Buffer => {
    slab = out.buffer;
    top = out.byteOffset + out.length;
    size = out.buffer.byteLength;
    return out;
  };
  const write = (r: Record<string, unknown>): Buffer => after(flat(r));
  const long = required.find((f) => f.type === 'long')!.name;
  /**
   * A filler of exactly `bytes` bytes, its required long 0 or 64 (one byte or two) where the length
   * prefix would skip a size; one of at most that many where it cannot be so small.
   */
  const filler = (bytes: number): Record<string, unknown> => {
    let n = 0;
    let extra = 0;
    for (extra = 0; extra < 2; extra++) {
      n = Math.max(0, bytes - base - extra);
      while (n > 0 && base + extra + lengthBytes(n) + n > bytes) n--;
      if (base + extra + lengthBytes(n) + n === bytes) break;
    }
    return { ...minimal, [long]: extra ? 64 : 0, [pad]: '€'.repeat(Math.floor(n / 3)) + 'x'.repeat(n % 3) };
  };
  write(minimal);
  const expected = type.toBuffer(record);
  let movedAtFirst: boolean | undefined;
  for (let gap = 0; gap < 16_000; gap++) {
    // Leave a slab that is already fuller than the gap wants (a filler with no room starts a new one).
    if (size - top - gap < base + 1) write(filler(size - top + 1));
    while (size - top - gap > 16_000) write(filler(8_000));
    const before = slab;
    write(filler(size - top - gap));
    const inPlace = slab === before && size - top === gap;
    const out = write(record);
    if (!out.equals(expected))
      expect.fail(`${label}: differs from avsc with the slab ending ${gap} bytes in`);
    const moved = out.buffer !== before;
    if (inPlace) {
      movedAtFirst ??= moved;
      if (!moved) return { movedAtFirst, movedAtLast: moved };
    } else if (movedAtFirst !== undefined) {
      expect.fail(`${label}: could not end the slab ${gap} bytes into the record`);
    }
  }
  return expect.fail(`${label}: does not fit a slab 16,000 bytes from its end`);
}

describe('the flat record encoder', () => {
  for (const name of ['footfall', 'divolte'] as const) {
    const schema = loadBuiltinSchema(name);
    const type = buildAvroType(schema);
    const flat = compileFlatEncoder(type);

    it(`writes the same bytes as avsc for any valid ${name} record`, () => {
      expect(flat).not.toBeNull();
      fc.assert(
        fc.property(recordArbitrary(schema), (record) => {
          let expected: Buffer | undefined;
          try {
            expected = type.toBuffer(record);
          } catch {
            // A required field left out: both must refuse.
            expect(() => flat!(record)).toThrow();
            return;
          }
          expect(flat!(record).toString('hex')).toBe(expected.toString('hex'));
        }),
        { numRuns: 500 },
      );
    });
  }

  it('hands out records that stay intact while later ones are written, across slabs', () => {
    // Strings around the loop/Node-writer boundary (24) and the one-/two-byte length boundary (64),
    // ASCII and not, and records large enough to need a new slab or one of their own.
    const type = buildAvroType(loadBuiltinSchema('divolte'));
    const flat = compileFlatEncoder(type)!;
    const text = fc.oneof(
      fc
        .constantFrom(23, 24, 25, 31, 32, 33, 63, 64, 65, 200)
        .chain((n) =>
          fc.oneof(
            fc.constant('a'.repeat(n)),
            fc.constant('é'.repeat(n)),
            fc.constant('a'.repeat(n - 1) + '€'),
            fc.constant('😀'.repeat(Math.ceil(n / 2))),
          ),
        ),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('x'.repeat(40_000), 'ü'.repeat(20_000)),
    );
    const record = fc.record({
      detectedDuplicate: fc.boolean(),
      detectedCorruption: fc.boolean(),
      firstInSession: fc.boolean(),
      // avsc's long bound is 2^53 - 2 (see LONG_LIMIT).
      timestamp: fc.integer({ min: -(2 ** 53 - 2), max: 2 ** 53 - 2 }),
      clientTimestamp: fc.integer({ min: -(2 ** 53 - 2), max: 2 ** 53 - 2 }),
      remoteHost: text,
      location: fc.option(text),
      userAgentString: fc.option(text),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 120 }), (records) => {
        expectAllAsAvsc(flat, type, records);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps room for the fixed-size fields after a string at the end of a slab', () => {
    // The end of a slab falls on every byte of records whose strings are empty, short ASCII, or
    // multi-byte text (lone surrogates included): a record that ran out of room after a string would
    // lose the bytes of the fields after it.
    const texts: Record<string, (i: number) => string | null> = {
      empty: () => '',
      ascii: (i) => 'a'.repeat((i * 7) % 24),
      'multi-byte': (i) => ['', 'é', '€', '😀', '\ud800'][i % 5]!.repeat(i % 9),
      'some null': (i) => (i % 3 === 0 ? null : 'ü'.repeat(i % 4)),
    };
    for (const name of ['divolte', 'footfall'] as const) {
      const schema = loadBuiltinSchema(name);
      for (const [kind, text] of Object.entries(texts)) {
        const record = denseRecord(schema, text);
        const sweep = sweepSlabEnd(schema, record, `${name}, ${kind} strings`);
        // Every gap from one the record does not start in to one it fits in whole.
        expect(sweep.movedAtFirst, `${name}, ${kind}: moved at the smallest gap`).toBe(true);
        expect(sweep.movedAtLast, `${name}, ${kind}: fits at the largest gap`).toBe(false);
      }
    }
  });

  it('writes maps of any size, alone in a slab or not', () => {
    const schema = loadBuiltinSchema('footfall');
    const type = buildAvroType(schema);
    const flat = compileFlatEncoder(type)!;
    const base = writable(type, fc.sample(recordArbitrary(schema), { numRuns: 40, seed: 7 }));
    const sizes = [0, 1, 3, 700, 2000];
    const records = base.map((r, i) => ({
      ...r,
      eventParameterValues: Object.fromEntries(
        Array.from({ length: sizes[i % sizes.length]! }, (_, k) => [`key${k}`, `é${'v'.repeat(k % 40)}`]),
      ),
    }));
    // And many records with small maps of multi-byte text, so map entries and the map's closing byte
    // meet the end of a slab at every offset.
    for (let i = 0; i < 3000; i++) {
      records.push({
        ...base[i % base.length]!,
        eventParameterValues: Object.fromEntries(
          Array.from({ length: i % 7 }, (_, k) => [`k${k}`, '😀'.repeat((i + k) % 6)]),
        ),
      });
    }
    expectAllAsAvsc(flat, type, records);
  });

  it('moves a map to a new slab wherever an entry or its end meets the end of one', () => {
    const type = buildAvroType({
      type: 'record',
      name: 'Maps',
      fields: [
        { name: 'm', type: { type: 'map', values: 'string' } },
        { name: 'n', type: 'long' },
      ],
    } as unknown as AvroRecordSchema);
    const flat = compileFlatEncoder(type)!;
    const records = Array.from({ length: 6000 }, (_, i) => ({
      m: Object.fromEntries(Array.from({ length: i % 5 }, (_, k) => [`é${k}`, '😀'.repeat((i * 7 + k) % 9)])),
      n: -(2 ** 53 - 2),
    }));
    expectAllAsAvsc(flat, type, records);
  });

  it('leaves earlier records alone when a record fails half-way', () => {
    const type = buildAvroType(loadBuiltinSchema('divolte'));
    const flat = compileFlatEncoder(type)!;
    const good = { ...MINIMAL_DIVOLTE, remoteHost: 'h'.repeat(30) };
    const first = flat(good);
    const copy = Buffer.from(first);
    expect(() => flat({ ...good, partyId: 'p'.repeat(100), sessionId: 7 })).toThrow();
    const second = flat({ ...good, remoteHost: 'other' });
    expect(first.equals(copy)).toBe(true);
    expect(second.equals(type.toBuffer({ ...good, remoteHost: 'other' }))).toBe(true);
  });

  it('refuses what avsc refuses', () => {
    const type = buildAvroType(loadBuiltinSchema('divolte'));
    const flat = compileFlatEncoder(type)!;
    const good = MINIMAL_DIVOLTE;
    expect(flat(good).equals(type.toBuffer(good))).toBe(true);
    for (const bad of [
      { ...good, timestamp: 1.5 },
      { ...good, timestamp: 2 ** 60 },
      { ...good, remoteHost: null },
      { ...good, firstInSession: 'yes' },
      { ...good, viewportPixelWidth: 2 ** 31 },
      { ...good, partyId: 7 },
      { ...good, detectedDuplicate: undefined },
    ]) {
      expect(() => type.toBuffer(bad)).toThrow();
      expect(() => flat(bad)).toThrow();
    }
  });

  it('declines schemas that are not flat, leaving them to avsc', () => {
    const nested = buildAvroType({
      type: 'record',
      name: 'Outer',
      fields: [
        { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 'a', type: 'int' }] } },
      ],
    } as unknown as AvroRecordSchema);
    expect(compileFlatEncoder(nested)).toBeNull();
    const arrays = buildAvroType({
      type: 'record',
      name: 'WithArray',
      fields: [{ name: 'a', type: { type: 'array', items: 'string' } }],
    } as unknown as AvroRecordSchema);
    expect(compileFlatEncoder(arrays)).toBeNull();
  });
});

describe('codecs with a trusted shape', () => {
  it('skip only the undeclared-key check, still refusing values of the wrong type', async () => {
    const { createCodec } = await import('../../../src/schema/codec.js');
    const schema = loadBuiltinSchema('divolte');
    const strict = createCodec(schema);
    const trusted = createCodec(schema, { trustedShape: true });
    const record = MINIMAL_DIVOLTE;
    expect(trusted.encode(record).equals(strict.encode(record))).toBe(true);
    expect(() => strict.encode({ ...record, extra: 1 })).toThrow(/not a field/);
    expect(trusted.encode({ ...record, extra: 1 }).equals(strict.encode(record))).toBe(true);
    expect(() => trusted.encode({ ...record, timestamp: 'now' })).toThrow(/timestamp/);
  });
});
