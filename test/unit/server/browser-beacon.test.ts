import { describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../../src/collector/collector.js';
import { collectorPerTest, PARTY, SESSION } from '../../support/collector.js';
import { PAGE_VIEW, pixelParams, pixelQuery } from '../../support/pixel.js';

const { start, published } = collectorPerTest('server: { shutdownDelay: 0, trustProxies: [10.0.0.0/8] }\n');

const event = (n: number): string =>
  pixelQuery(pixelParams({ e: `${PAGE_VIEW}${n.toString(16)}`, t: `e${n}` }));

const beacon = (c: RunningCollector, body: string, headers: Record<string, string> = {}) =>
  c.app.inject({
    method: 'POST',
    url: '/csc-event',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
    payload: body,
  });

describe('the beacon endpoint (POST {prefix}{eventSuffix})', () => {
  it('records one event per line of the body, in order, and answers 204', async () => {
    const c = await start();
    const response = await beacon(c, [event(0), event(1), '', event(2)].join('\n'));
    expect(response.statusCode).toBe(204);
    expect(response.rawPayload.length).toBe(0);
    const records = await published(c);
    expect(records.map((r) => r.eventType)).toEqual(['e0', 'e1', 'e2']);
    expect(records.every((r) => r.detectedCorruption === false && r.detectedDuplicate === false)).toBe(true);
  });

  it('counts broken lines as invalid without losing the others', async () => {
    const c = await start();
    await beacon(c, `${event(0)}\r\np=nonsense\r\n${event(1)}`);
    expect(c.outcomes.snapshot()).toEqual({ accepted: 2, 'invalid:bad_identifier': 1 });
  });

  it('refuses more than 64 events, bodies over 64 KiB and other content types', async () => {
    const c = await start();
    expect((await beacon(c, Array.from({ length: 65 }, (_, i) => event(i)).join('\n'))).statusCode).toBe(413);
    expect((await beacon(c, 'x'.repeat(65 * 1024))).statusCode).toBe(413);
    expect(
      (await beacon(c, event(0), { 'content-type': 'application/x-www-form-urlencoded' })).statusCode,
    ).toBe(415);
    expect((await beacon(c, '{', { 'content-type': 'application/json' })).statusCode).toBe(400);
    // Refused events are counted all the same: each of the 65, and a body never read as one.
    expect(c.outcomes.snapshot()).toEqual({
      'invalid:bad_content_type': 1,
      'invalid:bad_request': 1,
      'invalid:too_large': 66,
    });
    expect(await published(c)).toEqual([]);
  });
});

describe('server-set cookies (serverCookies: true)', () => {
  const cookies = 'sources:\n  browser: { type: browser, serverCookies: true, sessionTimeout: 10m }\n';

  it('are off by default', async () => {
    const c = await start();
    const response = await c.app.inject({ method: 'GET', url: `/csc-event?${pixelQuery()}` });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('carry the event ids with the sliding expiry, readable by the tracker', async () => {
    const c = await start(cookies);
    const response = await c.app.inject({ method: 'GET', url: `/csc-event?${pixelQuery()}` });
    expect(response.headers['set-cookie']).toEqual([
      `_dvp=${PARTY}; max-age=63072000; path=/; samesite=Lax`,
      `_dvs=${SESSION}; max-age=600; path=/; samesite=Lax`,
    ]);
    expect(String(response.headers['set-cookie'])).not.toMatch(/httponly/i);
  });

  it('are Secure on https as a trusted proxy reports it, and never for invalid ids', async () => {
    const c = await start(cookies);
    const viaProxy = await c.app.inject({
      method: 'GET',
      url: `/csc-event?${pixelQuery()}`,
      remoteAddress: '10.0.0.1',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.headers['set-cookie']).toEqual([
      expect.stringMatching(/; secure$/),
      expect.stringMatching(/; secure$/),
    ]);
    const untrusted = await c.app.inject({
      method: 'GET',
      url: `/csc-event?${pixelQuery()}`,
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(untrusted.headers['set-cookie'])).not.toContain('secure');
    const invalid = await c.app.inject({
      method: 'GET',
      url: `/csc-event?${pixelQuery(pixelParams({ p: 'x' }))}`,
    });
    expect(invalid.headers['set-cookie']).toBeUndefined();
  });

  it('come with beacons too', async () => {
    const c = await start(cookies);
    const response = await beacon(c, event(0));
    expect(response.headers['set-cookie']).toHaveLength(2);
  });
});

describe('the demo page', () => {
  it('is served at the prefix with the tracker and a strict policy', async () => {
    const c = await start();
    const response = await c.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<script src="divolte.js"></script>');
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[^']+'/);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('is switched off with demoPage: false and follows the prefix', async () => {
    const off = await start('sources:\n  browser: { type: browser, demoPage: false }\n');
    expect((await off.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await off.shutdown();
    const prefixed = await start('sources:\n  browser: { type: browser, prefix: /c/, scriptName: t.js }\n');
    const page = await prefixed.app.inject({ method: 'GET', url: '/c/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script src="t.js"></script>');
  });
});
