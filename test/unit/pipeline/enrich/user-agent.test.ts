import { describe, expect, it } from 'vitest';
import {
  createUserAgentParser,
  EMPTY_USER_AGENT,
  UNKNOWN_USER_AGENT,
} from '../../../../src/pipeline/enrich/user-agent.js';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1';
const SAFARI_IPAD =
  'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1';
const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0';
const CHROME_ANDROID_REDUCED =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const GOOGLEBOT_SMARTPHONE =
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.155 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CURL = 'curl/8.5.0';
const PLAYSTATION =
  'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15';

const parse = createUserAgentParser(100);

describe('the user-agent enrichment', () => {
  it('maps desktop Chrome on Windows to a Browser on a Personal computer', () => {
    expect(parse(CHROME_WINDOWS, {})).toEqual({
      browserName: 'Chrome',
      browserVersion: '124.0.0.0',
      browserMajor: '124',
      engineName: 'Blink',
      engineVersion: '124.0.0.0',
      osName: 'Windows',
      osVersion: '10',
      deviceType: 'desktop',
      deviceVendor: null,
      deviceModel: null,
      isBot: false,
      divolte: {
        name: 'Chrome',
        family: 'Chrome',
        vendor: 'Google Inc.',
        type: 'Browser',
        version: '124.0.0.0',
        deviceCategory: 'Personal computer',
        osFamily: 'Windows',
        osVersion: '10.0',
        osVendor: 'Microsoft Corporation.',
      },
      footfall: {
        name: 'Chrome',
        family: 'Chrome',
        vendor: 'Google Inc.',
        type: 'Browser',
        version: '124.0.0.0',
        deviceCategory: 'Personal computer',
        osFamily: 'Windows',
        osVersion: '10',
        osVendor: 'Microsoft Corporation',
      },
    });
  });

  it('maps Safari on an iPhone to a Mobile Browser on a Smartphone running iOS', () => {
    expect(parse(SAFARI_IOS, {})).toEqual({
      browserName: 'Mobile Safari',
      browserVersion: '17.4.1',
      browserMajor: '17',
      engineName: 'WebKit',
      engineVersion: '605.1.15',
      osName: 'iOS',
      osVersion: '17.4.1',
      deviceType: 'mobile',
      deviceVendor: 'Apple',
      deviceModel: 'iPhone',
      isBot: false,
      divolte: {
        name: 'Mobile Safari',
        family: 'Mobile Safari',
        vendor: 'Apple Inc.',
        type: 'Mobile Browser',
        version: '17.4.1',
        deviceCategory: 'Smartphone',
        osFamily: 'iOS',
        osVersion: '17.4.1',
        osVendor: 'Apple Inc.',
      },
      footfall: {
        name: 'Mobile Safari',
        family: 'Mobile Safari',
        vendor: 'Apple Inc.',
        type: 'Mobile Browser',
        version: '17.4.1',
        deviceCategory: 'Smartphone',
        osFamily: 'iOS',
        osVersion: '17.4.1',
        osVendor: 'Apple Computer, Inc.',
      },
    });
  });

  it('maps Firefox on Android to a Mobile Browser on a Smartphone', () => {
    expect(parse(FIREFOX_ANDROID, {})).toMatchObject({
      browserName: 'Firefox',
      browserVersion: '125.0',
      browserMajor: '125',
      engineName: 'Gecko',
      osName: 'Android',
      osVersion: '14',
      deviceType: 'mobile',
      isBot: false,
      footfall: {
        name: 'Firefox',
        family: 'Firefox',
        vendor: 'Mozilla Foundation',
        type: 'Mobile Browser',
        version: '125.0',
        deviceCategory: 'Smartphone',
        osFamily: 'Android',
        osVersion: '14',
        osVendor: 'Google Inc.',
      },
    });
  });

  it('maps Googlebot to a Robot named Googlebot with the robot as browser name', () => {
    expect(parse(GOOGLEBOT, {})).toEqual({
      browserName: 'Googlebot',
      browserVersion: '2.1',
      browserMajor: '2',
      engineName: null,
      engineVersion: null,
      osName: null,
      osVersion: null,
      deviceType: null,
      deviceVendor: null,
      deviceModel: null,
      isBot: true,
      divolte: {
        name: 'Googlebot/2.1',
        family: 'Googlebot',
        vendor: 'Google Inc.',
        type: 'Robot',
        version: '2.1',
        deviceCategory: 'Other',
        osFamily: '',
        osVersion: '',
        osVendor: '',
      },
      footfall: {
        name: 'Googlebot',
        family: 'Googlebot',
        vendor: 'Google Inc.',
        type: 'Robot',
        version: '2.1',
        deviceCategory: 'Other',
        osFamily: null,
        osVersion: null,
        osVendor: null,
      },
    });
  });

  it('keeps the emulated device of the smartphone Googlebot but still calls it a Robot', () => {
    expect(parse(GOOGLEBOT_SMARTPHONE, {})).toMatchObject({
      browserName: 'Googlebot',
      osName: 'Android',
      deviceType: 'mobile',
      isBot: true,
      // Divolte's vocabulary files every robot under Other, without an OS.
      divolte: { name: 'Googlebot/2.1', type: 'Robot', deviceCategory: 'Other', osFamily: '' },
      footfall: { name: 'Googlebot', type: 'Robot', deviceCategory: 'Smartphone' },
    });
  });

  it('maps curl to a Library robot named curl', () => {
    expect(parse(CURL, {})).toEqual({
      ...UNKNOWN_USER_AGENT,
      browserName: 'curl',
      browserVersion: '8.5.0',
      browserMajor: '8',
      isBot: true,
      divolte: {
        name: 'cURL',
        family: 'cURL',
        vendor: 'team Haxx',
        type: 'Library',
        version: '8.5.0',
        deviceCategory: 'Other',
        osFamily: '',
        osVersion: '',
        osVendor: '',
      },
      footfall: {
        ...UNKNOWN_USER_AGENT.footfall,
        name: 'curl',
        family: 'curl',
        type: 'Library',
        version: '8.5.0',
        deviceCategory: 'Other',
      },
    });
  });

  it('calls macOS by its current name in osName and by Divolte’s OS X in the Divolte family', () => {
    expect(parse(CHROME_MAC, {})).toMatchObject({
      osName: 'macOS',
      osVersion: '10.15.7',
      deviceType: 'desktop',
      footfall: { osFamily: 'OS X', osVendor: 'Apple Computer, Inc.', deviceCategory: 'Personal computer' },
    });
  });

  it('recognises tablets and game consoles', () => {
    expect(parse(SAFARI_IPAD, {})).toMatchObject({
      deviceType: 'tablet',
      footfall: { deviceCategory: 'Tablet' },
    });
    expect(parse(PLAYSTATION, {})).toMatchObject({
      deviceType: 'console',
      deviceVendor: 'Sony',
      footfall: { deviceCategory: 'Game console', type: 'Browser' },
    });
  });

  it('answers null fields and no robot for a request without a user agent', () => {
    expect(parse(null, {})).toBe(UNKNOWN_USER_AGENT);
    expect(UNKNOWN_USER_AGENT.isBot).toBe(false);
    expect(Object.values(UNKNOWN_USER_AGENT.footfall).every((v) => v === null)).toBe(true);
    expect(Object.values(UNKNOWN_USER_AGENT.divolte).every((v) => v === null)).toBe(true);
  });

  it('parses an empty user agent as Divolte did, an agent it does not recognise', () => {
    expect(parse('', {})).toBe(EMPTY_USER_AGENT);
    expect(EMPTY_USER_AGENT.footfall).toBe(UNKNOWN_USER_AGENT.footfall);
    expect(EMPTY_USER_AGENT.divolte).toMatchObject({ name: 'unknown', family: 'unknown', osVendor: '' });
  });

  it('gives null, not "unknown", for what an unrecognised agent does not tell', () => {
    expect(parse('Mozilla/5.0 (Unknown device) Whatever/1.0', {})).toMatchObject({
      browserName: null,
      osName: null,
      deviceType: null,
      isBot: false,
      footfall: { name: null, type: null, deviceCategory: null },
    });
  });
});

describe('client hints', () => {
  const hints = {
    'sec-ch-ua': '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
    'sec-ch-ua-mobile': '?0',
    'sec-ch-ua-platform': '"Windows"',
  };

  it('tells Windows 11 from 10 by the platform version, which the string hides', () => {
    expect(parse(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': '"15.0.0"' })).toMatchObject({
      osName: 'Windows',
      osVersion: '11',
      footfall: { osVersion: '11' },
    });
    expect(parse(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': '"10.0.0"' }).osVersion).toBe(
      '10',
    );
  });

  it('takes the full browser version from the full version list', () => {
    const info = parse(CHROME_WINDOWS, {
      ...hints,
      'sec-ch-ua-full-version-list':
        '"Chromium";v="124.0.6367.91", "Google Chrome";v="124.0.6367.91", "Not-A.Brand";v="99.0.0.0"',
    });
    expect(info).toMatchObject({ browserVersion: '124.0.6367.91', engineVersion: '124.0.6367.91' });
  });

  it('uses the real macOS version and the device model of a reduced Android string', () => {
    expect(
      parse(CHROME_MAC, {
        'sec-ch-ua': hints['sec-ch-ua'],
        'sec-ch-ua-platform': '"macOS"',
        'sec-ch-ua-platform-version': '"14.4.1"',
      }).osVersion,
    ).toBe('14.4.1');
    expect(
      parse(CHROME_ANDROID_REDUCED, {
        'sec-ch-ua': hints['sec-ch-ua'],
        'sec-ch-ua-mobile': '?1',
        'sec-ch-ua-platform': '"Android"',
        'sec-ch-ua-platform-version': '"14.0.0"',
        'sec-ch-ua-model': '"Pixel 8"',
      }),
    ).toMatchObject({ osName: 'Android', osVersion: '14', deviceModel: 'Pixel 8', deviceType: 'mobile' });
  });

  it('recognises Brave, which sends Chrome’s user-agent string verbatim', () => {
    const info = parse(CHROME_WINDOWS, {
      ...hints,
      'sec-ch-ua': '"Chromium";v="124", "Brave";v="124", "Not-A.Brand";v="99"',
    });
    expect(info).toMatchObject({ browserName: 'Brave', footfall: { vendor: 'Brave Software' } });
  });

  it('ignores a platform hint that contradicts the user-agent string', () => {
    expect(parse(SAFARI_IOS, { 'sec-ch-ua-platform': '"Windows"' }).osName).toBe('iOS');
  });

  it('caches per user agent and hints, so equal inputs give the same frozen object', () => {
    const first = parse(CHROME_WINDOWS, {});
    expect(parse(CHROME_WINDOWS, {})).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.footfall)).toBe(true);
    const hinted = parse(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': '"15.0.0"' });
    expect(hinted).not.toBe(first);
    expect(parse(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': '"15.0.0"' })).toBe(hinted);
  });

  it('keeps one result per hint set of a user agent, and the plain one beside them', () => {
    const own = createUserAgentParser(100);
    const eleven = own(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': '"15.0.0"' });
    const ten = own(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': '"10.0.0"' });
    const plain = own(CHROME_WINDOWS, {});
    expect([eleven.osVersion, ten.osVersion]).toEqual(['11', '10']);
    expect(own(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': '"10.0.0"' })).toBe(ten);
    expect(own(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': '"15.0.0"' })).toBe(eleven);
    expect(own(CHROME_WINDOWS, {})).toBe(plain);
    // A hint that differs only past the 256 characters kept of each is the same hint set.
    const model = (tail: string) => ({ ...hints, 'sec-ch-ua-model': `"${'m'.repeat(300)}${tail}"` });
    expect(own(CHROME_WINDOWS, model('a'))).toBe(own(CHROME_WINDOWS, model('b')));
  });

  it('parses a ninth hint set of one user agent anew each time rather than growing without bound', () => {
    const own = createUserAgentParser(100);
    const versions = Array.from({ length: 9 }, (_, i) => `"${i + 1}.0.0"`);
    for (const version of versions) own(CHROME_WINDOWS, { ...hints, 'sec-ch-ua-platform-version': version });
    const ninth = { ...hints, 'sec-ch-ua-platform-version': versions[8] };
    expect(own(CHROME_WINDOWS, ninth)).not.toBe(own(CHROME_WINDOWS, ninth));
    expect(own(CHROME_WINDOWS, ninth)).toEqual(own(CHROME_WINDOWS, ninth));
    const first = { ...hints, 'sec-ch-ua-platform-version': versions[0] };
    expect(own(CHROME_WINDOWS, first)).toBe(own(CHROME_WINDOWS, first));
  });

  it('parses without a cache when the configured size is 0', () => {
    const uncached = createUserAgentParser(0);
    const a = uncached(CHROME_WINDOWS, {});
    const b = uncached(CHROME_WINDOWS, {});
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
  });

  it('caps the cache key so kilobyte-long user agents parse like their first 512 characters', () => {
    const long = `${CHROME_WINDOWS} ${'x'.repeat(10_000)}`;
    expect(parse(long, {})).toMatchObject({ browserName: 'Chrome', osName: 'Windows' });
  });
});
