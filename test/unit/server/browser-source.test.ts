import { describe, expect, it } from 'vitest';
import { encodeMincode, PIXEL_ETAG } from '../../../src/protocol/index.js';
import type { RunningCollector } from '../../../src/collector/collector.js';
import { collectorPerTest, PARTY, SESSION } from '../../support/collector.js';
import { PAGE_VIEW, pixelParams, pixelQuery } from '../../support/pixel.js';

const DOCUMENTED_QUERY =
  'p=0%3Ai1t84hgy%3A5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG&s=0%3Ai1t84hgy%3A95CbiPCYln_1e0a6rFvuRkDkeNnc6KC8&v=0%3A1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF&e=0%3A1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF0&c=i1t8q2b6&n=f&f=f&l=http%3A%2F%2Flocalhost%3A8290%2F&i=1ak&j=sj&k=2&w=uq&h=qd&t=pageView';

describe('the browser source', () => {
  const { start, published } = collectorPerTest('server: { shutdownDelay: 0, trustProxies: [10.0.0.0/8] }\n');

  const pixel = (
    c: RunningCollector,
    query: string,
    headers: Record<string, string> = {},
    url = '/csc-event',
  ) =>
    c.app.inject({
      method: 'GET',
      url: `${url}?${query}`,
      headers: { 'user-agent': 'Mozilla/5.0 test', ...headers },
    });

  it("answers Divolte's 37-byte GIF with Divolte's headers", async () => {
    const c = await start();
    const response = await pixel(c, `${DOCUMENTED_QUERY}&x=si9804`);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.toString('base64')).toBe(
      'R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==',
    );
    expect(response.headers).toMatchObject({
      'content-type': 'image/gif',
      etag: PIXEL_ETAG,
      'cache-control': 'private, no-cache, proxy-revalidate',
      pragma: 'no-cache',
      expires: 'Fri, 14 Apr 1995 11:30:00 GMT',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
    });
  });

  it('records the documented example with every protocol field and no corruption', async () => {
    const c = await start();
    await pixel(c, `${DOCUMENTED_QUERY}&x=si9804`);
    const [record] = await published(c);
    expect(record).toMatchObject({
      partyId: PARTY,
      sessionId: SESSION,
      pageViewId: PAGE_VIEW,
      eventId: `${PAGE_VIEW}0`,
      clientTimestamp: parseInt('i1t8q2b6', 36),
      newParty: false,
      firstInSession: false,
      location: 'http://localhost:8290/',
      referer: null,
      screenPixelWidth: parseInt('1ak', 36),
      screenPixelHeight: parseInt('sj', 36),
      viewportPixelWidth: parseInt('uq', 36),
      viewportPixelHeight: parseInt('qd', 36),
      devicePixelRatio: 2,
      eventType: 'pageView',
      detectedCorruption: false,
      detectedDuplicate: false,
      userAgentString: 'Mozilla/5.0 test',
      sourceName: 'browser',
      eventParameters: null,
    });
  });

  it('flags an event with a missing or wrong checksum as corrupt and keeps it', async () => {
    const c = await start();
    await pixel(c, DOCUMENTED_QUERY);
    await pixel(c, `${DOCUMENTED_QUERY.replace('pageView', 'click')}&x=si9804`);
    const records = await published(c);
    expect(records.map((r) => r.detectedCorruption)).toEqual([true, true]);
    expect(c.outcomes.snapshot()).toEqual({ accepted: 2 });
  });

  it('discards corrupt events when the mapping says so', async () => {
    const c = await start('mappings:\n  m: { sources: [browser], sinks: [files], discardCorrupted: true }\n');
    await pixel(c, DOCUMENTED_QUERY);
    await pixel(c, `${DOCUMENTED_QUERY}&x=si9804`);
    expect(c.outcomes.snapshot()).toEqual({ accepted: 1, 'discarded:corrupt': 1 });
  });

  it('flags the second arrival of the same party, session and event as a duplicate', async () => {
    const c = await start();
    await pixel(c, pixelQuery());
    await pixel(c, pixelQuery());
    await pixel(c, pixelQuery(pixelParams({ e: `${PAGE_VIEW}1` })));
    const records = await published(c);
    expect(records.map((r) => r.detectedDuplicate)).toEqual([false, true, false]);
  });

  it('discards duplicates when the mapping says so', async () => {
    const c = await start(
      'mappings:\n  m: { sources: [browser], sinks: [files], discardDuplicates: true }\n',
    );
    await pixel(c, pixelQuery());
    await pixel(c, pixelQuery());
    expect(c.outcomes.snapshot()).toEqual({ accepted: 1, 'discarded:duplicate': 1 });
  });

  it('answers 304 and records nothing when the browser re-fetches with the ETag', async () => {
    const c = await start();
    const response = await pixel(c, pixelQuery(), { 'if-none-match': PIXEL_ETAG });
    expect(response.statusCode).toBe(304);
    expect(response.rawPayload.length).toBe(0);
    expect(c.outcomes.total()).toBe(0);
  });

  it('answers any method but GET and POST with 405, Allow: GET, POST and an error body', async () => {
    const c = await start();
    for (const method of [
      'PUT',
      'DELETE',
      'HEAD',
      'OPTIONS',
      'PATCH',
      'TRACE',
      'PROPFIND',
      'MKCOL',
      'QUERY',
    ]) {
      const response = await c.app.inject({ method, url: `/csc-event?${pixelQuery()}` });
      expect(response.statusCode, method).toBe(405);
      expect(response.headers.allow).toBe('GET, POST');
      if (method !== 'HEAD') expect(response.json()).toMatchObject({ error: 'FOOTFALL_ERR_METHOD' });
    }
    // A body, of whatever type and size, does not make it a content-type or size problem.
    for (const [type, size] of [
      ['application/xml', 10],
      ['text/plain', 70 * 1024],
    ] as const) {
      const response = await c.app.inject({
        method: 'PUT',
        url: '/csc-event',
        headers: { 'content-type': type },
        payload: 'x'.repeat(size),
      });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('GET, POST');
    }
    expect(c.outcomes.total()).toBe(0);
  });

  it.each([
    ['p', { p: undefined }, 'bad_identifier'],
    ['p', { p: '1:i1t84hgy:abc' }, 'bad_identifier'],
    ['s', { s: '0:abc' }, 'bad_identifier'],
    ['v', { v: undefined }, 'bad_identifier'],
    ['e', { e: '' }, 'bad_identifier'],
    ['c', { c: 'not base 36!' }, 'bad_timestamp'],
    ['n', { n: undefined }, 'bad_request'],
    ['f', { f: undefined }, 'bad_request'],
  ])('still answers the GIF without a valid %s but records invalid', async (_key, overrides, reason) => {
    const c = await start();
    const response = await pixel(c, pixelQuery(pixelParams(overrides)));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/gif');
    expect(c.outcomes.snapshot()).toEqual({ [`invalid:${reason}`]: 1 });
  });

  it('leaves unparsable optional fields absent and reads fractional pixel ratios', async () => {
    const c = await start();
    await pixel(c, pixelQuery(pixelParams({ i: 'zz!', w: '', k: '1.i', r: 'https://ref.example/a b' })));
    const [record] = await published(c);
    expect(record).toMatchObject({
      screenPixelWidth: null,
      viewportPixelWidth: null,
      screenPixelHeight: parseInt('sj', 36),
      devicePixelRatio: 1.5,
      referer: 'https://ref.example/a b',
      detectedCorruption: false,
    });
  });

  it('keeps an empty event type empty, as Divolte did, and a missing one unknown', async () => {
    const c = await start();
    await pixel(c, pixelQuery(pixelParams({ t: '' })));
    await pixel(c, pixelQuery(pixelParams({ e: `${PAGE_VIEW}1`, t: undefined })));
    const records = await published(c);
    expect(records.map((r) => [r.eventType, r.detectedCorruption])).toEqual([
      ['', false],
      ['unknown', false],
    ]);
  });

  it('keeps the event without parameters when u does not decode', async () => {
    const c = await start();
    const params = { a: 1, nested: { list: ['x', true, null], text: 'Hello~World!' } };
    await pixel(c, pixelQuery(pixelParams({ u: encodeMincode(params) })));
    await pixel(c, pixelQuery(pixelParams({ e: `${PAGE_VIEW}1`, u: '(sbroken' })));
    const records = await published(c);
    expect(records.map((r) => r.eventParameters)).toEqual([JSON.stringify(params), null]);
  });

  it('serves the endpoint under a multi-segment prefix and a custom suffix', async () => {
    const c = await start('sources:\n  web: { type: browser, prefix: /collect/v1/, eventSuffix: hit }\n');
    expect((await pixel(c, pixelQuery(), {}, '/collect/v1/hit')).statusCode).toBe(200);
    expect((await pixel(c, pixelQuery(), {}, '/csc-event')).statusCode).toBe(404);
    expect(c.outcomes.snapshot()).toEqual({ accepted: 1 });
  });

  it('takes the client address from X-Forwarded-For only behind a trusted proxy', async () => {
    const c = await start();
    await c.app.inject({
      method: 'GET',
      url: `/csc-event?${pixelQuery()}`,
      remoteAddress: '10.1.2.3',
      headers: { 'x-forwarded-for': '198.51.100.7, 10.0.0.9' },
    });
    await c.app.inject({
      method: 'GET',
      url: `/csc-event?${pixelQuery(pixelParams({ e: `${PAGE_VIEW}1` }))}`,
      remoteAddress: '203.0.113.5',
      headers: { 'x-forwarded-for': '198.51.100.7' },
    });
    const records = await published(c);
    expect(records.map((r) => r.remoteHost)).toEqual(['198.51.100.7', '203.0.113.5']);
  });
});
