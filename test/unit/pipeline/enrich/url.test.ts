import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLICK_ID_PARAMETERS,
  NO_CAMPAIGN,
  campaignOf,
  parseUrl,
  sameSite,
  siteOf,
} from '../../../../src/pipeline/enrich/url.js';

describe('URL parts', () => {
  it('splits a page URL into scheme, host, path, query and fragment', () => {
    const url = parseUrl('HTTPS://Shop.Example.COM:443/a/b%20c?x=1&y=two+words#frag/ment');
    expect(url).toMatchObject({
      scheme: 'https',
      host: 'shop.example.com',
      port: null,
      path: '/a/b%20c',
      query: 'x=1&y=two+words',
      fragment: 'frag/ment',
    });
    expect(url?.param('y')).toBe('two words');
    expect(url?.param('missing')).toBeNull();
  });

  it('keeps a non-default port and lists every value of a repeated parameter', () => {
    const url = parseUrl('http://localhost:8290/?tag=a&tag=b');
    expect(url).toMatchObject({
      host: 'localhost',
      port: 8290,
      path: '/',
      query: 'tag=a&tag=b',
      fragment: null,
    });
    expect(url?.params('tag')).toEqual(['a', 'b']);
  });

  it('gives null query and fragment when they are absent or empty', () => {
    expect(parseUrl('https://example.com/page?#')).toMatchObject({ query: null, fragment: null });
  });

  it('gives null for malformed, relative or missing URLs instead of throwing', () => {
    for (const text of [
      'not a url',
      '/relative/path',
      'http://',
      '',
      null,
      undefined,
      'https://exa mple.com/',
    ]) {
      expect(parseUrl(text)).toBeNull();
    }
  });

  it('never throws, whatever the client sends', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        (text) => {
          const url = parseUrl(text);
          if (url !== null) {
            expect(typeof url.scheme).toBe('string');
            expect(() => campaignOf(url)).not.toThrow();
          }
        },
      ),
    );
  });
});

describe('campaign parameters', () => {
  it('reads the five UTM parameters, decoded', () => {
    const url = parseUrl(
      'https://example.com/?utm_source=news%20letter&utm_medium=email&utm_campaign=spring+sale&utm_term=shoes&utm_content=hero',
    );
    expect(campaignOf(url)).toEqual({
      ...NO_CAMPAIGN,
      utmSource: 'news letter',
      utmMedium: 'email',
      utmCampaign: 'spring sale',
      utmTerm: 'shoes',
      utmContent: 'hero',
    });
  });

  it('matches parameter names in any case and skips empty values', () => {
    expect(
      campaignOf(parseUrl('https://example.com/?UTM_Source=&utm_source=ads&Utm_Medium=cpc')),
    ).toMatchObject({
      utmSource: 'ads',
      utmMedium: 'cpc',
    });
  });

  it.each(CLICK_ID_PARAMETERS.map((name) => [name]))('finds the %s click id', (name) => {
    expect(campaignOf(parseUrl(`https://example.com/landing?${name}=abc123`))).toMatchObject({
      clickIdType: name,
      clickId: 'abc123',
    });
  });

  it('prefers the click id earliest in the documented list, whatever the order in the URL', () => {
    expect(campaignOf(parseUrl('https://example.com/?fbclid=F&gclid=G'))).toMatchObject({
      clickIdType: 'gclid',
      clickId: 'G',
    });
  });

  it('has no campaign without a URL or a query', () => {
    expect(campaignOf(null)).toBe(NO_CAMPAIGN);
    expect(campaignOf(parseUrl('https://example.com/'))).toBe(NO_CAMPAIGN);
    expect(campaignOf(parseUrl('https://example.com/?q=shoes'))).toBe(NO_CAMPAIGN);
  });
});

describe('same site', () => {
  it('treats subdomains of one registrable domain as one site', () => {
    expect(sameSite('www.example.com', 'shop.example.com')).toBe(true);
    expect(sameSite('example.com', 'www.example.com')).toBe(true);
    expect(sameSite('a.b.example.co.uk', 'example.co.uk')).toBe(true);
  });

  it('keeps different domains, and different domains under a country second level, apart', () => {
    expect(sameSite('www.google.com', 'www.example.com')).toBe(false);
    expect(sameSite('shop.example.co.uk', 'shop.other.co.uk')).toBe(false);
    expect(sameSite('example.com', 'example.net')).toBe(false);
  });

  it('compares IP addresses and single-label hosts exactly', () => {
    expect(sameSite('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(sameSite('10.0.0.1', '10.0.0.2')).toBe(false);
    expect(siteOf('192.168.1.20')).toBe('192.168.1.20');
    expect(sameSite('localhost', 'localhost')).toBe(true);
  });

  it('does not know when either host is unknown', () => {
    expect(sameSite(null, 'example.com')).toBeNull();
    expect(sameSite('example.com', null)).toBeNull();
  });
});

describe('parsing without a cache', () => {
  it('parses each URL on its own, and keeps the campaign with its parse', () => {
    const a = parseUrl('https://shop.example/cart?utm_source=mail');
    const again = parseUrl('https://shop.example/cart?utm_source=mail');
    expect(again).not.toBe(a);
    expect(again).toMatchObject({ host: 'shop.example', path: '/cart', query: 'utm_source=mail' });
    expect(parseUrl('https://shop.example/cart?utm_source=news')?.query).toBe('utm_source=news');
    expect(campaignOf(a)).toBe(campaignOf(a));
    expect(campaignOf(a).utmSource).toBe('mail');
    expect(parseUrl('not a url')).toBeNull();
    const long = `https://shop.example/?q=${'x'.repeat(2000)}`;
    expect(parseUrl(long)?.host).toBe('shop.example');
  });
});
