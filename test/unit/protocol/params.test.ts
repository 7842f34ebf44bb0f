import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeBase36Float,
  encodeBool,
  parseBase36Float,
  parseBase36Int,
  parseBase36Long,
  parseBool,
  QueryParam,
} from '../../../src/protocol/params.js';

describe('QueryParam', () => {
  it('names the seventeen one-letter parameters, each once', () => {
    const letters = Object.values(QueryParam);
    expect(letters.sort().join('')).toBe('cefhijklnprstuvwx');
    expect(QueryParam.devicePixelRatio).toBe('k');
    expect(QueryParam.checksum).toBe('x');
  });
});

describe('parseBase36Int', () => {
  it('parses the screen and viewport sizes of the documented query', () => {
    expect(parseBase36Int('1ak')).toBe(1676);
    expect(parseBase36Int('sj')).toBe(1027);
    expect(parseBase36Int('uq')).toBe(1106);
    expect(parseBase36Int('qd')).toBe(949);
  });

  it("accepts what Java's Integer.valueOf(s, 36) accepts", () => {
    expect(parseBase36Int('ZZ')).toBe(1295);
    expect(parseBase36Int('+10')).toBe(36);
    expect(parseBase36Int('-10')).toBe(-36);
    expect(parseBase36Int('0000a')).toBe(10);
    expect(parseBase36Int((2 ** 31 - 1).toString(36))).toBe(2 ** 31 - 1);
    expect(parseBase36Int((-(2 ** 31)).toString(36))).toBe(-(2 ** 31));
  });

  it('rejects empty input, junk and values outside int32', () => {
    for (const s of [
      '',
      '-',
      '+',
      ' 1',
      '1 ',
      '1.5',
      '1_0',
      '0x1.0',
      '--1',
      (2 ** 31).toString(36),
      (-(2 ** 31) - 1).toString(36),
    ]) {
      expect(parseBase36Int(s), JSON.stringify(s)).toBeUndefined();
    }
  });

  it('inverts Number.prototype.toString(36) across the int32 range', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        expect(parseBase36Int(n.toString(36))).toBe(n);
      }),
    );
  });
});

describe('parseBase36Long', () => {
  it('parses the client time of the documented query', () => {
    expect(parseBase36Long('i1t8q2b6')).toBe(1414499908146); // 2014-10-28T12:38:28.146Z
  });

  it('covers exactly the safe-integer range', () => {
    expect(parseBase36Long(Number.MAX_SAFE_INTEGER.toString(36))).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseBase36Long(Number.MIN_SAFE_INTEGER.toString(36))).toBe(Number.MIN_SAFE_INTEGER);
    expect(parseBase36Long((2n ** 53n).toString(36))).toBeUndefined();
    expect(parseBase36Long('zzzzzzzzzzzzzzzzzzzzzzzz')).toBeUndefined();
    expect(parseBase36Long('')).toBeUndefined();
    expect(parseBase36Long('12:3')).toBeUndefined();
  });

  it('inverts Number.prototype.toString(36) for every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(parseBase36Long(n.toString(36))).toBe(n === 0 ? 0 : n);
      }),
    );
  });
});

describe('parseBase36Float', () => {
  it('reads 1.i as 1.5 and 2 as 2', () => {
    expect(parseBase36Float('1.i')).toBe(1.5);
    expect(parseBase36Float('2')).toBe(2);
    expect(parseBase36Float('2.mi')).toBe(2.625);
    expect(parseBase36Float('.i')).toBe(0.5);
    expect(parseBase36Float('3.')).toBe(3);
    expect(parseBase36Float('-1.i')).toBe(-1.5);
  });

  it('refuses NaN, Infinity, uppercase digits, junk and overlong input', () => {
    for (const s of ['', '.', '-', 'NaN', 'Infinity', '1.I', '1..i', '1.i.', '1,i', 'x'.repeat(65)]) {
      expect(parseBase36Float(s), JSON.stringify(s)).toBeUndefined();
    }
  });

  it('reads back what encodeBase36Float writes for realistic pixel ratios', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 8, noNaN: true }), (ratio) => {
        const parsed = parseBase36Float(encodeBase36Float(ratio)!);
        expect(parsed).toBeCloseTo(ratio, 12);
      }),
    );
    for (const ratio of [1, 1.25, 1.5, 2, 2.625, 3])
      expect(parseBase36Float(encodeBase36Float(ratio)!)).toBe(ratio);
  });

  it('leaves non-finite ratios unencoded', () => {
    expect(encodeBase36Float(1.5)).toBe('1.i');
    expect(encodeBase36Float(NaN)).toBeUndefined();
    expect(encodeBase36Float(Infinity)).toBeUndefined();
  });
});

describe('parseBool', () => {
  it('treats t as true, anything else as false, and absence as absence, as Divolte did', () => {
    expect(parseBool('t')).toBe(true);
    expect(parseBool('f')).toBe(false);
    expect(parseBool('true')).toBe(false);
    expect(parseBool('')).toBe(false);
    expect(parseBool(undefined)).toBeUndefined();
    expect(encodeBool(true)).toBe('t');
    expect(encodeBool(false)).toBe('f');
  });
});
