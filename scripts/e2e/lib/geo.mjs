// A small GeoIP2 City database for the run, so country and city dimensions carry real values without
// a downloaded MaxMind file. It reuses the test suite's writer (test/support/mmdb-writer.ts), bundled
// on the fly with esbuild, and its fixtures: 81.2.69.0/24 is London (GB), 203.0.113.0/24 Amsterdam (NL);
// the networks of events.mjs's other places are added here (198.18.0.0/15 is reserved for testing).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../../druid/cluster.mjs';
import { PLACES } from './events.mjs';

const CITIES = {
  Berlin: {
    continent: 'EU',
    eu: true,
    region: ['BE', 'Berlin'],
    lat: 52.52,
    lon: 13.405,
    tz: 'Europe/Berlin',
  },
  Munich: {
    continent: 'EU',
    eu: true,
    region: ['BY', 'Bavaria'],
    lat: 48.137,
    lon: 11.575,
    tz: 'Europe/Berlin',
  },
  Paris: {
    continent: 'EU',
    eu: true,
    region: ['IDF', 'Île-de-France'],
    lat: 48.857,
    lon: 2.352,
    tz: 'Europe/Paris',
  },
  'New York': {
    continent: 'NA',
    eu: false,
    region: ['NY', 'New York'],
    lat: 40.713,
    lon: -74.006,
    tz: 'America/New_York',
  },
  Toronto: {
    continent: 'NA',
    eu: false,
    region: ['ON', 'Ontario'],
    lat: 43.653,
    lon: -79.383,
    tz: 'America/Toronto',
  },
  Tokyo: { continent: 'AS', eu: false, region: ['13', 'Tokyo'], lat: 35.69, lon: 139.692, tz: 'Asia/Tokyo' },
  'São Paulo': {
    continent: 'SA',
    eu: false,
    region: ['SP', 'São Paulo'],
    lat: -23.55,
    lon: -46.633,
    tz: 'America/Sao_Paulo',
  },
  Mumbai: {
    continent: 'AS',
    eu: false,
    region: ['MH', 'Maharashtra'],
    lat: 19.076,
    lon: 72.878,
    tz: 'Asia/Kolkata',
  },
};

/** City fixtures for the places the test suite's fixtures do not cover. */
function extraFixtures() {
  return PLACES.filter((place) => CITIES[place.cityName]).map((place, i) => {
    const city = CITIES[place.cityName];
    return {
      network: `${place.prefix}0/24`,
      continent: city.continent,
      countryCode: place.countryCode,
      countryName: place.countryName,
      eu: city.eu,
      subdivisions: [{ code: city.region[0], name: city.region[1] }],
      city: place.cityName,
      cityGeonameId: 3_000_000 + i,
      latitude: city.lat,
      longitude: city.lon,
      accuracyRadius: 20,
      timeZone: city.tz,
    };
  });
}

export async function writeGeoDatabase(dir) {
  const bundled = await build({
    entryPoints: [join(repoRoot, 'test', 'support', 'mmdb-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const source = bundled.outputFiles[0].text;
  const writer = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
  const file = join(dir, 'GeoLite2-City-e2e.mmdb');
  writeFileSync(file, writer.cityDatabase([...writer.CITY_FIXTURES, ...extraFixtures()]));
  return file;
}
