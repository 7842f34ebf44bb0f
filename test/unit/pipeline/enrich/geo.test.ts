import { Reader, type AsnResponse, type CityResponse } from 'maxmind';
import { describe, expect, it } from 'vitest';
import { createGeoLookup, type GeoReaders } from '../../../../src/pipeline/enrich/geo.js';
import { asnDatabase, cityDatabase, mmdb, writeMmdb } from '../../../support/mmdb-writer.js';

// A cache as `maxmind.open` configures one: decoded records are shared per database offset.
const city = new Reader<CityResponse>(cityDatabase(), { cache: new Map() });
const asn = new Reader<AsnResponse>(asnDatabase());

function readers(cityReader: Reader<CityResponse> | null, asnReader: Reader<AsnResponse> | null): GeoReaders {
  return { city: () => cityReader, asn: () => asnReader };
}

describe('geo-IP look-ups through the maxmind reader on a fixture database', () => {
  const lookup = createGeoLookup(readers(city, asn));

  it('finds an IPv4 address with its city, largest subdivision, location and network', () => {
    expect(lookup('81.2.69.142')).toEqual({
      continentCode: 'EU',
      countryCode: 'GB',
      countryName: 'United Kingdom',
      isInEuropeanUnion: false,
      subdivisionCode: 'ENG',
      subdivisionName: 'England',
      subdivisionCodes: ['ENG', 'WSM'],
      cityName: 'London',
      cityGeonameId: 2643743,
      postalCode: 'SW1A',
      latitude: 51.5142,
      longitude: -0.0931,
      accuracyRadius: 10,
      metroCode: null,
      timeZone: 'Europe/London',
      asn: 20712,
      asnOrganization: 'Andrews & Arnold Ltd',
    });
  });

  it('finds an IPv6 address', () => {
    expect(lookup('2001:db8:1234::1')).toMatchObject({
      countryCode: 'US',
      subdivisionCode: 'CA',
      cityName: 'San Francisco',
      postalCode: null,
      asn: 64496,
      asnOrganization: 'Example IPv6 Networks',
    });
  });

  it('finds an IPv4 address seen through a dual-stack socket as ::ffff:a.b.c.d', () => {
    expect(lookup('::ffff:203.0.113.9')).toMatchObject({
      countryCode: 'NL',
      cityName: 'Amsterdam',
      isInEuropeanUnion: true,
    });
  });

  it('answers null for addresses no database knows, IPv4 and IPv6', () => {
    expect(lookup('8.8.8.8')).toBeNull();
    expect(lookup('2a00:1450::1')).toBeNull();
    expect(lookup('127.0.0.1')).toBeNull();
  });

  it('answers the network alone when only the ASN database knows the address', () => {
    expect(lookup('198.51.100.23')).toMatchObject({
      countryCode: null,
      cityName: null,
      asn: 64511,
      asnOrganization: 'Example Mobile',
    });
  });

  it('answers null, never throws, for text that is no address', () => {
    for (const text of ['', 'unknown', '999.1.1.1', 'example.com']) expect(lookup(text)).toBeNull();
  });

  it('returns the same frozen object for addresses of one network when the reader caches records', () => {
    const cityOnly = createGeoLookup(readers(city, null));
    const a = cityOnly('203.0.113.1');
    expect(cityOnly('203.0.113.200')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toMatchObject({ cityName: 'Amsterdam', asn: null });
  });

  it('converts a pair of City and ASN networks once', () => {
    const cachedAsn = new Reader<AsnResponse>(asnDatabase(), { cache: new Map() });
    const both = createGeoLookup(readers(city, cachedAsn));
    const first = both('81.2.69.1');
    expect(both('81.2.69.250')).toBe(first);
    expect(both('198.51.100.1')).toBe(both('198.51.100.2'));
  });

  it('reads IPv4-only databases, where IPv6 addresses are simply unknown', () => {
    const v4 = createGeoLookup(
      readers(new Reader<CityResponse>(cityDatabase(undefined, { ipVersion: 4 })), null),
    );
    expect(v4('81.2.69.1')).toMatchObject({ cityName: 'London' });
    expect(v4('2001:db8::1')).toBeNull();
  });

  it('reads databases written with 24-, 28- and 32-bit records alike', () => {
    for (const recordSize of [24, 28, 32] as const) {
      const reader = new Reader<CityResponse>(cityDatabase(undefined, { recordSize }));
      expect(createGeoLookup(readers(reader, null))('81.2.69.7')?.cityName).toBe('London');
    }
  });

  it('prefers the narrower network where networks nest', () => {
    const nested = new Reader<CityResponse>(
      writeMmdb({
        databaseType: 'GeoLite2-City',
        ipVersion: 6,
        networks: [
          { network: '10.0.0.0/8', data: { city: { names: { en: 'Wide' } } } },
          { network: '10.1.0.0/16', data: { city: { names: { en: 'Narrow' } } } },
          {
            network: '10.2.0.0/16',
            data: { city: { names: { en: 'Other' } }, location: { latitude: mmdb.double(1) } },
          },
        ],
      }),
    );
    const nestedLookup = createGeoLookup(readers(nested, null));
    expect(nestedLookup('10.1.2.3')?.cityName).toBe('Narrow');
    expect(nestedLookup('10.2.2.3')).toMatchObject({ cityName: 'Other', latitude: 1 });
    expect(nestedLookup('10.9.9.9')?.cityName).toBe('Wide');
  });

  it('asks the readers on every look-up, so swapped readers answer at once', () => {
    let current: Reader<CityResponse> | null = null;
    const swapping = createGeoLookup({ city: () => current, asn: () => null });
    expect(swapping('81.2.69.1')).toBeNull();
    current = city;
    expect(swapping('81.2.69.1')?.cityName).toBe('London');
  });
});
