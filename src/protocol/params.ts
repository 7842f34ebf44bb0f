// Query parameter names of a browser event and the parsers for their values. The parsers follow
// what Divolte's server accepted (Java's Integer.valueOf / Long.parseLong with radix 36: optional
// sign, digits in either case, leading zeros allowed) so that no event Divolte kept is lost here,
// and narrow it only where JavaScript numbers force it (see parseBase36Long).

/** The one-letter query parameters of `csc-event`, by meaning. */
export const QueryParam = /* @__PURE__ */ Object.freeze({
  partyId: 'p',
  sessionId: 's',
  pageViewId: 'v',
  eventId: 'e',
  clientTimestamp: 'c',
  isNewParty: 'n',
  isFirstInSession: 'f',
  location: 'l',
  referer: 'r',
  screenPixelWidth: 'i',
  screenPixelHeight: 'j',
  devicePixelRatio: 'k',
  viewportPixelWidth: 'w',
  viewportPixelHeight: 'h',
  eventType: 't',
  eventParameters: 'u',
  checksum: 'x',
} as const);

/** The event type the tracker sends on its own for every page load. */
export const PAGE_VIEW_EVENT_TYPE = 'pageView';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

// Case-insensitive digit values; -1 for anything that is not a base-36 digit.
function digit36(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 122) return c - 87; // a-z
  if (c >= 65 && c <= 90) return c - 55; // A-Z
  return -1;
}

// Parses [+-]?[0-9a-zA-Z]+ into an integer within [min, max], or undefined.
function parseBase36Integer(s: string, min: number, max: number): number | undefined {
  const len = s.length;
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i = 1;
  }
  if (i >= len) return undefined;
  const limit = negative ? -min : max;
  let n = 0;
  for (; i < len; i++) {
    const d = digit36(s.charCodeAt(i));
    if (d < 0) return undefined;
    // While the true value stays at or below 2^53 every step is exact; once it passes the limit
    // (never above 2^53) the rounded value cannot fall back below it, so this test is sound.
    n = n * 36 + d;
    if (n > limit) return undefined;
  }
  return negative ? (n === 0 ? 0 : -n) : n;
}

/**
 * A base-36 int32 such as a screen or viewport size (`i`, `j`, `w`, `h`). Accepts what Java's
 * `Integer.valueOf(s, 36)` accepts: an optional `+` or `-`, digits in either case, the full signed
 * 32-bit range (negative sizes are nonsense but Divolte kept them, so the record may hold them).
 * Empty input, any other character, or a value outside int32 give `undefined`: the field is
 * absent, the event is kept.
 */
export function parseBase36Int(s: string): number | undefined {
  return parseBase36Integer(s, INT32_MIN, INT32_MAX);
}

/**
 * A base-36 long such as the client timestamp (`c`), in ms since the epoch. Divolte allowed the
 * whole Java long range; JavaScript numbers are exact only up to 2^53 - 1, so anything beyond the
 * safe-integer range gives `undefined` rather than a silently rounded time (that is roughly
 * ±285,000 years, so no real clock is affected).
 */
export function parseBase36Long(s: string): number | undefined {
  return parseBase36Integer(s, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

const MAX_FLOAT_LENGTH = 64;

/**
 * A base-36 fraction such as the device pixel ratio (`k`): `2` is 2, `1.i` is 1.5, `.i` and `-1.i`
 * parse too. Divolte parsed `k` as an int and lost every fractional ratio; Footfall keeps them.
 *
 * Unlike the integer parsers, digits must be lowercase, which is all `Number.prototype.toString(36)`
 * ever produces. The reason is that `NaN` and `Infinity` consist of base-36 digits only: a tracker
 * that sent `devicePixelRatio.toString(36)` for a non-finite ratio would otherwise be read as 30623
 * or a huge number. Longer than 64 characters gives `undefined` (real ratios need about 12).
 */
export function parseBase36Float(s: string): number | undefined {
  const len = s.length;
  if (len === 0 || len > MAX_FLOAT_LENGTH) return undefined;
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i = 1;
  }
  let whole = 0;
  let digits = 0;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) break;
    const d = lowerDigit36(c);
    if (d < 0) return undefined;
    whole = whole * 36 + d;
    digits++;
  }
  let fraction = 0;
  if (i < len) {
    const dot = i;
    // Horner's scheme from the last digit back keeps each step a single rounding.
    for (let j = len - 1; j > dot; j--) {
      const d = lowerDigit36(s.charCodeAt(j));
      if (d < 0) return undefined;
      fraction = (fraction + d) / 36;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  const value = whole + fraction;
  if (!Number.isFinite(value)) return undefined;
  return negative && value !== 0 ? -value : value;
}

function lowerDigit36(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  return -1;
}

/**
 * The tracker side of {@link parseBase36Float}. `undefined` for NaN and ±Infinity, which have no
 * base-36 form: the tracker then leaves the parameter out.
 */
export function encodeBase36Float(n: number): string | undefined {
  return Number.isFinite(n) ? n.toString(36) : undefined;
}

/**
 * A `t`/`f` flag (`n`, `f`). Divolte compared the value with `t` and took everything else as false,
 * so only an absent parameter gives `undefined` (the caller then drops the event, as Divolte did).
 */
export function parseBool(s: string | undefined): boolean | undefined {
  return s === undefined ? undefined : s === 't';
}

export function encodeBool(b: boolean): 't' | 'f' {
  return b ? 't' : 'f';
}
