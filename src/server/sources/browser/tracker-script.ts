/**
 * The tracker script of a browser source: `GET {prefix}{scriptName}`. `npm run build` bundles
 * src/tracker-js into templates (scripts/build-tracker.mjs); at start-up each source gets the
 * template with its features, its settings written over the placeholder, and the result compressed
 * once with gzip and brotli. Requests then only pick a ready buffer, so serving the script costs no
 * more than serving the pixel, and esbuild is never needed at run time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserSourceConfig } from '../../../config/index.js';
import {
  TRACKER_SETTINGS_PLACEHOLDER,
  trackerTemplateName,
  type TrackerFeatures,
  type TrackerSettings,
} from '../../../protocol/tracker-settings.js';
import { ERROR_CODES, sendError } from '../../errors.js';
import { cookieAttributes } from './cookies.js';

class TrackerScriptError extends Error {
  readonly code = 'FOOTFALL_ERR_TRACKER_MISSING';
}

export type ContentEncoding = 'br' | 'gzip' | 'identity';

export interface TrackerScript {
  readonly bodies: Readonly<Record<ContentEncoding, Buffer>>;
  /** A strong ETag per representation: the same script gzipped is a different byte sequence. */
  readonly etags: Readonly<Record<ContentEncoding, string>>;
}

function trackerFeatures(source: BrowserSourceConfig): TrackerFeatures {
  return { spa: source.spaPageViews !== 'off', privacy: source.honorPrivacySignals };
}

export function trackerSettings(source: BrowserSourceConfig): TrackerSettings {
  return [
    source.partyCookie,
    source.sessionCookie,
    Math.floor(source.partyTimeout / 1000),
    Math.floor(source.sessionTimeout / 1000),
    cookieAttributes(source, source.cookieSecure === 'always'),
    source.cookieSecure === 'auto',
    source.eventSuffix,
    source.autoPageView,
    source.spaPageViews === 'full' ? 2 : source.spaPageViews === 'path' ? 1 : 0,
  ];
}

/**
 * JSON for a script context: `<`, `>` and `&` cannot close a script element or open a comment,
 * and U+2028/U+2029, legal in JSON strings, cannot end a line in older JavaScript engines. No
 * configuration value can therefore become code.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** The template with the settings in place of the placeholder (a function replacer: no `$` patterns). */
export function renderTrackerScript(template: string, settings: TrackerSettings): string {
  const at = template.indexOf(TRACKER_SETTINGS_PLACEHOLDER);
  if (at < 0 || template.indexOf(TRACKER_SETTINGS_PLACEHOLDER, at + 1) >= 0) {
    throw new TrackerScriptError('the tracker template must hold its settings placeholder exactly once');
  }
  return template.replace(TRACKER_SETTINGS_PLACEHOLDER, () => scriptJson(settings));
}

// dist/server/sources/browser/ → dist/tracker/ when compiled; src/server/sources/browser/ → dist/tracker/ when the
// TypeScript runs directly (tests), which needs `npm run build` (the test set-up does it).
const TEMPLATE_FOLDERS = [
  new URL('../../../tracker/', import.meta.url),
  new URL('../../../../dist/tracker/', import.meta.url),
];
const templates = new Map<string, string>();

function loadTrackerTemplate(features: TrackerFeatures): string {
  const name = trackerTemplateName(features);
  let template = templates.get(name);
  if (template === undefined) {
    for (const folder of TEMPLATE_FOLDERS) {
      try {
        template = readFileSync(new URL(name, folder), 'utf8');
        break;
      } catch {
        // Try the next layout.
      }
    }
    if (template === undefined) {
      throw new TrackerScriptError(`the tracker template ${name} is missing; run npm run build`);
    }
    templates.set(name, template);
  }
  return template;
}

export function buildTrackerScript(source: BrowserSourceConfig): TrackerScript {
  const identity = Buffer.from(
    renderTrackerScript(loadTrackerTemplate(trackerFeatures(source)), trackerSettings(source)),
  );
  const bodies = {
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: brotliCompressSync(identity, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  };
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  return {
    bodies,
    etags: { identity: `"${hash}"`, gzip: `"${hash}-gz"`, br: `"${hash}-br"` },
  };
}

/**
 * The encoding to answer with: the acceptable one with the highest q-value, brotli before gzip
 * before identity on a tie. Identity stays acceptable unless refused by name or through `*;q=0`
 * (and if everything is refused it is still sent: a script is better than a 406).
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentEncoding {
  const q: Partial<Record<string, number>> = {};
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim());
    if (!coding) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q[coding] = Number.isFinite(value) ? value : 0;
  }
  const weight = (coding: ContentEncoding): number =>
    q[coding] ?? (coding === 'identity' ? (q['*'] ?? 1) || 0 : (q['*'] ?? 0));
  let best: ContentEncoding = 'identity';
  for (const coding of ['gzip', 'br'] as const) {
    if (weight(coding) > 0 && weight(coding) >= weight(best)) best = coding;
  }
  return best;
}

/** Weak comparison (RFC 9110 §13.1.2), as If-None-Match requires. */
function matches(ifNoneMatch: string | undefined, etags: readonly string[]): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || etags.includes(tag);
  });
}

export interface TrackerScriptOptions {
  readonly source: BrowserSourceConfig;
}

export const trackerScriptRoute: FastifyPluginAsync<TrackerScriptOptions> = async (app, { source }) => {
  const script = buildTrackerScript(source);
  const allEtags = Object.values(script.etags);
  const cacheControl = `public, max-age=${Math.floor(source.scriptCacheMaxAge / 1000)}`;
  const url = `${source.prefix}${source.scriptName}`;

  const handler = (request: FastifyRequest, reply: FastifyReply): void => {
    const encoding = negotiateEncoding(request.headers['accept-encoding']);
    reply.headers({
      'cache-control': cacheControl,
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
      etag: script.etags[encoding],
    });
    // Any of the three tags names the same script, whichever encoding the cache holds it in.
    if (matches(request.headers['if-none-match'], allEtags)) {
      reply.code(304).send();
      return;
    }
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    reply.code(200).type('application/javascript; charset=utf-8').send(script.bodies[encoding]);
  };

  app.route({ method: 'GET', url, handler });
  // Any other method, answered before a body is read.
  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('allow', 'GET, HEAD');
    return sendError(reply, 405, ERROR_CODES.method, 'use GET or HEAD');
  };
  app.route({
    method: app.supportedMethods.filter((method) => method !== 'GET' && method !== 'HEAD'),
    url,
    onRequest: notAllowed,
    handler: notAllowed,
  });
};
