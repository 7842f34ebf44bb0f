import { describe, expect, it } from 'vitest';

import { FRAMINGS, frame, FramingError, unframe, type Framing } from '../../../src/schema/index.js';

const payload = Buffer.from([0xca, 0xfe, 0xba, 0xbe]);

function framingError(fn: () => unknown): FramingError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FramingError);
    expect((err as FramingError).code).toBe('FOOTFALL_ERR_FRAMING');
    return err as FramingError;
  }
  throw new Error('expected a FramingError');
}

describe('frame', () => {
  it('leaves a naked payload as it is, ignoring the schema id', () => {
    expect(frame(payload, 'naked', 7)).toBe(payload);
  });

  it('puts 0x00 and the big-endian schema id before a confluent payload', () => {
    expect(frame(payload, 'confluent', 7).toString('hex')).toBe('0000000007cafebabe');
  });

  it('puts 0x01 and the big-endian schema id before a druid-inline payload', () => {
    expect(frame(payload, 'druid-inline', 7).toString('hex')).toBe('0100000007cafebabe');
  });

  it('writes all four id bytes, up to the largest id a Java int holds', () => {
    expect(frame(payload, 'confluent', 0x01020304).subarray(0, 5).toString('hex')).toBe('0001020304');
    expect(
      frame(payload, 'druid-inline', 2 ** 31 - 1)
        .subarray(0, 5)
        .toString('hex'),
    ).toBe('017fffffff');
  });

  it('copies the payload, so reusing the payload buffer cannot change a framed message', () => {
    const source = Buffer.from(payload);
    const framed = frame(source, 'confluent', 1);
    source.fill(0);
    expect(framed.subarray(5)).toEqual(payload);
  });

  it('refuses schema ids that are negative, fractional or too large for a Java int', () => {
    for (const id of [-1, 1.5, 2 ** 31, Number.NaN]) {
      expect(framingError(() => frame(payload, 'confluent', id)).message).toMatch(
        /schema id from 0 to 2147483647/,
      );
    }
  });

  it('refuses an unknown framing', () => {
    expect(framingError(() => frame(payload, 'avro' as Framing, 1)).message).toMatch(
      /unknown framing "avro"; known: naked, confluent, druid-inline/,
    );
  });
});

describe('unframe', () => {
  it('returns what frame wrapped, for every framing', () => {
    for (const framing of FRAMINGS) {
      const { schemaId, payload: inner } = unframe(frame(payload, framing, 42), framing);
      expect(inner).toEqual(payload);
      expect(schemaId).toBe(framing === 'naked' ? null : 42);
    }
  });

  it('accepts a frame with an empty payload', () => {
    expect(unframe(Buffer.from('0000000007', 'hex'), 'confluent')).toEqual({
      schemaId: 7,
      payload: Buffer.alloc(0),
    });
  });

  it('refuses a buffer shorter than the header', () => {
    const err = framingError(() => unframe(Buffer.from('00000000', 'hex'), 'confluent'));
    expect(err.message).toBe('confluent framing needs at least 5 bytes (magic byte and schema id), got 4');
  });

  it('refuses a wrong magic byte and says which framing the bytes look like', () => {
    const druid = frame(payload, 'druid-inline', 7);
    expect(framingError(() => unframe(druid, 'confluent')).message).toBe(
      'confluent framing starts with magic byte 0x00, got 0x01 (the bytes look like druid-inline framing)',
    );
    expect(framingError(() => unframe(Buffer.from('7b00000007', 'hex'), 'druid-inline')).message).toBe(
      'druid-inline framing starts with magic byte 0x01, got 0x7b',
    );
  });
});
