/**
 * The value types config keys share: durations and sizes with units, ports, URL path pieces, cookie
 * names. Every section's schema (server, each source type, each sink type) builds on these, so one
 * spelling of `30m` or `4kb` is accepted everywhere.
 *
 * Durations, sizes and ports take any input and check it themselves, so every wrong value gets the
 * same message ("expected a duration such as …; got true"), and carry in `meta` the JSON Schema of the
 * inputs they accept: the published schema (json-schema.ts) lets a YAML editor accept `30s` and `64mb`,
 * which zod's own translation of a transform cannot know.
 */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration, parseSize, SIZE_PATTERN } from './units.js';

/**
 * The longest delay a Node.js timer takes: setTimeout and setInterval fire after 1 ms instead, with
 * only a warning, so `shutdownTimeout: 30d` made shutdown immediate.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

const DURATION_EXAMPLES = '500ms, 30s, 30m, 1h or 730d';

/** A string or number the parser reads, else undefined. */
const unitValue = <T>(value: unknown, parse: (v: string | number) => T | undefined): T | undefined =>
  typeof value === 'string' || typeof value === 'number' ? parse(value) : undefined;

function durationField(max?: number) {
  return z
    .unknown()
    .transform((value, ctx) => {
      const ms = unitValue(value, parseDuration);
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
    })
    .meta({
      description: `A duration such as ${DURATION_EXAMPLES}; a bare number is milliseconds.${
        max === undefined ? '' : ` At most 24.8 days (${max}ms): a timer waits it out.`
      }`,
      anyOf: [
        { type: 'string', pattern: DURATION_PATTERN },
        { type: 'number', minimum: 0, ...(max === undefined ? {} : { maximum: max }) },
      ],
    });
}

/** A duration that no timer waits out: a cookie's or a cached script's lifetime, a file's age. */
export const duration = durationField();

/** A duration a timer waits out (setTimeout, setInterval, a socket's timeout): at most MAX_TIMER_MS. */
export const timerDuration = durationField(MAX_TIMER_MS);

export const size = z
  .unknown()
  .transform((value, ctx) => {
    const bytes = unitValue(value, parseSize);
    if (bytes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a size such as 4kb, 16mb or 1gb; got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return bytes;
  })
  .meta({
    description: 'A size such as 512b, 4kb, 16mb or 1gb (binary multiples); a bare number is bytes.',
    anyOf: [
      { type: 'string', pattern: SIZE_PATTERN },
      { type: 'number', minimum: 0 },
    ],
  });

/** A port in a string, as environment variables (and quoted YAML values) give it: 0 to 65535. */
const PORT_STRING = /^0*(?:6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|\d{1,4})$/;

/**
 * A TCP port. Any input, so that every wrong one gets the same message: coercion turned `eighty` into
 * "received NaN", and `true`, `""` or an empty key into ports 1 and 0.
 */
export const port = z
  .unknown()
  .transform((value, ctx) => {
    const number = typeof value === 'string' && PORT_STRING.test(value) ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= 0 && number <= 65535)
      return number;
    ctx.addIssue({
      code: 'custom',
      message: `expected a port number (0-65535), got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  })
  .meta({
    description: 'A TCP port from 0 to 65535.',
    anyOf: [
      { type: 'integer', minimum: 0, maximum: 65535 },
      { type: 'string', pattern: PORT_STRING.source },
    ],
  });

export const nonEmpty = z.string().min(1);

/** The name of a source, sink or mapping: it appears in file names, metrics and log lines. */
export const ENTRY_NAME = /^[A-Za-z0-9_-]{1,64}$/;

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
