// The `x` checksum of a browser event. It only guards against proxies and browsers that truncate
// or mangle the URL, not against tampering: anybody can compute it.

import { LITTLE_ENDIAN, murmur3x86_32, murmur3x86_32Words } from './murmur3.js';
import { parseBase36Int, QueryParam } from './params.js';
import { EventQuery } from './query.js';

/**
 * Decoded query parameters: a multimap (`key → values in arrival order`) or any iterable of
 * `[key, value]` pairs such as `URLSearchParams`, where a repeated key appears once per value.
 */
export type ChecksumParams = ReadonlyMap<string, readonly string[]> | Iterable<readonly [string, string]>;

interface Collected {
  /** Every key and value but the checksum's, in arrival order (a repeated key once per value). */
  readonly keys: string[];
  readonly values: string[];
  readonly checksum: string | undefined;
}

function collect(params: ChecksumParams): Collected {
  if (params instanceof EventQuery) {
    // The parsed query as it is: canonicalText() passes over its `x`.
    return { keys: params.keys, values: params.values, checksum: params.first(QueryParam.checksum) };
  }
  const keys: string[] = [];
  const values: string[] = [];
  let checksum: string | undefined;
  // Both shapes iterate as [key, something]; telling them apart per entry avoids guessing the
  // container type, which would misfire on URLSearchParams (it has a Map-like get()).
  for (const [key, value] of params as Iterable<readonly [string, string | readonly string[]]>) {
    if (key === QueryParam.checksum) {
      if (checksum === undefined) checksum = typeof value === 'string' ? value : value[0];
    } else if (typeof value === 'string') {
      keys.push(key);
      values.push(value);
    } else {
      for (const v of value) {
        keys.push(key);
        values.push(v);
      }
    }
  }
  return { keys, values, checksum };
}

// An event has about sixteen parameters: an insertion sort of their positions in a kept array beats
// building and sorting [key, value] pairs, and as nearly every event of a tracker sends the same keys
// in the same order, the order of the last key sequence is kept and reused when the next is equal.
// Longer (hostile) queries take the built-in sort, O(n log n) where insertion is O(n²).
const INSERTION_SORT_LIMIT = 32;
const order = /* @__PURE__ */ new Uint16Array(INSERTION_SORT_LIMIT);
let orderedKeys: readonly string[] = [];

/**
 * The positions of `keys` in sorted order. Keys compare by UTF-16 code units (what < does on
 * strings), exactly like Java's String.compareTo in Divolte's sorted map and Array.prototype.sort in
 * divolte.js; the order is stable, so a repeated key keeps its values in arrival order.
 */
function sortedPositions(keys: readonly string[]): ArrayLike<number> {
  const count = keys.length;
  if (count > INSERTION_SORT_LIMIT) {
    return Array.from(keys.keys()).sort((a, b) => {
      const ka = keys[a]!;
      const kb = keys[b]!;
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
  }
  if (count === orderedKeys.length) {
    let same = true;
    for (let i = 0; i < count && same; i++) same = keys[i] === orderedKeys[i];
    if (same) return order;
  }
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    let j = i;
    // Strictly greater: equal keys keep their arrival order.
    while (j > 0 && keys[order[j - 1]!]! > key) {
      order[j] = order[j - 1]!;
      j--;
    }
    order[j] = i;
  }
  orderedKeys = keys.slice();
  return order;
}

// `k=` and `,;k=` (which also closes the previous key's last value) for the one-letter keys every
// tracker sends: built once instead of concatenated per event.
const FIRST_OPENERS: readonly string[] = /* @__PURE__ */ Array.from(
  { length: 128 },
  (_, code) => `${String.fromCharCode(code)}=`,
);
const OPENERS: readonly string[] = /* @__PURE__ */ FIRST_OPENERS.map((first) => `,;${first}`);
const isLetterKey = (key: string): boolean => key.length === 1 && key.charCodeAt(0) < 128;

/**
 * The string the checksum hashes: every parameter but `x`, keys sorted, `key=` opening each key's
 * values, `,` after every value and `;` after every key (`a=1,;b=2,3,;`). Run for every pixel.
 */
function canonicalText(keys: readonly string[], values: readonly string[]): string {
  const sorted = sortedPositions(keys);
  // Appended left to right (`s = s + a + b`), so every step adds a rope node and nothing is copied
  // until the one flattening in hashString().
  let s = '';
  let previous: string | undefined;
  for (let n = 0; n < keys.length; n++) {
    const i = sorted[n]!;
    const key = keys[i]!;
    if (key === QueryParam.checksum) continue;
    let opener: string;
    if (key === previous) opener = ',';
    else if (previous === undefined)
      opener = isLetterKey(key) ? FIRST_OPENERS[key.charCodeAt(0)]! : key + '=';
    else opener = isLetterKey(key) ? OPENERS[key.charCodeAt(0)]! : ',;' + key + '=';
    s = s + opener + values[i]!;
    previous = key;
  }
  return previous === undefined ? '' : s + ',;';
}

/**
 * The string the checksum hashes (see canonicalText). Exposed for debug logging of mismatches, as
 * Divolte logged it.
 */
export function checksumInput(params: ChecksumParams): string {
  const { keys, values } = collect(params);
  return canonicalText(keys, values);
}

const encoder = /* @__PURE__ */ new TextEncoder();
// Reused across calls: encodeInto() into a kept buffer costs less than half of encode(), which
// allocates every time. Safe because nothing here yields or re-enters while the buffer is in use.
let buffer = /* @__PURE__ */ new Uint8Array(1024);
let words = /* @__PURE__ */ new Int32Array(buffer.buffer);

/**
 * The `x` value for these parameters: MurmurHash3 x86 32 (seed 0) of the UTF-8 canonical string,
 * as a signed int in base 36. Any `x` among the parameters is ignored.
 */
export function computeChecksum(params: ChecksumParams): string {
  return hashString(checksumInput(params)).toString(36);
}

/**
 * Whether the parameters carry a correct `x` (its first value, as for every key). Like Divolte,
 * `x` is compared as a number, not as text, so `SI9804` and `+si9804` match `si9804`; a missing,
 * empty or unparsable `x` is a mismatch.
 */
export function verifyChecksum(params: ChecksumParams): boolean {
  const { keys, values, checksum } = collect(params);
  if (checksum === undefined) return false;
  // Divolte parsed `x` as a long; a value outside int32 can never equal the int hash, so the
  // int32 parser gives the same verdict.
  const expected = parseBase36Int(checksum);
  return expected !== undefined && expected === hashString(canonicalText(keys, values));
}

/** MurmurHash3 x86 32 of the UTF-8 bytes of `s`, reusing the module's buffer. */
function hashString(s: string): number {
  // UTF-8 needs at most three bytes per UTF-16 code unit; whole words for the word view.
  if (buffer.length < s.length * 3) {
    buffer = new Uint8Array((s.length * 3 + 3) & ~3);
    words = new Int32Array(buffer.buffer);
  }
  const { written } = encoder.encodeInto(s, buffer);
  return LITTLE_ENDIAN
    ? murmur3x86_32Words(words, buffer, written)
    : murmur3x86_32(buffer.subarray(0, written), 0);
}
