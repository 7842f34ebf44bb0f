import { describe, expect, it } from 'vitest';

import {
  createCodec,
  DecodeError,
  loadBuiltinSchema,
  RecordMismatchError,
  SchemaError,
  type AvroRecordSchema,
} from '../../../src/schema/index.js';
import {
  fullDivolteRecord,
  fullFootfallRecord,
  minimalDivolteRecord,
  minimalFootfallRecord,
} from './samples.js';

const divolte = createCodec(loadBuiltinSchema('divolte'));
const footfall = createCodec(loadBuiltinSchema('footfall'));

/** Runs `fn`, expecting a RecordMismatchError, and returns it. */
function mismatch(fn: () => unknown): RecordMismatchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RecordMismatchError);
    expect((err as RecordMismatchError).code).toBe('FOOTFALL_ERR_RECORD_MISMATCH');
    return err as RecordMismatchError;
  }
  throw new Error('expected a RecordMismatchError, but the record was encoded');
}

describe('createCodec', () => {
  it('round-trips a full record of each builtin schema', () => {
    const d = fullDivolteRecord();
    expect({ ...(divolte.decode(divolte.encode(d)) as object) }).toEqual(d);
    const f = fullFootfallRecord();
    expect({ ...(footfall.decode(footfall.encode(f)) as object) }).toEqual(f);
  });

  it('round-trips a minimal record, filling in the schema defaults', () => {
    const d = divolte.decode(divolte.encode(minimalDivolteRecord())) as Record<string, unknown>;
    expect(d).toMatchObject({
      ...minimalDivolteRecord(),
      eventType: 'unknown',
      referer: null,
      partyId: null,
    });

    const f = footfall.decode(footfall.encode(minimalFootfallRecord())) as Record<string, unknown>;
    expect(f).toMatchObject({
      ...minimalFootfallRecord(),
      eventType: 'unknown',
      eventParameterValues: {},
      isBot: false,
      devicePixelRatio: null,
      asn: null,
      refererInternal: null,
    });
  });

  it('writes undefined in an optional field exactly like null', () => {
    const withNull = { ...minimalDivolteRecord(), viewportPixelWidth: null, referer: null };
    const withUndefined = { ...minimalDivolteRecord(), viewportPixelWidth: undefined, referer: undefined };
    expect(divolte.encode(withUndefined)).toEqual(divolte.encode(withNull));
  });

  it('writes an absent field with a non-null default as that default', () => {
    const decoded = divolte.decode(divolte.encode({ ...minimalDivolteRecord(), eventType: undefined }));
    expect(decoded).toMatchObject({ eventType: 'unknown' });
  });

  it('exposes the full record name and a SHA-256 hex fingerprint', () => {
    expect(footfall.name).toBe('io.footfall.ClickEvent');
    expect(footfall.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(footfall.type.typeName).toBe('record');
  });

  it('gives the same fingerprint whatever the docs and defaults say, and another one for other types', () => {
    const base: AvroRecordSchema = {
      type: 'record',
      name: 'a.R',
      fields: [{ name: 'x', type: ['null', 'int'] }],
    };
    const documented = {
      ...base,
      doc: 'v2',
      fields: [{ name: 'x', type: ['null', 'int'], default: null, doc: 'x' }],
    };
    const retyped = { ...base, fields: [{ name: 'x', type: ['null', 'long'] }] };
    expect(createCodec(documented).fingerprint).toBe(createCodec(base).fingerprint);
    expect(createCodec(retyped).fingerprint).not.toBe(createCodec(base).fingerprint);
  });

  it('rejects a string where an int is expected, naming the field', () => {
    const err = mismatch(() => divolte.encode({ ...minimalDivolteRecord(), screenPixelWidth: '1728' }));
    expect(err.problems).toEqual([{ path: 'screenPixelWidth', reason: 'expected null | int, got a string' }]);
    expect(err.message).toBe(
      'record does not fit schema io.divolte.record.DefaultEventRecord: screenPixelWidth: expected null | int, got a string',
    );
  });

  it('rejects a fraction in an int field instead of truncating it', () => {
    const err = mismatch(() => divolte.encode({ ...minimalDivolteRecord(), viewportPixelWidth: 1.5 }));
    expect(err.problems).toEqual([{ path: 'viewportPixelWidth', reason: 'expected int, got 1.5' }]);
  });

  it('rejects numbers outside the range of int and long', () => {
    expect(
      mismatch(() => divolte.encode({ ...minimalDivolteRecord(), viewportPixelWidth: 2 ** 31 })).problems,
    ).toEqual([{ path: 'viewportPixelWidth', reason: `expected int, got ${2 ** 31}` }]);
    expect(
      mismatch(() => divolte.encode({ ...minimalDivolteRecord(), timestamp: 2 ** 53 })).problems,
    ).toEqual([{ path: 'timestamp', reason: `expected long, got ${2 ** 53}` }]);
  });

  it('rejects a missing required field and a null one', () => {
    const { remoteHost: _gone, ...withoutHost } = minimalDivolteRecord();
    expect(mismatch(() => divolte.encode(withoutHost)).problems).toEqual([
      { path: 'remoteHost', reason: 'missing; the field has no default (expected string)' },
    ]);
    expect(mismatch(() => footfall.encode({ ...minimalFootfallRecord(), eventId: null })).problems).toEqual([
      { path: 'eventId', reason: 'expected string, got null' },
    ]);
  });

  it('rejects a field that is not in the schema instead of dropping it', () => {
    const err = mismatch(() => footfall.encode({ ...minimalFootfallRecord(), utmsource: 'news' }));
    expect(err.problems).toEqual([{ path: 'utmsource', reason: 'not a field of the schema' }]);
  });

  it('lists every problem of a record at once, unknown fields included', () => {
    const err = mismatch(() =>
      footfall.encode({ ...minimalFootfallRecord(), newParty: 'yes', latitude: '52.1', extra: 1, isBot: 0 }),
    );
    expect(err.problems.map((p) => p.path)).toEqual(['newParty', 'isBot', 'latitude', 'extra']);
  });

  it('names the key of a map value of the wrong type', () => {
    const err = mismatch(() =>
      footfall.encode({ ...minimalFootfallRecord(), eventParameterValues: { colour: 'red', size: 42 } }),
    );
    expect(err.problems).toEqual([{ path: 'eventParameterValues.size', reason: 'expected string, got 42' }]);
  });

  it('rejects wrapped union values, since records carry plain values', () => {
    const err = mismatch(() => divolte.encode({ ...minimalDivolteRecord(), referer: { string: 'x' } }));
    expect(err.problems).toEqual([{ path: 'referer', reason: 'expected null | string, got an object' }]);
  });

  it('rejects what is not a record object', () => {
    for (const value of [null, undefined, 'record', 42, [fullDivolteRecord()]]) {
      const err = mismatch(() => divolte.encode(value));
      expect(err.problems).toHaveLength(1);
      expect(err.problems[0]?.path).toBe('');
      expect(err.problems[0]?.reason).toMatch(/^expected io\.divolte\.record\.DefaultEventRecord, got /);
    }
  });

  it('never quotes string contents in its message, since records hold personal data', () => {
    const err = mismatch(() => divolte.encode({ ...fullDivolteRecord(), timestamp: 'secret-party-id' }));
    expect(err.message).not.toContain('secret');
    expect(err.message).not.toContain('203.0.113.7');
    expect(err.cause).toBeUndefined();
  });

  it('caps the message on records with many problems but keeps all of them in problems', () => {
    const err = mismatch(() => footfall.encode({}));
    expect(err.problems.map((p) => p.path)).toEqual([
      'detectedDuplicate',
      'detectedCorruption',
      'firstInSession',
      'timestamp',
      'clientTimestamp',
      'remoteHost',
      'eventId',
      'sourceName',
      'newParty',
    ]);
    expect(err.message).not.toMatch(/more$/);
    const many = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`bogus${i}`, i]));
    const err2 = mismatch(() => footfall.encode({ ...minimalFootfallRecord(), ...many }));
    expect(err2.problems).toHaveLength(15);
    expect(err2.message).toMatch(/; and 5 more$/);
  });

  it('reports a record that throws while being read as a mismatch, keeping the error as cause', () => {
    const record = { ...minimalDivolteRecord() };
    Object.defineProperty(record, 'eventType', {
      enumerable: true,
      get: () => {
        throw new RangeError('boom');
      },
    });
    const err = mismatch(() => divolte.encode(record));
    expect(err.problems).toEqual([{ path: '', reason: 'cannot be encoded (RangeError; see cause)' }]);
    expect(err.cause).toBeInstanceOf(RangeError);
  });

  it('encodes correctly after rejecting a record', () => {
    const good = divolte.encode(fullDivolteRecord());
    mismatch(() => divolte.encode({ ...fullDivolteRecord(), location: 7 }));
    expect(divolte.encode(fullDivolteRecord())).toEqual(good);
  });

  it('writes lone surrogates as U+FFFD, the way Buffer does, so strict UTF-8 readers never choke', () => {
    const record = {
      ...minimalFootfallRecord(),
      eventType: 'click\ud800',
      eventParameters: `${'x'.repeat(80)}\udc00`,
      eventParameterValues: { 'k\ud83d': 'v\udfff' },
    };
    const repaired = {
      ...record,
      eventType: 'click\ufffd',
      eventParameters: `${'x'.repeat(80)}\ufffd`,
      eventParameterValues: { 'k\ufffd': 'v\ufffd' },
    };
    const bytes = footfall.encode(record);
    expect(bytes).toEqual(footfall.encode(repaired));
    // ED A0..BF is how a surrogate looks in CESU-8; it must never reach the wire.
    expect(bytes.includes(Buffer.from([0xed, 0xa0, 0x80]))).toBe(false);
    expect(footfall.decode(bytes)).toMatchObject(repaired);
    // Well-formed pairs are untouched.
    const emoji = { ...minimalFootfallRecord(), eventType: 'ok \ud83d\ude00' };
    expect(footfall.decode(footfall.encode(emoji))).toMatchObject({ eventType: 'ok 😀' });
  });

  it('encodes records larger than its scratch buffer, small and huge', () => {
    for (const size of [20_000, 100_000, 2_000_000]) {
      const record = { ...fullFootfallRecord(), eventParameters: 'p'.repeat(size) };
      const bytes = footfall.encode(record);
      expect({ ...(footfall.decode(bytes) as object) }).toEqual(record);
    }
    expect({ ...(footfall.decode(footfall.encode(fullFootfallRecord())) as object) }).toEqual(
      fullFootfallRecord(),
    );
  });

  it('checks nested records of custom schemas, unknown fields included', () => {
    const codec = createCodec({
      type: 'record',
      name: 'shop.Order',
      fields: [
        { name: 'id', type: 'string' },
        {
          name: 'customer',
          type: ['null', { type: 'record', name: 'Customer', fields: [{ name: 'age', type: 'int' }] }],
          default: null,
        },
        { name: 'items', type: { type: 'array', items: 'string' }, default: [] },
      ],
    });
    expect(codec.decode(codec.encode({ id: 'o1', customer: { age: 40 }, items: ['a'] }))).toMatchObject({
      customer: { age: 40 },
      items: ['a'],
    });
    expect(mismatch(() => codec.encode({ id: 'o1', customer: { age: 40, name: 'x' } })).problems).toEqual([
      { path: 'customer.name', reason: 'not a field of the schema' },
    ]);
    expect(mismatch(() => codec.encode({ id: 'o1', customer: { age: 4.5 }, items: [1] })).problems).toEqual([
      { path: 'customer.age', reason: 'expected int, got 4.5' },
      { path: 'items.0', reason: 'expected string, got 1' },
    ]);
  });

  it('refuses schemas whose unions cannot be told apart from plain values', () => {
    const ambiguous: AvroRecordSchema = {
      type: 'record',
      name: 'A',
      fields: [{ name: 'n', type: ['int', 'long'] }],
    };
    expect(() => createCodec(ambiguous)).toThrow(SchemaError);
    expect(() => createCodec(ambiguous)).toThrow(/ambiguous/);
  });

  it('refuses invalid schemas and schemas that are not records', () => {
    const broken = { type: 'record', name: 'B', fields: [{ name: 'x', type: 'strng' }] } as const;
    expect(() => createCodec(broken)).toThrow(/not a valid Avro schema: undefined type name: strng/);
    const notRecord = { type: 'map', values: 'string' } as unknown as AvroRecordSchema;
    expect(() => createCodec(notRecord)).toThrow(/needs a record schema, got type map/);
  });

  it('throws DecodeError on truncated or trailing bytes', () => {
    const bytes = divolte.encode(fullDivolteRecord());
    expect(() => divolte.decode(bytes.subarray(0, bytes.length - 3))).toThrow(DecodeError);
    expect(() => divolte.decode(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/trailing data/);
    try {
      divolte.decode(Buffer.alloc(0));
    } catch (err) {
      expect((err as DecodeError).code).toBe('FOOTFALL_ERR_DECODE');
    }
  });
});
