/**
 * Geo-IP enrichment as the pipeline sees it: a synchronous, read-only look-up. Opening, watching and
 * reloading the MaxMind databases is I/O and happens at the edge (src/collector/geo.ts); the pipeline only
 * gets readers that answer `get(ip)`, always the current ones, so a reload swaps them between two
 * events and never under one.
 *
 * The raw record shapes below are the parts of GeoIP2/GeoLite2 City and ASN records Footfall reads.
 */

/** Where an IP address is, as far as the databases know. Unknown values are null. */
export interface GeoInfo {
  readonly continentCode: string | null;
  readonly countryCode: string | null;
  readonly countryName: string | null;
  readonly isInEuropeanUnion: boolean | null;
  /** ISO 3166-2 code of the largest subdivision (state, province) without the country, e.g. `NH`. */
  readonly subdivisionCode: string | null;
  readonly subdivisionName: string | null;
  /** Every subdivision's ISO code, largest first. */
  readonly subdivisionCodes: readonly string[];
  readonly cityName: string | null;
  /** GeoNames id of the city, as Divolte's `cityId()`. */
  readonly cityGeonameId: number | null;
  readonly postalCode: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  /** Radius in km around latitude/longitude that contains the address with 67% confidence. */
  readonly accuracyRadius: number | null;
  readonly metroCode: number | null;
  readonly timeZone: string | null;
  readonly asn: number | null;
  readonly asnOrganization: string | null;
}

/** Looks an address up; null when no database knows it (or the text is no address). Never throws. */
export type GeoLookup = (ip: string) => GeoInfo | null;

interface Names {
  readonly en?: string;
}

interface CityRecordLike {
  readonly city?: { readonly geoname_id?: number; readonly names?: Names };
  readonly continent?: { readonly code?: string };
  readonly country?: {
    readonly iso_code?: string;
    readonly names?: Names;
    readonly is_in_european_union?: boolean;
  };
  readonly location?: {
    readonly latitude?: number;
    readonly longitude?: number;
    readonly accuracy_radius?: number;
    readonly metro_code?: number;
    readonly time_zone?: string;
  };
  readonly postal?: { readonly code?: string };
  readonly subdivisions?: readonly { readonly iso_code?: string; readonly names?: Names }[];
}

interface AsnRecordLike {
  readonly autonomous_system_number?: number;
  readonly autonomous_system_organization?: string;
}

/** A database reader as the pipeline needs it (the `maxmind` Reader has this shape). */
interface RecordReader<T> {
  get(ip: string): T | null;
}

export interface GeoReaders {
  /** The current City reader, or null when none is configured. Called per look-up: readers can change. */
  city(): RecordReader<CityRecordLike> | null;
  asn(): RecordReader<AsnRecordLike> | null;
}

type CityPart = Omit<GeoInfo, 'asn' | 'asnOrganization'>;

const NO_CITY: CityPart = Object.freeze({
  continentCode: null,
  countryCode: null,
  countryName: null,
  isInEuropeanUnion: null,
  subdivisionCode: null,
  subdivisionName: null,
  subdivisionCodes: Object.freeze([]) as readonly string[],
  cityName: null,
  cityGeonameId: null,
  postalCode: null,
  latitude: null,
  longitude: null,
  accuracyRadius: null,
  metroCode: null,
  timeZone: null,
});

/**
 * A look-up over the current readers. The `maxmind` reader hands out the same decoded object for every
 * address of one network (its cache is keyed by data offset), so conversions are memoised per object:
 * a repeat network costs the tree walks and WeakMap hits, and answers the same frozen object.
 */
export function createGeoLookup(readers: GeoReaders): GeoLookup {
  const cities = new WeakMap<object, CityPart>();
  const results = new WeakMap<object, GeoInfo>();
  // Keyed by the ASN record, then by the City record (or NO_CITY): a network pair is converted once.
  const pairs = new WeakMap<object, WeakMap<object, GeoInfo>>();
  return (ip) => {
    const address = plainAddress(ip);
    if (address === null) return null;
    const cityReader = readers.city();
    const asnReader = readers.asn();
    const city = cityReader === null ? null : safeGet(cityReader, address);
    const asn = asnReader === null ? null : safeGet(asnReader, address);
    if (city === null && asn === null) return null;
    if (asn === null) {
      const city_ = city as CityRecordLike;
      let info = results.get(city_);
      if (info === undefined) {
        info = Object.freeze({ ...cityPart(city_, cities), asn: null, asnOrganization: null });
        results.set(city_, info);
      }
      return info;
    }
    let byCity = pairs.get(asn);
    if (byCity === undefined) {
      byCity = new WeakMap();
      pairs.set(asn, byCity);
    }
    const cityKey = city ?? NO_CITY;
    let info = byCity.get(cityKey);
    if (info === undefined) {
      info = Object.freeze({
        ...(city === null ? NO_CITY : cityPart(city, cities)),
        asn: typeof asn.autonomous_system_number === 'number' ? asn.autonomous_system_number : null,
        asnOrganization: asn.autonomous_system_organization ?? null,
      });
      byCity.set(cityKey, info);
    }
    return info;
  };
}

function cityPart(record: CityRecordLike, memo: WeakMap<object, CityPart>): CityPart {
  let part = memo.get(record);
  if (part === undefined) {
    part = convertCity(record);
    memo.set(record, part);
  }
  return part;
}

function convertCity(record: CityRecordLike): CityPart {
  const subdivisions = record.subdivisions ?? [];
  const largest = subdivisions[0];
  const location = record.location;
  return Object.freeze({
    continentCode: record.continent?.code ?? null,
    countryCode: record.country?.iso_code ?? null,
    countryName: record.country?.names?.en ?? null,
    isInEuropeanUnion: record.country === undefined ? null : (record.country.is_in_european_union ?? false),
    subdivisionCode: largest?.iso_code ?? null,
    subdivisionName: largest?.names?.en ?? null,
    subdivisionCodes: Object.freeze(
      subdivisions.map((s) => s.iso_code).filter((code): code is string => typeof code === 'string'),
    ),
    cityName: record.city?.names?.en ?? null,
    cityGeonameId: record.city?.geoname_id ?? null,
    postalCode: record.postal?.code ?? null,
    latitude: location?.latitude ?? null,
    longitude: location?.longitude ?? null,
    accuracyRadius: location?.accuracy_radius ?? null,
    metroCode: location?.metro_code ?? null,
    timeZone: location?.time_zone ?? null,
  });
}

function safeGet<T>(reader: RecordReader<T>, address: string): T | null {
  try {
    return reader.get(address);
  } catch {
    // An address the reader rejects (e.g. IPv6 in an IPv4-only database) is simply unknown.
    return null;
  }
}

/** `::ffff:1.2.3.4` (Node's view of IPv4 on a dual-stack socket) → `1.2.3.4`; empty → null. */
function plainAddress(ip: string): string | null {
  if (ip === '') return null;
  if (ip.length > 7 && (ip.startsWith('::ffff:') || ip.startsWith('::FFFF:')) && ip.indexOf('.') !== -1) {
    return ip.slice(7);
  }
  return ip;
}
