import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../../src/collector/collector.js';
import {
  negotiateEncoding,
  renderTrackerScript,
  scriptJson,
  trackerSettings,
} from '../../../src/server/sources/browser/tracker-script.js';
import { configFrom, inProcessCollector } from '../../support/collector.js';
import type { BrowserSourceConfig } from '../../../src/config/index.js';

function browserSource(yaml: string): BrowserSourceConfig {
  const { config } = configFrom(
    `sources:\n  web: { type: browser${yaml} }\nsinks:\n  files: { type: file }\n`,
  );
  const source = config.sources.web;
  if (source?.type !== 'browser') throw new Error('expected a browser source');
  return source;
}

describe('the tracker script route', () => {
  let collector: RunningCollector | undefined;
  afterEach(async () => {
    await collector?.shutdown();
    collector = undefined;
  });

  async function start(extra = ''): Promise<RunningCollector> {
    collector = (await inProcessCollector(`server: { shutdownDelay: 0 }\n${extra}`)).collector;
    return collector;
  }

  const get = (c: RunningCollector, headers: Record<string, string> = {}, url = '/divolte.js') =>
    c.app.inject({ method: 'GET', url, headers });

  it('serves JavaScript with the caching and safety headers the issue lists', async () => {
    const c = await start();
    const response = await get(c);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
    });
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toContain(
      '["_dvp","_dvs",63072000,1800,"; path=/; samesite=Lax",true,"csc-event",true,0]',
    );
    expect(response.body).not.toContain('__FOOTFALL_TRACKER_SETTINGS__');
  });

  it('sends brotli or gzip as the browser accepts, each decoding to the same script', async () => {
    const c = await start();
    const plain = (await get(c)).rawPayload;
    const br = await get(c, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(plain)).toBe(true);
    const gzip = await get(c, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).equals(plain)).toBe(true);
    expect(new Set([br.headers.etag, gzip.headers.etag, (await get(c)).headers.etag]).size).toBe(3);
  });

  it('answers 304 to any of its ETags, weak or strong, and to *', async () => {
    const c = await start();
    const gzipTag = (await get(c, { 'accept-encoding': 'gzip' })).headers.etag as string;
    for (const ifNoneMatch of [gzipTag, `W/${gzipTag}`, `"other", ${gzipTag}`, '*']) {
      const response = await get(c, { 'if-none-match': ifNoneMatch, 'accept-encoding': 'br' });
      expect(response.statusCode).toBe(304);
      expect(response.rawPayload.length).toBe(0);
      expect(response.headers['cache-control']).toBe('public, max-age=3600');
    }
    expect((await get(c, { 'if-none-match': '"stale"' })).statusCode).toBe(200);
  });

  it('answers HEAD like GET without a body and other methods with 405', async () => {
    const c = await start();
    const head = await c.app.inject({ method: 'HEAD', url: '/divolte.js' });
    expect(head.statusCode).toBe(200);
    expect(head.rawPayload.length).toBe(0);
    for (const method of ['POST', 'PUT', 'OPTIONS', 'PROPFIND']) {
      const other = await c.app.inject({ method, url: '/divolte.js', payload: 'x' });
      expect(other.statusCode, method).toBe(405);
      expect(other.headers.allow).toBe('GET, HEAD');
      expect(other.json()).toMatchObject({ error: 'FOOTFALL_ERR_METHOD' });
    }
  });

  it('bakes each source its own settings, name, prefix and cache lifetime', async () => {
    const c = await start(
      [
        'sources:',
        '  web:',
        '    type: browser',
        '    prefix: /t/',
        '    scriptName: ff.js',
        '    eventSuffix: hit',
        '    partyCookie: pid',
        '    sessionCookie: sid',
        '    sessionTimeout: 2s',
        '    cookieDomain: .example.com',
        '    cookieSameSite: strict',
        '    cookieSecure: always',
        '    autoPageView: false',
        '    spaPageViews: full',
        '    scriptCacheMaxAge: 5m',
        'sinks:',
        '  files: { type: file }',
        '',
      ].join('\n'),
    );
    const response = await get(c, {}, '/t/ff.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toContain(
      '["pid","sid",63072000,2,"; path=/; domain=.example.com; samesite=Strict; secure",false,"hit",false,2]',
    );
    expect((await get(c)).statusCode).toBe(404);
  });

  it('compiles single-page-app and privacy support in only for sources that use them', async () => {
    const plain = (await get(await start())).body;
    await collector?.shutdown();
    const full = (
      await get(
        await start(
          'sources:\n  web: { type: browser, spaPageViews: path, honorPrivacySignals: true }\nsinks:\n  files: { type: file }\n',
        ),
      )
    ).body;
    expect(plain).not.toContain('pushState');
    expect(plain).not.toContain('globalPrivacyControl');
    expect(full).toContain('pushState');
    expect(full).toContain('globalPrivacyControl');
  });
});

describe('the tracker settings', () => {
  it('turn durations into seconds and build the cookie attributes', () => {
    expect(trackerSettings(browserSource(', sessionTimeout: 90s, partyTimeout: 1d'))).toEqual([
      '_dvp',
      '_dvs',
      86_400,
      90,
      '; path=/; samesite=Lax',
      true,
      'csc-event',
      true,
      0,
    ]);
    expect(trackerSettings(browserSource(', cookieSecure: never, spaPageViews: path'))[5]).toBe(false);
    expect(trackerSettings(browserSource(', spaPageViews: path'))[8]).toBe(1);
  });

  it('refuse cookie names and domains that would inject cookie attributes', () => {
    expect(() => browserSource(', partyCookie: "a;b"')).toThrow(/partyCookie/);
    expect(() => browserSource(', cookieDomain: "example.com; secure"')).toThrow(/cookieDomain/);
    expect(() => browserSource(', cookieSameSite: none, cookieSecure: never')).toThrow(/cookieSecure/);
  });
});

describe('scriptJson and renderTrackerScript', () => {
  it('escape every character that could end the script or a line', () => {
    const text = scriptJson(['</script><!--', '&', '\u2028\u2029', '$&']);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(['</script><!--', '&', '\u2028\u2029', '$&']);
  });

  it('write the settings over the placeholder exactly once, taking $ literally', () => {
    const settings = ['$&', '$1', 1, 2, '', true, 'e', true, 0] as const;
    const out = renderTrackerScript('a(__FOOTFALL_TRACKER_SETTINGS__)', settings);
    expect(out).toBe(`a(${scriptJson(settings)})`);
    expect(out).toContain('"$\\u0026","$1"');
    expect(() => renderTrackerScript('a()', settings)).toThrow(/exactly once/);
  });

  it('keep a hostile configuration value a string in the served script', async () => {
    // scriptName and cookie names are validated; eventSuffix is a path segment. The JSON escaping
    // is the second line of defence, exercised here through the renderer directly.
    const hostile = '</script><script>alert(1)</script>\u2028';
    const out = renderTrackerScript('var s=__FOOTFALL_TRACKER_SETTINGS__;', [
      hostile,
      's',
      1,
      1,
      '',
      true,
      'e',
      true,
      0,
    ]);
    expect(out).not.toContain('</script>');
    const context: { s?: unknown } = {};
    new Function('ctx', out.replace('var s=', 'ctx.s='))(context);
    expect((context.s as string[])[0]).toBe(hostile);
  });
});

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['identity;q=0, gzip;q=0.1', 'gzip'],
    ['GZIP', 'gzip'],
    ['deflate', 'identity'],
  ])('picks the right encoding for %j', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});
