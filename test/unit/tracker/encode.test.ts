// The lean encode paths the tracker bundles instead of the protocol's full ones: they must put the
// same bytes on the wire.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
