// The lean encode paths the tracker bundles instead of the protocol's full ones: they must put the
// same bytes on the wire.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseIdentifier, UNIQUE_ALPHABET, webCryptoUniquePart } from '../../../src/protocol/identifiers.js';
import { encodeMincode, mincodeOf } from '../../../src/protocol/mincode.js';

describe('mincodeOf, the encoder the tracker bundles', () => {
  it('encodes every JSON value exactly as encodeMincode does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(mincodeOf(value)).toBe(encodeMincode(value));
      }),
      { numRuns: 500 },
    );
    expect(mincodeOf(undefined)).toBe('');
    expect(mincodeOf({ a: undefined, when: new Date(0) })).toBe('(swhen!1970-01-01T00:00:00.000Z!)');
  });

  it('throws a TypeError for functions, symbols, bigints and cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [() => 1, { f() {} }, [Symbol('s')], { n: 1n }, Object(1n), cyclic]) {
      expect(() => mincodeOf(value)).toThrow(TypeError);
    }
  });

  it('lets what a value itself throws pass through', () => {
    const boom = new RangeError('boom');
    expect(() =>
      mincodeOf({
        toJSON() {
          throw boom;
        },
      }),
    ).toThrow(boom);
  });
});

/** 32 six-bit values packed big-endian into 24 bytes, the way base64 reads them. */
function sixBitGroups(values: number[]): Uint8Array {
  const bytes = new Uint8Array(24);
  values.forEach((v, i) => {
    for (let b = 0; b < 6; b++) {
      const bit = i * 6 + b;
      if ((v >> (5 - b)) & 1) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
    }
  });
  return bytes;
}

describe('webCryptoUniquePart, the unique part the tracker makes', () => {
  it('spells base64 in UNIQUE_ALPHABET, in its order', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    for (const first of [0, 32]) {
      const bytes = sixBitGroups(Array.from({ length: 32 }, (_, i) => first + i));
      spy.mockImplementationOnce(<T extends ArrayBufferView | null>(array: T): T => {
        (array as unknown as Uint8Array).set(bytes);
        return array;
      });
      expect(webCryptoUniquePart()).toBe(UNIQUE_ALPHABET.slice(first, first + 32));
    }
    spy.mockRestore();
  });

  it('makes 32 characters a party id accepts, never the same twice, using every character', () => {
    const seen = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const unique = webCryptoUniquePart();
      expect(unique).toMatch(/^[A-Za-z0-9~_]{32}$/);
      expect(parseIdentifier('0:16:' + unique)?.unique).toBe(unique);
      seen.add(unique);
      for (const c of unique) chars.add(c);
    }
    expect(seen.size).toBe(2000);
    expect(chars.size).toBe(64);
  });
});
