import { describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../../src/collector/collector.js';
import { beaconLines } from '../../../src/server/sources/browser/beacon.js';
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

  it('ends lines at \\r\\n, \\n and a bare \\r alike', async () => {
    const c = await start();
    const response = await beacon(c, `${event(0)}\r${event(1)}\r\n${event(2)}\n\r\n \r${event(3)}`);
    expect(response.statusCode).toBe(204);
    expect((await published(c)).map((r) => r.eventType)).toEqual(['e0', 'e1', 'e2', 'e3']);
  });

  it('refuses more than 64 events, bodies over 64 KiB and other content types, with their codes', async () => {
    const c = await start();
    const refusals = [
      [Array.from({ length: 65 }, (_, i) => event(i)).join('\n'), {}, 413, 'FOOTFALL_ERR_TOO_LARGE'],
      ['x'.repeat(65 * 1024), {}, 413, 'FOOTFALL_ERR_TOO_LARGE'],
      [event(0), { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'FOOTFALL_ERR_CONTENT_TYPE'],
      ['{', { 'content-type': 'application/json' }, 415, 'FOOTFALL_ERR_CONTENT_TYPE'],
      // Valid JSON used to be parsed, ignored and answered 204 without a trace.
      ['{"e":"x"}', { 'content-type': 'application/json' }, 415, 'FOOTFALL_ERR_CONTENT_TYPE'],
      [event(0), { 'content-type': 'text/plainish' }, 415, 'FOOTFALL_ERR_CONTENT_TYPE'],
    ] as const;
    for (const [body, headers, status, code] of refusals) {
      const response = await beacon(c, body, headers);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({ error: code, message: expect.any(String) });
    }
    // Refused events are counted all the same: each of the 65, and a body never read as one.
    expect(c.outcomes.snapshot()).toEqual({
      'invalid:bad_content_type': 4,
      'invalid:too_large': 66,
    });
    expect(await published(c)).toEqual([]);
  });

  it('counts the lines of a body over 64 events without parsing any of them', async () => {
    const c = await start();
    // 32,760 one-character lines in 64 KiB: every line was parsed before the limit was checked.
    const body = 'a\n'.repeat(32_760);
    expect(beaconLines(body)).toEqual({ ok: false, events: 32_760 });
    const response = await beacon(c, body);
    expect(response.statusCode).toBe(413);
    expect(c.outcomes.snapshot()).toEqual({ 'invalid:too_large': 32_760 });
  });

  it('answers an empty beacon with 204 and counts nothing', async () => {
    const c = await start();
    expect((await c.app.inject({ method: 'POST', url: '/csc-event' })).statusCode).toBe(204);
    expect((await beacon(c, '\r\n \n\r')).statusCode).toBe(204);
    expect(c.outcomes.total()).toBe(0);
  });
});

describe('beacon lines', () => {
  it('are the non-blank lines, trimmed, up to the limit', () => {
    expect(beaconLines(' a \r\n\r\nb\rc\n\u00a0\n\td\t')).toEqual({ ok: true, lines: ['a', 'b', 'c', 'd'] });
    expect(beaconLines('')).toEqual({ ok: true, lines: [] });
    expect(beaconLines('a\nb\nc', 2)).toEqual({ ok: false, events: 3 });
    expect(beaconLines('a\nb\n\n', 2)).toEqual({ ok: true, lines: ['a', 'b'] });
  });

  it('are blank exactly when trim() empties them', () => {
    const spaces = [
      ' ',
      '\t',
      '\v',
      '\f',
      '\u00a0',
      '\u1680',
      '\u2000',
      '\u200a',
      '\u2028',
      '\u2029',
      '\u202f',
      '\u205f',
      '\u3000',
      '\ufeff',
    ];
    for (const space of spaces)
      expect(beaconLines(`${space}x${space}\n${space}`)).toEqual({ ok: true, lines: ['x'] });
    for (const other of ['\u200b', '\u0085', '\u180e', '\u0000']) {
      expect(beaconLines(other)).toEqual({ ok: true, lines: [other.trim()] });
    }
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
