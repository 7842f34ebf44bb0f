import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumInput, computeChecksum, verifyChecksum } from '../../../src/protocol/checksum.js';
import { murmur3x86_32 } from '../../../src/protocol/murmur3.js';

// Queries from Divolte's own RequestChecksumTest.
const QUERY =
  'p=0%3Ai1t84hgy%3A5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG&s=0%3Ai1t84hgy%3A95CbiPCYln_1e0a6rFvuRkDkeNnc6KC8' +
  '&v=0%3A1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF&e=0%3A1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF0&c=i1t8q2b6&n=f&f=f' +
  '&l=http%3A%2F%2Flocalhost%3A8290%2F&i=1ak&j=sj&k=2&w=uq&h=qd&t=pageView';
const UNICODE_QUERY =
  'p=0%3Ai1t84hgy%3Aparty&s=0%3Ai1t84hgy%3Asession&v=0%3ApageView&e=0%3AeventId&c=i1t8q2b6&n=f&f=f' +
  '&l=http%3A%2F%2Flocalhost%3A8290%2F&i=1ak&j=sj&k=2&w=uq&h=qd' +
  '&t=%E1%BB%A5%C3%B1%E2%9A%95%C2%A9%C2%BA%E1%B8%8C%E2%84%A8&x=-ql2p2c';

function multimap(query: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(query)) map.set(k, [...(map.get(k) ?? []), v]);
  return map;
}

describe('computeChecksum', () => {
  it('gives si9804 for the documented query', () => {
    expect(computeChecksum(new URLSearchParams(QUERY))).toBe('si9804');
  });

  it('gives the same result for a multimap, an array of pairs and URLSearchParams', () => {
    const params = new URLSearchParams(QUERY);
    expect(computeChecksum(multimap(QUERY))).toBe('si9804');
    expect(computeChecksum([...params])).toBe('si9804');
  });

  it('ignores x and the order of keys', () => {
    const shuffled = [...new URLSearchParams(QUERY)].reverse();
    expect(computeChecksum([...shuffled, ['x', 'whatever']])).toBe('si9804');
  });

  it('hashes non-ASCII values as UTF-8 and renders negative hashes with a minus sign', () => {
    expect(computeChecksum(new URLSearchParams(UNICODE_QUERY))).toBe('-ql2p2c');
  });

  it('lets every value of a repeated key take part, in arrival order', () => {
    const once = computeChecksum(new URLSearchParams(QUERY));
    const twice = computeChecksum(new URLSearchParams(QUERY + '&t=second'));
    const swapped = computeChecksum(new URLSearchParams('t=second&' + QUERY));
    expect(twice).not.toBe(once);
    expect(swapped).not.toBe(twice);
    expect(checksumInput(new URLSearchParams('b=2&a=1&b=3&x=9'))).toBe('a=1,;b=2,3,;');
  });

  it('sorts keys by UTF-16 code units, not by code points or locale', () => {
    // By code point U+1F600 comes after U+FF5E; by code unit its high surrogate 0xD83D comes first.
    expect(
      checksumInput([
        ['\uff5e', '1'],
        ['😀', '2'],
        ['B', '3'],
        ['a', '4'],
      ]),
    ).toBe('B=3,;a=4,;😀=2,;～=1,;');
  });
});

describe('computeChecksum against a naive model', () => {
  // The canonical string written the obvious way: a multimap, the keys sorted, the values joined.
  const naiveInput = (pairs: [string, string][]): string => {
    const map = new Map<string, string[]>();
    for (const [k, v] of pairs) if (k !== 'x') map.set(k, [...(map.get(k) ?? []), v]);
    return [...map.keys()]
      .sort()
      .map(
        (k) =>
          `${k}=${map
            .get(k)!
            .map((v) => v + ',')
            .join('')};`,
      )
      .join('');
  };
  // How divolte.js turns that string into bytes before hashing it.
  const trackerBytes = (s: string): Uint8Array => {
    const binary = unescape(encodeURIComponent(s));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  };
  const key = fc.oneof(fc.constantFrom('p', 's', 'x', 't', 'é', '😀', '\uff5e'), fc.string({ maxLength: 3 }));
  const pairs = fc.array(fc.tuple(key, fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 60 });

  it('builds the same canonical string for short and long (hostile) queries alike', () => {
    fc.assert(
      fc.property(pairs, (p) => {
        expect(checksumInput(p)).toBe(naiveInput(p));
      }),
      { numRuns: 500 },
    );
  });

  it('hashes the same bytes as divolte.js, astral characters included', () => {
    fc.assert(
      fc.property(pairs, (p) => {
        expect(computeChecksum(p)).toBe(murmur3x86_32(trackerBytes(naiveInput(p))).toString(36));
      }),
      { numRuns: 500 },
    );
  });
});

describe('verifyChecksum', () => {
  it('accepts the documented query with x=si9804', () => {
    expect(verifyChecksum(new URLSearchParams(QUERY + '&x=si9804'))).toBe(true);
    expect(verifyChecksum(new URLSearchParams(UNICODE_QUERY))).toBe(true);
  });

  it('rejects a wrong, missing, empty or unparsable x', () => {
    for (const tail of ['&x=si9805', '', '&x', '&x=', '&x=si98!4']) {
      expect(verifyChecksum(new URLSearchParams(QUERY + tail)), tail).toBe(false);
    }
  });

  it('compares x as a number like Divolte did', () => {
    for (const x of ['SI9804', '+si9804', '00si9804']) {
      expect(verifyChecksum(new URLSearchParams(`${QUERY}&x=${encodeURIComponent(x)}`)), x).toBe(true);
    }
  });

  it('uses the first x when x is repeated', () => {
    expect(verifyChecksum(new URLSearchParams(QUERY + '&x=si9804&x=nope'))).toBe(true);
    expect(verifyChecksum(new URLSearchParams(QUERY + '&x=nope&x=si9804'))).toBe(false);
  });

  it('detects a truncated query', () => {
    const truncated = QUERY.slice(0, QUERY.indexOf('&t=')) + '&t=page&x=si9804';
    expect(verifyChecksum(new URLSearchParams(truncated))).toBe(false);
  });
});
