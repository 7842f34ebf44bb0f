import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMincode, encodeMincode, MincodeError, type JsonValue } from '../../../src/protocol/mincode.js';

// The samples from the protocol spec and Divolte's mincode-samples.json.
const SAMPLES: [string, JsonValue, string][] = [
  ['a string', 'a string', 'sa string!'],
  ['a string that needs escaping', 'Hello~World!', 'sHello~~World~!!'],
  ['a string with newlines', 'cold\noutside\n', 'scold\noutside\n!'],
  [
    'combining characters',
    'H̶e̶l̶l̶o̶ ̶W̶o̶r̶l̶d̶!̶',
    'sH\u0336e\u0336l\u0336l\u0336o\u0336 \u0336W\u0336o\u0336r\u0336l\u0336d\u0336~!\u0336!',
  ],
  ['true', true, 't'],
  ['false', false, 'f'],
  ['null', null, 'n'],
  ['an integer', 42, 'd16!'],
  ['a float', 10.3, 'j10.3!'],
  ['an empty object', {}, '()'],
  ['an empty array', [], 'a.'],
  ['a simple object', { foo: 'bar', baz: 'daz' }, '(sfoo!bar!sbaz!daz!)'],
  ['a simple array', ['foo', 'bar'], 'asfoo!sbar!.'],
  [
    'an array of objects',
    [
      { foo: 'bar', baz: 'daz' },
      { daz: 'huh', doo: 'wha' },
      { daz: 2, doo: 3 },
    ],
    'a(sfoo!bar!sbaz!daz!)(sdaz!huh!sdoo!wha!)(ddaz!2!ddoo!3!).',
  ],
  [
    'the jsurl example',
    { name: 'John Doe', age: 42, children: ['Mary', 'Bill'] },
    '(sname!John Doe!dage!16!achildren!sMary!sBill!.)',
  ],
  ['nested objects and negatives', { a: {}, f: 42, h: -37 }, '((a!)df!16!dh!-11!)'],
];

// Divolte's largest sample: its j payload -78.3e-10 is not what divolte.js would emit for that
// number (-7.83e-9), so it is checked in the decoding direction only.
const MIXED_CODE =
  '((a!)sb!c!(d!aa!.sb!g!)ae!s1!s2!.df!16!jg!53.2!dh!-11!ji!-78.3e-10!tj!fk!nl!(m!)an!()(sa!b!)(sc!d!).(o!))';
const MIXED_JSON: JsonValue = {
  a: {},
  b: 'c',
  d: { a: [], b: 'g' },
  e: ['1', '2'],
  f: 42,
  g: 53.2,
  h: -37,
  i: -78.3e-10,
  j: true,
  k: false,
  l: null,
  m: {},
  n: [{}, { a: 'b' }, { c: 'd' }],
  o: {},
};

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof MincodeError) return e.reason;
    throw e;
  }
  throw new Error('expected a MincodeError');
}

/** What a value looks like after a trip through JSON: -0 becomes 0, which is mincode's view too. */
const viaJson = (v: JsonValue): JsonValue => JSON.parse(JSON.stringify(v)) as JsonValue;

describe('encodeMincode', () => {
  it.each(SAMPLES)('encodes %s as in the spec', (_, json, code) => {
    expect(encodeMincode(json)).toBe(code);
  });

  it('encodes the mixed sample as divolte.js would', () => {
    expect(encodeMincode(MIXED_JSON)).toBe(MIXED_CODE.replace('ji!-78.3e-10!', 'ji!-7.83e-9!'));
  });

  it('picks the shortest number form like divolte.js, preferring d on a tie', () => {
    expect(encodeMincode(1e6)).toBe('dlfls!'); // 4 chars ties with 1e+6
    expect(encodeMincode(1e8)).toBe('j1e+8!');
    expect(encodeMincode(0.0001)).toBe('j1e-4!');
    expect(encodeMincode(1e21)).toBe('j1e+21!');
    expect(encodeMincode(-0)).toBe('d0!');
    expect(encodeMincode(2 ** 53 + 2)).toBe('j9007199254740994!');
  });

  it('encodes NaN and infinities as null', () => {
    expect(encodeMincode([NaN, Infinity, -Infinity])).toBe('annn.');
    expect(encodeMincode({ a: NaN })).toBe('(na!)');
  });

  it('omits undefined members, keeps undefined array items as null and sends nothing for undefined', () => {
    expect(encodeMincode({ a: undefined, b: 1 })).toBe('(db!1!)');
    // eslint-disable-next-line no-sparse-arrays
    expect(encodeMincode([undefined, , 1])).toBe('annd1!.');
    expect(encodeMincode(undefined)).toBe('');
  });

  it('turns dates into ISO strings through toJSON, and invalid dates into null', () => {
    expect(encodeMincode(new Date(Date.UTC(2014, 10, 5, 9, 8, 7, 6)))).toBe('s2014-11-05T09:08:07.006Z!');
    expect(encodeMincode({ when: new Date(NaN) })).toBe('(nwhen!)');
    expect(encodeMincode({ toJSON: () => 'x' })).toBe('sx!');
  });

  it('escapes member names', () => {
    expect(encodeMincode({ 'a!b~': 1 })).toBe('(da~!b~~!1!)');
  });

  it('unwraps boxed primitives like JSON.stringify', () => {
    expect(encodeMincode([new String('s'), new Number(1), new Boolean(false)])).toBe('ass!d1!f.');
  });

  it('refuses functions, symbols, bigints and cycles with a MincodeError', () => {
    expect(reasonOf(() => encodeMincode(() => 1))).toBe('unsupported_type');
    expect(reasonOf(() => encodeMincode({ f() {} }))).toBe('unsupported_type');
    expect(reasonOf(() => encodeMincode([Symbol('s')]))).toBe('unsupported_type');
    expect(reasonOf(() => encodeMincode({ n: 1n }))).toBe('unsupported_type');
    expect(reasonOf(() => encodeMincode(Object(1n)))).toBe('unsupported_type');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(reasonOf(() => encodeMincode(cyclic))).toBe('cycle');
  });

  it('encodes a shared but acyclic object each time it appears', () => {
    const shared = { a: 1 };
    expect(encodeMincode([shared, shared])).toBe('a(da!1!)(da!1!).');
  });
});

describe('decodeMincode', () => {
  it.each(SAMPLES)('decodes %s as in the spec', (_, json, code) => {
    expect(decodeMincode(code)).toEqual(json);
  });

  it("decodes Divolte's mixed sample", () => {
    expect(decodeMincode(MIXED_CODE)).toEqual(MIXED_JSON);
  });

  it('accepts every JSON number text in j, including exponents with signs', () => {
    expect(decodeMincode('j1e+21!')).toBe(1e21);
    expect(decodeMincode('j-7.83e-9!')).toBe(-7.83e-9);
    expect(decodeMincode('j-78.3e-10!')).toBe(-7.83e-9);
    expect(decodeMincode('j1234!')).toBe(1234);
    expect(decodeMincode('j0.5E2!')).toBe(50);
  });

  it('rejects j payloads that are not JSON numbers or do not fit a double', () => {
    for (const code of [
      'j!',
      'j+1!',
      'j.5!',
      'j1.!',
      'j01!',
      'j0x10!',
      'jNaN!',
      'jInfinity!',
      'j1e999!',
      'j54@@!',
    ]) {
      expect(
        reasonOf(() => decodeMincode(code)),
        code,
      ).toBe('bad_number');
    }
  });

  it('reads d payloads as base-36 integers with an optional sign, in either case', () => {
    expect(decodeMincode('d-11!')).toBe(-37);
    expect(decodeMincode('d+16!')).toBe(42);
    expect(decodeMincode('dZZ!')).toBe(1295);
    expect(decodeMincode('d000016!')).toBe(42);
    expect(Object.is(decodeMincode('d-0!'), 0)).toBe(true);
    expect(decodeMincode('d2gosa7pa2gw!')).toBe(2 ** 53);
    expect(decodeMincode(`d${(2n ** 70n).toString(36)}!`)).toBe(2 ** 70);
  });

  it('rejects d payloads that are empty, signed twice, non-alphanumeric or beyond a double', () => {
    for (const code of ['d!', 'd-!', 'd--1!', 'd1.5!', 'd54@@!', `d${'z'.repeat(200)}!`]) {
      expect(
        reasonOf(() => decodeMincode(code)),
        code,
      ).toBe('bad_number');
    }
  });

  it('honours escapes inside numbers like Divolte did', () => {
    expect(decodeMincode('d1~6!')).toBe(42);
  });

  it("accepts the one-character empty object 'o' that Divolte's parser knows", () => {
    expect(decodeMincode('o')).toEqual({});
    expect(decodeMincode('(oa!)')).toEqual({ a: {} });
  });

  it('rejects malformed documents with a reason', () => {
    const cases: [string, string][] = [
      ['', 'unexpected_end'],
      ['(', 'unexpected_end'],
      ['asfoo!', 'unexpected_end'],
      ['(sname!', 'unterminated_string'],
      ['sThis record is not terminated', 'unterminated_string'],
      ['sends in an escape ~', 'unterminated_string'],
      [')', 'unknown_record'],
      ['.', 'unknown_record'],
      ['z', 'unknown_record'],
      ['(.a!)', 'unknown_record'],
      ['a)', 'unknown_record'],
      ['sA string record!Extra trailing data.', 'trailing_data'],
      ['tt', 'trailing_data'],
      ['a.a.', 'trailing_data'],
    ];
    for (const [code, reason] of cases)
      expect(
        reasonOf(() => decodeMincode(code)),
        code,
      ).toBe(reason);
  });

  it('carries a stable error code and the offset of the problem', () => {
    try {
      decodeMincode('asa!z.');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MincodeError);
      expect((e as MincodeError).code).toBe('FOOTFALL_ERR_MINCODE');
      expect((e as MincodeError).position).toBe(4);
    }
  });

  it('enforces the depth limit, 32 by default', () => {
    const nested = (n: number): string => 'a'.repeat(n) + '.'.repeat(n);
    expect(decodeMincode(nested(32))).toBeDefined();
    expect(reasonOf(() => decodeMincode(nested(33)))).toBe('too_deep');
    expect(reasonOf(() => decodeMincode('(oa!)', { maxDepth: 1 }))).toBe('too_deep');
    expect(decodeMincode(nested(3), { maxDepth: 3 })).toEqual([[[]]]);
    expect(reasonOf(() => decodeMincode(nested(4), { maxDepth: 3 }))).toBe('too_deep');
  });

  it('survives very deep input without overflowing the stack', () => {
    const deep = '('.repeat(60_000);
    expect(reasonOf(() => decodeMincode(deep, { maxDepth: Infinity, maxLength: Infinity }))).toBe(
      'unterminated_string',
    );
    const arrays = 'a'.repeat(60_000) + '.'.repeat(60_000);
    expect(decodeMincode(arrays, { maxDepth: Infinity, maxLength: Infinity })).toBeInstanceOf(Array);
  });

  it('enforces the length limit, 64 Ki characters by default', () => {
    const fits = 's' + 'x'.repeat(65_534) + '!';
    expect(decodeMincode(fits)).toHaveLength(65_534);
    expect(reasonOf(() => decodeMincode(fits + ' '))).toBe('too_long');
    expect(reasonOf(() => decodeMincode('sabc!', { maxLength: 4 }))).toBe('too_long');
  });

  it('enforces the item limit when one is given', () => {
    expect(decodeMincode('atft.', { maxItems: 4 })).toEqual([true, false, true]);
    expect(reasonOf(() => decodeMincode('atftf.', { maxItems: 4 }))).toBe('too_many_items');
  });

  it('makes __proto__ an own property and never touches a prototype', () => {
    const code = '(s__proto__!x!(constructor!sprototype!y!)(__proto__!dpolluted!1!))';
    const value = decodeMincode(code) as Record<string, JsonValue>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":1},"constructor":{"prototype":"y"}}');
  });

  it('round-trips a __proto__ member that came from JSON.parse', () => {
    const parsed = JSON.parse('{"__proto__":{"a":1}}') as JsonValue;
    const code = encodeMincode(parsed);
    expect(code).toBe('((__proto__!da!1!))');
    const decoded = decodeMincode(code);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded).toEqual(parsed);
  });

  it('keeps the last of duplicate member names', () => {
    expect(decodeMincode('(da!1!da!2!)')).toEqual({ a: 2 });
  });
});

describe('mincode properties', () => {
  it('round-trips every JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = viaJson(value as JsonValue);
        expect(decodeMincode(encodeMincode(value), { maxDepth: Infinity })).toEqual(json);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips every double exactly, apart from the sign of zero', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(decodeMincode(encodeMincode(n))).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips strings made of the escape characters and arbitrary code units', () => {
    const tricky = fc.string({ unit: fc.constantFrom('!', '~', 'a', '(', ')', '.', '\u0000', '\ud800') });
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(tricky, fc.string({ unit: 'binary' })), tricky), (o) => {
        expect(decodeMincode(encodeMincode(o))).toEqual(o);
      }),
    );
  });

  const onlyMincodeErrors = (text: string): void => {
    try {
      decodeMincode(text);
    } catch (e) {
      if (!(e instanceof MincodeError)) throw e;
    }
  };

  it('throws nothing but MincodeError on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), onlyMincodeErrors), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), onlyMincodeErrors), { numRuns: 2000 });
    const alphabet = fc.constantFrom(...'stfndjoa().!~-+0123456789ez'.split(''));
    fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 40 }), onlyMincodeErrors), {
      numRuns: 5000,
    });
  });

  it('throws nothing but MincodeError on mutated valid encodings', () => {
    const mutation = fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (value, mutations) => {
        let text = encodeMincode(value);
        for (const [at, drop, insert] of mutations) {
          const i = text.length === 0 ? 0 : at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + (drop % 3));
        }
        onlyMincodeErrors(text);
      }),
      { numRuns: 3000 },
    );
  });
});
