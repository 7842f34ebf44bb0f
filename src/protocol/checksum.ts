// The `x` checksum of a browser event. It only guards against proxies and browsers that truncate
// or mangle the URL, not against tampering: anybody can compute it.

import { LITTLE_ENDIAN, murmur3x86_32, murmur3x86_32Words, utf8 } from './murmur3.js';
import { parseBase36Int, QueryParam } from './params.js';
import { EventQuery } from './query.js';

/**
 * Decoded query parameters: a multimap (`key → values in arrival order`) or any iterable of
 * `[key, value]` pairs such as `URLSearchParams`, where a repeated key appears once per value.
 */
export type ChecksumParams = ReadonlyMap<string, readonly string[]> | Iterable<readonly [string, string]>;

interface Collected {
  /** Every value but the checksum's, as [key, value] in arrival order. */
  readonly entries: (readonly [string, string])[];
  readonly checksum: string | undefined;
}

function collect(params: ChecksumParams): Collected {
  const entries: (readonly [string, string])[] = [];
  let checksum: string | undefined;
  // Both shapes iterate as [key, something]; telling them apart per entry avoids guessing the
  // container type, which would misfire on URLSearchParams (it has a Map-like get()).
  for (const [key, value] of params as Iterable<readonly [string, string | readonly string[]]>) {
    if (key === QueryParam.checksum) {
      if (checksum === undefined) checksum = typeof value === 'string' ? value : value[0];
    } else if (typeof value === 'string') {
      entries.push([key, value]);
    } else {
      for (const v of value) entries.push([key, v]);
    }
  }
  return { entries, checksum };
}

const byKey = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : +(a[0] > b[0]);

function canonicalize(entries: (readonly [string, string])[]): string {
  // Keys compare by UTF-16 code units (what < does on strings), exactly like Java's
  // String.compareTo in Divolte's sorted map and Array.prototype.sort in divolte.js. The sort is
  // stable (guaranteed since ES2019), so a repeated key keeps its values in arrival order. A
  // hand-written insertion sort measured faster for an event's ~16 parameters; the built-in is kept
  // because it is shorter.
  entries.sort(byKey);
  let s = '';
  let previous: string | undefined;
  for (const [key, value] of entries) {
    // `key=` opens each run of a key (`;` before all but the first), `value,` follows every value.
    s += (key === previous ? '' : (s && ';') + key + '=') + value + ',';
    previous = key;
  }
  // Every entry adds text, so s is empty only without entries.
  return s && s + ';';
}

/**
 * The string the checksum hashes: every parameter but `x`, keys sorted, `key=` + each value and
 * `,` + `;`. Exposed for debug logging of mismatches, as Divolte logged it.
 */
export function checksumInput(params: ChecksumParams): string {
  return canonicalize(collect(params).entries);
}

const encoder = /* @__PURE__ */ new TextEncoder();
// Reused across calls: encodeInto() into a kept buffer costs less than half of encode(), which
// allocates every time. Safe because nothing here yields or re-enters while the buffer is in use.
let buffer = /* @__PURE__ */ new Uint8Array(1024);
let words = /* @__PURE__ */ new Int32Array(buffer.buffer);

function hashOf(entries: (readonly [string, string])[]): number {
  return hashString(canonicalize(entries));
}

/**
 * The `x` value for these parameters: MurmurHash3 x86 32 (seed 0) of the UTF-8 canonical string,
 * as a signed int in base 36. Any `x` among the parameters is ignored.
 */
export function computeChecksum(params: ChecksumParams): string {
  return hashOf(collect(params).entries).toString(36);
}

/**
 * The `x` value for parameters already flattened into `[key, value]` pairs in arrival order, `x`
 * not among them. Sorts `pairs` in place. (The browser tracker, whose keys are single letters that
 * never repeat, builds the same canonical string in fewer bytes: see src/tracker-js/query.ts.)
 */
export function checksumOfPairs(pairs: (readonly [string, string])[]): string {
  // utf8() allocates where hashOf() reuses a buffer; the server's hot path is verifyChecksum().
  return murmur3x86_32(utf8(canonicalize(pairs))).toString(36);
}

/**
 * Whether the parameters carry a correct `x` (its first value, as for every key). Like Divolte,
 * `x` is compared as a number, not as text, so `SI9804` and `+si9804` match `si9804`; a missing,
 * empty or unparsable `x` is a mismatch.
 */
export function verifyChecksum(params: ChecksumParams): boolean {
  if (params instanceof EventQuery) return verifyEventQueryChecksum(params);
  const { entries, checksum } = collect(params);
  if (checksum === undefined) return false;
  // Divolte parsed `x` as a long; a value outside int32 can never equal the int hash, so the
  // int32 parser gives the same verdict.
  const expected = parseBase36Int(checksum);
  return expected !== undefined && expected === hashOf(entries);
}

// An event has about sixteen parameters: an insertion sort of their positions in a kept array beats
// building and sorting [key, value] pairs, and as nearly every event of a tracker sends the same keys
// in the same order, the order of the last key sequence is kept and reused when the next is equal.
// Longer (hostile) queries take the built-in sort, O(n log n) where insertion is O(n²).
const INSERTION_SORT_LIMIT = 32;
const order = /* @__PURE__ */ new Uint16Array(INSERTION_SORT_LIMIT);
let orderedKeys: readonly string[] = [];

/** The positions of `keys` in sorted order; stable, so a repeated key keeps its arrival order. */
function sortedPositions(keys: readonly string[]): ArrayLike<number> {
  const count = keys.length;
  if (count > INSERTION_SORT_LIMIT) {
    // Plain comparison orders by UTF-16 code units, like canonicalize(); ties by position.
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
 * verifyChecksum() for the server's parsed query, run for every pixel: the same canonical string as
 * canonicalize() builds (`k=v1,v2,;` per key), from the positions of the keys in sorted order.
 */
function verifyEventQueryChecksum(query: EventQuery): boolean {
  const checksum = query.first(QueryParam.checksum);
  if (checksum === undefined) return false;
  const expected = parseBase36Int(checksum);
  if (expected === undefined) return false;
  const { keys, values } = query;
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
  return expected === hashString(previous === undefined ? '' : s + ',;');
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
