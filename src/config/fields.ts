/**
 * The value types config keys share: durations and sizes with units, ports, URL path pieces, cookie
 * names. Every section's schema (server, each source type, each sink type) builds on these, so one
 * spelling of `30m` or `4kb` is accepted everywhere.
 */
import { z } from 'zod';
import { parseDuration, parseSize } from './units.js';

export const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration such as 500ms, 30s, 30m, 1h or 730d; got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return ms;
});

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

export const port = z.coerce.number().int().min(0).max(65535);
export const nonEmpty = z.string().min(1);

/** A URL path prefix: starts and ends with `/`, no query or fragment. */
export const prefix = z
  .string()
  .regex(
    /^\/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+\/)*$/,
    'must start and end with "/" and contain only URL path characters',
  );

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
