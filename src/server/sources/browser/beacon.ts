/**
 * The body of a beacon (`POST {prefix}{eventSuffix}`): one event query string per line, in the order
 * the tracker signalled them. Pure: no Fastify, no I/O.
 */

/**
 * Most events in one beacon. The tracker holds at most 32; a beacon body is capped at 64 KiB by
 * browsers anyway.
 */
export const MAX_BEACON_EVENTS = 64;
export const MAX_BEACON_BYTES = 64 * 1024;

export type BeaconLines =
  | { readonly ok: true; readonly lines: readonly string[] }
  /** More than the limit: how many non-blank lines the body holds, none of them parsed. */
  | { readonly ok: false; readonly events: number };

const LF = 0x0a;
const CR = 0x0d;

/** What String.prototype.trim() removes, so a line it would empty is blank here too. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * The body's non-blank lines, trimmed; lines end at `\r\n`, `\n` or a bare `\r` (a client that ends
 * lines with `\r` alone would otherwise send one corrupt event and lose the rest). Over `maxEvents`
 * non-blank lines the body is counted, not cut: a 64 KiB body of 32,760 one-character lines cost
 * 46 ms of CPU when every line was parsed before the limit was checked; counting them is one pass
 * over the characters without allocating, and every one of them still ends in an outcome.
 */
export function beaconLines(body: string, maxEvents = MAX_BEACON_EVENTS): BeaconLines {
  const lines: string[] = [];
  let count = 0;
  let start = 0;
  let blank = true;
  const length = body.length;
  for (let i = 0; i <= length; i++) {
    const code = i === length ? LF : body.charCodeAt(i);
    if (code !== LF && code !== CR) {
      if (blank && !isSpace(code)) blank = false;
      continue;
    }
    if (!blank) {
      count++;
      if (count <= maxEvents) lines.push(body.slice(start, i).trim());
    }
    // `\r\n` is one line end, not two.
    if (code === CR && i + 1 < length && body.charCodeAt(i + 1) === LF) i++;
    start = i + 1;
    blank = true;
  }
  return count > maxEvents ? { ok: false, events: count } : { ok: true, lines };
}
