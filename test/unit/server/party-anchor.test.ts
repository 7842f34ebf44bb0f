import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssues, loadConfig } from '../../../src/config/index.js';
import type { RunningCollector } from '../../../src/collector/collector.js';
import { readCookie } from '../../../src/server/sources/browser/cookies.js';
import { collectorPerTest, PARTY, SESSION, tempDir } from '../../support/collector.js';
import { PAGE_VIEW, pixelParams, pixelQuery } from '../../support/pixel.js';

/**
 * The party anchor (`partyAnchorCookie`): an HttpOnly, server-set copy of the party id that keeps a
 * visitor's party when the tracker's own cookie is lost.
 */

const ANCHOR = 'sources:\n  browser: { type: browser, partyAnchorCookie: _dva }\n';
// Another valid party id, as a tracker makes after its cookie was lost.
const FRESH_PARTY = '0:mhx0a1b2:Zq5kUy98u4wQjlIZzWGhN~GlG5AF359a';

const perTest = collectorPerTest('server: { shutdownDelay: 0, trustProxies: [10.0.0.0/8] }\n');
const start = (extra = ANCHOR): Promise<RunningCollector> => perTest.start(extra);
const { published } = perTest;

const pixel = (c: RunningCollector, params: Record<string, string>, cookie?: string) =>
  c.app.inject({
    method: 'GET',
    url: `/csc-event?${pixelQuery(pixelParams(params))}`,
    headers: cookie === undefined ? {} : { cookie },
  });

describe('the HttpOnly party anchor', () => {
  it('is set HttpOnly from the first event, with the party cookie’s lifetime and attributes', async () => {
    const c = await start();
    const response = await pixel(c, {});
    expect(response.headers['set-cookie']).toEqual([
      `_dva=${PARTY}; max-age=63072000; path=/; samesite=Lax; httponly`,
    ]);
    const [record] = await published(c);
    expect(record).toMatchObject({ partyId: PARTY, newParty: false });
  });

  it('records the anchored party when the tracker comes with a new one, and gives the tracker its id back', async () => {
    const c = await start();
    const response = await pixel(c, { p: FRESH_PARTY, n: 't' }, `_dvs=${SESSION}; _dva=${PARTY}`);
    expect(response.headers['set-cookie']).toEqual([
      `_dva=${PARTY}; max-age=63072000; path=/; samesite=Lax; httponly`,
      // Readable by the tracker, which picks it up on the next page.
      `_dvp=${PARTY}; max-age=63072000; path=/; samesite=Lax`,
    ]);
    const [record] = await published(c);
    // The checksum covered the ids as sent, so the event is not corrupt; only the party is restored.
    expect(record).toMatchObject({
      partyId: PARTY,
      newParty: false,
      sessionId: SESSION,
      detectedCorruption: false,
    });
  });

  it('leaves the event alone when the anchor matches, and ignores an anchor that is not a valid id', async () => {
    const c = await start();
    const same = await pixel(c, { e: `${PAGE_VIEW}1` }, `_dva=${PARTY}`);
    expect(same.headers['set-cookie']).toHaveLength(1);
    const forged = await pixel(c, { e: `${PAGE_VIEW}2`, p: FRESH_PARTY, n: 't' }, '_dva=<script>; _dva=x');
    expect(forged.headers['set-cookie']).toEqual([
      `_dva=${FRESH_PARTY}; max-age=63072000; path=/; samesite=Lax; httponly`,
    ]);
    const records = await published(c);
    expect(records.map((r) => [r.partyId, r.newParty])).toEqual([
      [PARTY, false],
      [FRESH_PARTY, true],
    ]);
  });

  it('works next to serverCookies: both tracker cookies carry the anchored party', async () => {
    const c = await start(
      'sources:\n  browser: { type: browser, partyAnchorCookie: _dva, serverCookies: true }\n',
    );
    const response = await pixel(c, { p: FRESH_PARTY, n: 't' }, `_dva=${PARTY}`);
    expect(response.headers['set-cookie']).toEqual([
      `_dvp=${PARTY}; max-age=63072000; path=/; samesite=Lax`,
      `_dvs=${SESSION}; max-age=1800; path=/; samesite=Lax`,
      `_dva=${PARTY}; max-age=63072000; path=/; samesite=Lax; httponly`,
    ]);
  });

  it('is Secure on https through a trusted proxy and restores beacons’ events too', async () => {
    const c = await start();
    const response = await c.app.inject({
      method: 'POST',
      url: '/csc-event',
      remoteAddress: '10.0.0.1',
      headers: {
        'content-type': 'text/plain;charset=UTF-8',
        'x-forwarded-proto': 'https',
        cookie: `_dva=${PARTY}`,
      },
      payload: pixelQuery(pixelParams({ p: FRESH_PARTY, n: 't' })),
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['set-cookie']).toEqual([
      `_dva=${PARTY}; max-age=63072000; path=/; samesite=Lax; secure; httponly`,
      `_dvp=${PARTY}; max-age=63072000; path=/; samesite=Lax; secure`,
    ]);
    const [record] = await published(c);
    expect(record).toMatchObject({ partyId: PARTY, newParty: false });
  });

  it('is off by default and must not share a name with the tracker’s cookies', async () => {
    const c = await start('');
    expect((await pixel(c, {}, `_dva=${FRESH_PARTY}`)).headers['set-cookie']).toBeUndefined();
    const [record] = await published(c);
    expect(record).toMatchObject({ partyId: PARTY });
    const file = path.join(tempDir(), 'clash.yaml');
    writeFileSync(file, 'sources:\n  browser: { type: browser, partyAnchorCookie: _dvp }\n');
    const clash = loadConfig({ file, env: {} });
    expect(clash.ok).toBe(false);
    if (!clash.ok) {
      expect(formatIssues(clash.issues)).toContain('sources.browser.partyAnchorCookie');
      expect(formatIssues(clash.issues)).toContain('must differ from partyCookie');
    }
  });
});

describe('readCookie', () => {
  it('finds a cookie among others, takes the first of a repeated name and trims spaces', () => {
    expect(readCookie('a=1; _dva= x ; _dva=2', '_dva')).toBe('x');
    expect(readCookie(['a=1', '_dva=3'], '_dva')).toBe('3');
    expect(readCookie('_dvax=1; x_dva=2', '_dva')).toBeUndefined();
    expect(readCookie(undefined, '_dva')).toBeUndefined();
  });
});
