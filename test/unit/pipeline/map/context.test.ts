import { describe, expect, it, vi } from 'vitest';
import { createEnrichment } from '../../../../src/pipeline/enrich/index.js';
import type { ClientEvent } from '../../../../src/pipeline/event.js';
import { EventContext, parseCookies, valueAt } from '../../../../src/pipeline/map/context.js';
import { SYNTHETIC_EVENTS } from '../../../../src/pipeline/map/synthetic.js';

const browser = SYNTHETIC_EVENTS[0]!.event;
const custom = SYNTHETIC_EVENTS[1]!.event;
const flags = { corrupt: false, duplicate: false };

function context(event: ClientEvent, options: Parameters<typeof createEnrichment>[0] = {}): EventContext {
  return new EventContext(event, flags, createEnrichment(options));
}

describe('the mapper context', () => {
  it('computes nothing until a mapping asks', () => {
    const userAgent = vi.fn(() => createEnrichment().userAgent(null, {}));
    const geo = vi.fn(() => null);
    const enrich = { ...createEnrichment({ geo }), userAgent };
    new EventContext(browser, flags, enrich);
    expect(userAgent).not.toHaveBeenCalled();
    expect(geo).not.toHaveBeenCalled();
  });

  it('computes each helper once per event, however often and by however many mappings it is asked', () => {
    const enrich = createEnrichment({ geo: () => null });
    const userAgent = vi.spyOn(enrich, 'userAgent');
    const geo = vi.fn(() => null);
    const ctx = new EventContext(browser, flags, { ...enrich, geo });
    for (let i = 0; i < 3; i++) {
      ctx.userAgent();
      ctx.geo();
      ctx.location();
      ctx.campaign();
    }
    expect(userAgent).toHaveBeenCalledTimes(1);
    expect(geo).toHaveBeenCalledTimes(1);
    expect(ctx.location()).toBe(ctx.location());
    expect(ctx.campaign()).toBe(ctx.campaign());
  });

  it('looks up the full address even when the stored one is truncated', () => {
    const geo = vi.fn(() => null);
    const ctx = context(browser, { geo, privacy: { ipAddress: 'truncate', honorDoNotTrack: false } });
    ctx.geo();
    expect(geo).toHaveBeenCalledWith('203.0.113.7');
    expect(ctx.event.remoteHost).toBe('203.0.113.0');
    expect(JSON.stringify(ctx)).not.toContain('203.0.113.7');
  });

  it('looks up another address when a mapping passes one', () => {
    const geo = vi.fn(() => null);
    context(browser, { geo }).geo('198.51.100.1');
    expect(geo).toHaveBeenCalledWith('198.51.100.1');
  });

  it('answers null geo when no database is configured', () => {
    expect(context(browser).geo()).toBeNull();
  });

  it('splits location and referrer and tells whether the referrer is internal', () => {
    const external = context(browser);
    expect(external.location()).toMatchObject({
      host: 'www.example.com',
      path: '/products/42',
      fragment: 'reviews',
    });
    expect(external.referrer()).toMatchObject({ host: 'www.google.com', path: '/search' });
    expect(external.referrerInternal()).toBe(false);
    expect(external.campaign()).toMatchObject({
      utmSource: 'newsletter',
      utmMedium: 'email',
      clickIdType: 'gclid',
    });
    expect(context(custom).referrerInternal()).toBe(true);
    expect(context(SYNTHETIC_EVENTS[2]!.event).referrerInternal()).toBeNull();
  });

  it('reads headers in any case and cookies by name', () => {
    const ctx = context(browser);
    expect(ctx.header('Accept-Language')).toBe('en-GB,en;q=0.9');
    expect(ctx.headerValues('accept-language')).toEqual(['en-GB,en;q=0.9']);
    expect(ctx.header('x-missing')).toBeNull();
    expect(ctx.headerValues('x-missing')).toEqual([]);
    expect(ctx.cookie('consent')).toBe('yes');
    expect(ctx.cookie('_dvp')).toBe(browser.partyId);
    expect(ctx.cookie('nope')).toBeNull();
  });

  it('reads the first of repeated header values', () => {
    const ctx = context({ ...browser, headers: { 'x-multi': ['a', 'b'] } });
    expect(ctx.header('X-Multi')).toBe('a');
    expect(ctx.headerValues('x-multi')).toEqual(['a', 'b']);
  });

  it('finds event parameters by path', () => {
    const ctx = context(custom);
    expect(ctx.parameter('product.id')).toBe('p-42');
    expect(ctx.parameter('$.product.price')).toBe(19.95);
    expect(ctx.parameter('product.tags[0]')).toBe('sale');
    expect(ctx.parameter('product.tags.0')).toBe('sale');
    expect(ctx.parameter("['quantity']")).toBe(2);
    expect(ctx.parameter('note')).toBeNull();
    expect(ctx.parameter('product.missing')).toBeUndefined();
    expect(ctx.parameter('quantity.deeper')).toBeUndefined();
    expect(ctx.parameter('product..id')).toBeUndefined();
  });

  it('hides the cookie header and the identifiers of a request that asks not to be tracked', () => {
    const ctx = context(
      { ...browser, headers: { ...browser.headers, dnt: '1' } },
      { privacy: { ipAddress: 'full', honorDoNotTrack: true } },
    );
    expect(ctx.doNotTrack).toBe(true);
    expect(ctx.cookie('_dvp')).toBeNull();
    expect(ctx.event.partyId).toBe('0:0:anonymous');
  });
});

describe('parameter paths', () => {
  const root = { 'a.b': 1, list: [{ x: 'first' }, { x: 'second' }], nested: { deep: { value: true } } };

  it('follows dotted names, indexes and quoted keys', () => {
    expect(valueAt(root, 'nested.deep.value')).toBe(true);
    expect(valueAt(root, 'list[1].x')).toBe('second');
    expect(valueAt(root, "['a.b']")).toBe(1);
    expect(valueAt(root, '$["a.b"]')).toBe(1);
    expect(valueAt(root, '$')).toBe(root);
  });

  it('leads nowhere rather than throwing for paths that do not fit the value', () => {
    expect(valueAt(root, 'list[9].x')).toBeUndefined();
    expect(valueAt(root, 'list.x')).toBeUndefined();
    expect(valueAt(undefined, 'a')).toBeUndefined();
    expect(valueAt('text', 'length')).toBeUndefined();
    expect(valueAt(root, 'toString')).toBeUndefined();
    expect(valueAt(root, '[unclosed')).toBeUndefined();
  });
});

describe('cookies', () => {
  it('takes the first of repeated names, unquotes and percent-decodes', () => {
    const cookies = parseCookies('a=1; b="quoted"; a=2; c=hello%20world; bad=%E0%A4%A; =skip; flag');
    expect(Object.fromEntries(cookies)).toEqual({ a: '1', b: 'quoted', c: 'hello world', bad: '%E0%A4%A' });
  });
});
