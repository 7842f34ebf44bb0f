// The query string of one event, in divolte.js's parameter order with the checksum last. Pure: the
// caller gathers the values, and the unit tests compare the result with what the server parses.
import { checksumOfPairs } from '../protocol/checksum.js';

/**
 * divolte.js's parameter order, one letter per parameter (x, the checksum, always comes last). The
 * letters are QueryParam's, spelled out because the object's long names would cost the bundle a few
 * hundred bytes; a unit test holds the two together.
 */
export const PARAMETER_ORDER = 'psvecnflrijkwhtu';

// A lone surrogate (a string cut in the middle of an emoji, say), on which encodeURIComponent
// throws. In a `u` regex a well-formed pair is one code point outside the class, so only lone ones
// match. They become U+FFFD, which is also what the checksum's UTF-8 encoder makes of them, so the
// server computes the same checksum.
const LONE_SURROGATE = /[\ud800-\udfff]/gu;

/** Values in PARAMETER_ORDER; an empty or missing one is left out, as divolte.js left out what it did not know. */
export function eventQuery(values: readonly (string | 0 | undefined)[]): string {
  const pairs: [string, string][] = [];
  let query = '';
  values.forEach((value, i) => {
    if (value) {
      const key = PARAMETER_ORDER[i]!;
      pairs.push([key, value]);
      query += key + '=' + encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd')) + '&';
    }
  });
  return query + 'x=' + checksumOfPairs(pairs);
}
