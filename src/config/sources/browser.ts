/**
 * The `browser` source: Divolte's tracker endpoints (script, event pixel, optional demo page) under
 * one URL prefix, and the cookies they set.
 */
import { z } from 'zod';
import { cookieName, duration, prefix, segment, type DeepReadonly } from '../fields.js';
import type { SourceSpec } from './spec.js';

const schema = z
  .object({
    type: z.literal('browser'),
    prefix: prefix.default('/'),
    scriptName: segment.default('divolte.js'),
    eventSuffix: segment.default('csc-event'),
    partyCookie: cookieName.default('_dvp'),
    sessionCookie: cookieName.default('_dvs'),
    partyTimeout: duration.prefault('730d'),
    sessionTimeout: duration.prefault('30m'),
    cookieDomain: z
      .string()
      .regex(/^\.?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/, 'must be a domain such as example.com or .example.com')
      .nullable()
      .default(null),
    cookieSameSite: z.enum(['lax', 'strict', 'none']).default('lax'),
    cookieSecure: z.enum(['auto', 'always', 'never']).default('auto'),
    serverCookies: z.boolean().default(false),
    partyAnchorCookie: cookieName.nullable().default(null),
    autoPageView: z.boolean().default(true),
    spaPageViews: z.enum(['off', 'path', 'full']).default('off'),
    honorPrivacySignals: z.boolean().default(false),
    scriptCacheMaxAge: duration.prefault('1h'),
    demoPage: z.boolean().default(true),
  })
  .strict()
  .refine((source) => source.cookieSameSite !== 'none' || source.cookieSecure !== 'never', {
    message: 'cookieSameSite: none needs secure cookies; browsers drop it otherwise',
    path: ['cookieSecure'],
  })
  .refine(
    (source) =>
      source.partyAnchorCookie === null ||
      (source.partyAnchorCookie !== source.partyCookie && source.partyAnchorCookie !== source.sessionCookie),
    {
      message: 'must differ from partyCookie and sessionCookie: the tracker cannot read an HttpOnly cookie',
      path: ['partyAnchorCookie'],
    },
  );

export type BrowserSourceConfig = DeepReadonly<z.output<typeof schema>>;

export const browserSourceSpec: SourceSpec<'browser', typeof schema> = {
  type: 'browser',
  schema,
  endpoints: (source) => [
    { url: `${source.prefix}${source.eventSuffix}`, key: 'prefix' },
    { url: `${source.prefix}${source.scriptName}`, key: 'scriptName' },
    ...(source.demoPage ? [{ url: source.prefix, key: 'demoPage' }] : []),
  ],
};
