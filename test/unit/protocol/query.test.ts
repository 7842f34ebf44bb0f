import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeChecksum, verifyChecksum } from '../../../src/protocol/checksum.js';
import { decodeComponent, EventQuery, parseEventQuery } from '../../../src/protocol/query.js';

/**
 * The reference the fast parser is held to: split on `&` and the first `=`, then `+` as space and
 * decodeURIComponent, keeping the text (after the `+` rule) when that throws. This is how the
 * server parsed queries before parseEventQuery() and how Divolte read them.
 */
function referencePairs(query: string): [string, string][] {
  const decode = (text: string): string => {
    const spaced = text.replace(/\+/g, ' ');
    try {
      return decodeURIComponent(spaced);
    } catch {
      return spaced;
    }
  };
  return query
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
}

// Text made of the characters that matter to the parser, so escapes, broken escapes, `+`, `=` and
// `&` meet in every combination; plus any character at all.
const queryText = fc.oneof(
  fc
    .array(
      fc.oneof(
        fc.constantFrom('&', '=', '+', '%', '%2', '%3A', '%3a', '%26', '%3D', '%2B', '%25', '%7E', '%7F'),
        fc.constantFrom('%C3%A9', '%E2%82%AC', '%F0%9F%98%80', '%C3', '%80', '%FF', '%u0041', '%zz', '%%'),
        fc.constantFrom('p', 's', 'x', 'l', 'key', 'é', '\u{1F600}', '\ud800', ' ', '~', '!'),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('parseEventQuery', () => {
  it('reads every query exactly as the reference parser does', () => {
    fc.assert(
      fc.property(queryText, (query) => {
        expect([...parseEventQuery(query)]).toEqual(referencePairs(query));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps repeated keys in arrival order and gives the first value by default', () => {
    const query = parseEventQuery('a=1&b=2&a=3&c&=4&&');
    expect(query.keys).toEqual(['a', 'b', 'a', 'c', '']);
    expect(query.values).toEqual(['1', '2', '3', '', '4']);
    expect(query.first('a')).toBe('1');
    expect(query.all('a')).toEqual(['1', '3']);
    expect(query.first('z')).toBeUndefined();
    expect(query.all('z')).toEqual([]);
    expect(query.has('c')).toBe(true);
    expect(query.has('z')).toBe(false);
  });

  it('decodes ASCII escapes and plus signs itself and leaves the rest to decodeURIComponent', () => {
    expect(decodeComponent('0%3Aabc%3Adef~!')).toBe('0:abc:def~!');
    expect(decodeComponent('a+b%20c%2B')).toBe('a b c+');
    expect(decodeComponent('caf%C3%A9+%E2%82%AC')).toBe('café €');
    // Broken escapes keep their text, after the plus rule.
    expect(decodeComponent('50%+off%3A')).toBe('50% off%3A');
    expect(decodeComponent('%E2%82')).toBe('%E2%82');
    expect(decodeComponent('tail%3')).toBe('tail%3');
    expect(decodeComponent('plain')).toBe('plain');
  });
});

describe('verifyChecksum on a parsed query', () => {
  // Keys as a tracker sends them, and others: long, repeated, out of order, non-ASCII.
  const key = fc.oneof(
    fc.constantFrom('p', 's', 'v', 'e', 'c', 'n', 'f', 'l', 'r', 'i', 'j', 'k', 'w', 'h', 't', 'u'),
    fc.constantFrom('pp', 'a', 'Z', '_', 'é', ''),
    fc.string({ maxLength: 3 }),
  );
  const pairs = fc.array(fc.tuple(key, fc.string({ unit: 'grapheme', maxLength: 12 })), { maxLength: 45 });

  it('agrees with the general implementation for any parameters, with a right or a wrong x', () => {
    fc.assert(
      fc.property(pairs, fc.boolean(), (entries, right) => {
        const params = entries.filter(([k]) => k !== 'x');
        const x = right ? computeChecksum(params) : 'zz';
        const query = [...params, ['x', x] as [string, string]]
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
        const parsed = parseEventQuery(query);
        expect(verifyChecksum(parsed)).toBe(verifyChecksum([...parsed]));
        expect(verifyChecksum(parsed)).toBe(right || computeChecksum(params) === 'zz');
      }),
      { numRuns: 3000 },
    );
  });

  it('does not reuse the sorted order of an earlier query whose keys differ', () => {
    const first = [
      ['p', '1'],
      ['s', '2'],
      ['a', '3'],
    ] as [string, string][];
    const second = [
      ['p', '1'],
      ['a', '3'],
      ['s', '2'],
    ] as [string, string][];
    const parsedFirst = parseEventQuery(`p=1&s=2&a=3&x=${computeChecksum(first)}`);
    // Same length, other order: the same checksum (order does not matter), computed afresh.
    const parsedSecond = parseEventQuery(`p=1&a=3&s=2&x=${computeChecksum(second)}`);
    const changed = parseEventQuery(`p=1&s=3&a=2&x=${computeChecksum(first)}`);
    expect(verifyChecksum(parsedFirst)).toBe(true);
    expect(verifyChecksum(parsedSecond)).toBe(true);
    expect(verifyChecksum(changed)).toBe(false);
    expect(verifyChecksum(parsedFirst)).toBe(true);
  });

  it('sorts a long (hostile) query correctly too', () => {
    const entries: [string, string][] = [];
    for (let i = 400; i > 0; i--) entries.push([`k${i % 37}`, String(i)]);
    const query = [...entries, ['x', computeChecksum(entries)]].map(([k, v]) => `${k}=${v}`).join('&');
    expect(verifyChecksum(parseEventQuery(query))).toBe(true);
    expect(verifyChecksum(parseEventQuery(query.replace('k5=', 'k6=')))).toBe(false);
  });

  it('is false without x or with an x that is not a number', () => {
    expect(verifyChecksum(parseEventQuery('p=1'))).toBe(false);
    expect(verifyChecksum(parseEventQuery('p=1&x='))).toBe(false);
    expect(verifyChecksum(parseEventQuery('p=1&x=%%%'))).toBe(false);
    expect(verifyChecksum(new EventQuery())).toBe(false);
  });
});
