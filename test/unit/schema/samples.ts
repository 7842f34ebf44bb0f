/**
 * Sample records shared by the schema tests. The full ones are typed as the record interfaces, so the
 * compiler checks they set every field and no other (object literal excess-property check).
 */
import type { DivolteRecord, FootfallRecord } from '../../../src/schema/index.js';

// Taken from the protocol doc's examples, so the records look like what the collector really writes.
const PARTY = '0:i1t84hgy:5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG';
const SESSION = '0:i1t84hgy:95CbiPCYln_1e0a6rFvuRkDkeNnc6KC8';
const PAGE_VIEW = '0:1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF';
const UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

export function fullDivolteRecord(): DivolteRecord {
  return {
    detectedDuplicate: false,
    detectedCorruption: true,
    firstInSession: true,
    timestamp: 1_732_624_200_123,
    clientTimestamp: 1_732_624_199_987,
    remoteHost: '203.0.113.7',
    referer: 'https://www.example.org/search?q=shoes',
    location: 'https://shop.example.com/shoes/red?utm_source=news&gclid=abc123#reviews',
    viewportPixelWidth: 1102,
    viewportPixelHeight: 949,
    screenPixelWidth: 1728,
    screenPixelHeight: 1030,
    partyId: PARTY,
    sessionId: SESSION,
    pageViewId: PAGE_VIEW,
    eventType: 'pageView',
    userAgentString: UA,
    userAgentName: 'Chrome',
    userAgentFamily: 'Chrome',
    userAgentVendor: 'Google Inc.',
    userAgentType: 'Browser',
    userAgentVersion: '120.0.0.0',
    userAgentDeviceCategory: 'Personal computer',
    userAgentOsFamily: 'OS X',
    userAgentOsVersion: '10.15.7',
    userAgentOsVendor: 'Apple Computer, Inc.',
  };
}

/** Only the fields without a default. */
export function minimalDivolteRecord(): Partial<DivolteRecord> {
  return {
    detectedDuplicate: false,
    detectedCorruption: false,
    firstInSession: true,
    timestamp: 1_523_630_703_000,
    clientTimestamp: 1_523_630_703_000,
    remoteHost: 'localhost',
  };
}

export function fullFootfallRecord(): FootfallRecord {
  return {
    ...fullDivolteRecord(),
    eventId: `${PAGE_VIEW}0`,
    sourceName: 'browser',
    newParty: false,
    devicePixelRatio: 1.5,
    eventParameters: '{"colour":"red","size":42,"inStock":true,"tags":["a","b"]}',
    eventParameterValues: { colour: 'red', size: '42', inStock: 'true' },
    locationScheme: 'https',
    locationHost: 'shop.example.com',
    locationPath: '/shoes/red',
    locationQuery: 'utm_source=news&gclid=abc123',
    locationFragment: 'reviews',
    utmSource: 'news',
    utmMedium: 'email',
    utmCampaign: 'spring-sale',
    utmTerm: 'red shoes',
    utmContent: 'header-link',
    clickIdType: 'gclid',
    clickId: 'abc123',
    refererHost: 'www.example.org',
    refererPath: '/search',
    refererInternal: false,
    browserName: 'Chrome',
    browserVersion: '120.0.0.0',
    browserMajor: '120',
    engineName: 'Blink',
    engineVersion: '120.0.0.0',
    osName: 'macOS',
    osVersion: '10.15.7',
    deviceType: 'desktop',
    deviceVendor: 'Apple',
    deviceModel: 'Macintosh',
    isBot: false,
    countryCode: 'NL',
    countryName: 'Netherlands',
    subdivisionCode: 'NH',
    subdivisionName: 'North Holland',
    cityName: 'Amsterdam',
    postalCode: '1012',
    latitude: 52.3759,
    longitude: 4.8975,
    timeZone: 'Europe/Amsterdam',
    asn: 4_200_000_000,
    asnOrganization: 'Example Networks B.V.',
  };
}

/** Only the fields without a default. */
export function minimalFootfallRecord(): Partial<FootfallRecord> {
  return {
    ...minimalDivolteRecord(),
    eventId: 'e1',
    sourceName: 'app',
    newParty: true,
  };
}
