/**
 * The value types config keys share: durations and sizes with units, ports, URL path pieces, cookie
 * names. Every section's schema (server, each source type, each sink type) builds on these, so one
 * spelling of `30m` or `4kb` is accepted everywhere.
 */
import { z } from 'zod';
import { parseDuration, parseSize } from './units.js';

/**
 * The longest delay a Node.js timer takes: setTimeout and setInterval fire after 1 ms instead, with
 * only a warning, so `shutdownTimeout: 30d` made shutdown immediate.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const DURATION_EXAMPLES = '500ms, 30s, 30m, 1h or 730d';

function durationField(max?: number) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as ${DURATION_EXAMPLES}; got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    if (max !== undefined && ms > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most 24.8 days (${max}ms), the longest a timer can wait; got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

/** A duration that no timer waits out: a cookie's or a cached script's lifetime, a file's age. */
export const duration = durationField();

/** A duration a timer waits out (setTimeout, setInterval, a socket's timeout): at most MAX_TIMER_MS. */
export const timerDuration = durationField(MAX_TIMER_MS);

export const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a size such as 4kb, 16mb or 1gb; got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return bytes;
});

/** A port in a string, as environment variables (and quoted YAML values) give it: 0 to 65535. */
const PORT_STRING = /^0*(?:6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|\d{1,4})$/;

/**
 * A TCP port. Any input, so that every wrong one gets the same message: coercion turned `eighty` into
 * "received NaN", and `true`, `""` or an empty key into ports 1 and 0.
 */
export const port = z.unknown().transform((value, ctx) => {
  const number = typeof value === 'string' && PORT_STRING.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 0 && number <= 65535) return number;
  ctx.addIssue({ code: 'custom', message: `expected a port number (0-65535), got ${JSON.stringify(value)}` });
  return z.NEVER;
});

export const nonEmpty = z.string().min(1);

// Literal path segments only: RFC 3986's unreserved characters, and no `.` or `..` segment. The router
// reads `:id` and `*` as a parameter and a wildcard (`/:id/` served the tracker under any first
// segment, `/*/` passed check-config and failed serve), and clients send `%zz`, `%7E` or dot segments
// in spellings an exact match never sees, so such a prefix served the wrong URLs or none.
const SEGMENT = String.raw`(?!\.\.?(?:/|$))[A-Za-z0-9._~-]+`;
const LITERAL = 'literal path segments of letters, digits and - . _ ~ (no :name, * or %-escapes)';

/** A URL path prefix: starts and ends with `/`, literal segments in between (`/`, `/collect/v1/`). */
export const prefix = z
  .string()
  .regex(new RegExp(`^/(?:${SEGMENT}/)*$`), `must start and end with "/" and hold only ${LITERAL}`);

/** A URL path: starts with `/`, literal segments after it (`/json`, `/collect/v1`, `/collect/`). */
export const urlPath = z
  .string()
  .regex(new RegExp(`^/(?:${SEGMENT}/)*(?:${SEGMENT})?$`), `must start with "/" and hold only ${LITERAL}`);

/** One path segment, used for script and event names under a prefix. */
export const segment = z
  .string()
  .regex(/^[A-Za-z0-9._~-]+$/, 'must be a single URL path segment (letters, digits, . _ ~ -)');

/** An RFC 6265 cookie name: it is written into `document.cookie` and `Set-Cookie` as it is. */
export const cookieName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be a cookie name (letters, digits and !#$%&'*+.^_`|~-)");

/** The frozen config's view of a parsed value: nothing in it can be assigned to. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
