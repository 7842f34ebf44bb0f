// The query string of one event, in divolte.js's parameter order with the checksum last. Pure: the
// caller gathers the values, and the unit tests compare the result with what the server parses.
import { murmur3x86_32 } from '../protocol/murmur3.js';

/**
 * divolte.js's parameter order, one letter per parameter (x, the checksum, always comes last). The
 * letters are QueryParam's, spelled out because the object's long names would cost the bundle a few
 * hundred bytes; a unit test holds the two together.
 */
export const PARAMETER_ORDER = 'psvecnflrijkwhtu';

// A lone surrogate (a string cut in the middle of an emoji, say), on which encodeURIComponent
// throws. In a `u` regex a well-formed pair is one code point outside the class, so only lone ones
// match. They become U+FFFD, in the query and in the checksum alike.
const LONE_SURROGATE = /[\ud800-\udfff]/gu;

/**
 * Values in PARAMETER_ORDER; an empty or missing one is left out, as divolte.js left out what it did
 * not know.
 *
 * The checksum hashes what checksum.ts's checksumInput() makes of the parameters. Here every key is
 * one letter and occurs at most once, so that is each `key=value,;` in key order, and sorting those
 * strings sorts them by key: the general sort and grouping stay out of the bundle.
 */
export function eventQuery(values: readonly (string | 0 | undefined)[]): string {
  const canonical: string[] = [];
  let query = '';
  values.forEach((value, i) => {
    if (value) {
      const key = PARAMETER_ORDER[i]! + '=';
      value = value.replace(LONE_SURROGATE, '\ufffd');
      canonical.push(key + value + ',;');
      query += key + encodeURIComponent(value) + '&';
    }
  });
  return query + 'x=' + murmur3x86_32(new TextEncoder().encode(canonical.sort().join(''))).toString(36);
}
