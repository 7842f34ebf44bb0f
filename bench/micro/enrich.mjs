#!/usr/bin/env node
// Micro-benchmark of enrichment and mapping, per event, in one process without HTTP:
//
//   npm run build && node bench/micro/enrich.mjs [--rounds 7] [--json out.json] [--geo GeoLite2-City.mmdb]
//
// Every case runs a warm-up, then `rounds` timed rounds; the median round is reported as CPU ns per
// operation. `encode only` (a ready-made record through the Avro codec) is the floor the mapping cases
// are compared against: what is left above it is the cost of enrichment and mapping. Without --geo the
// geo cases use a fixture database built in memory by test/support/mmdb-writer.ts (bundled on the fly
// with esbuild): the tree walk is as deep as in a real database, its data section much smaller.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import maxmind, { Reader } from 'maxmind';
import {
  DuplicateMemory,
  EventContext,
  OutcomeCounter,
  SYNTHETIC_EVENTS,
  campaignOf,
  createEnrichment,
  createGeoLookup,
  createUserAgentParser,
  divolteUserAgent,
  mapDivolte,
  mapFootfall,
  parseUrl,
  processEvent,
  sameSite,
  truncateIp,
} from '../../dist/pipeline/index.js';
import { createCodec, loadBuiltinSchema } from '../../dist/schema/index.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    json: { type: 'string' },
    geo: { type: 'string' },
  },
});
const rounds = Number(values.rounds);

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
];
const HINTS = {
  'sec-ch-ua': '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Windows"',
  'sec-ch-ua-platform-version': '"15.0.0"',
};
const LOCATION =
  'https://shop.example.com/products/42?utm_source=newsletter&utm_medium=email&utm_campaign=spring&gclid=Cj0KCQ#reviews';
const REFERRER = 'https://www.google.com/search?q=blue+shoes&hl=en';

/**
 * Runs `op(i)` `iterations` times per round; returns the median CPU ns per operation. CPU time of this
 * process (user + system), not wall time, so a busy machine that takes the core away does not count.
 */
function measure(iterations, op) {
  let sink = 0;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) sink += op(i) ? 1 : 0;
  const perOp = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) sink += op(i) ? 1 : 0;
    const used = process.cpuUsage(start);
    perOp.push(((used.user + used.system) * 1000) / iterations);
  }
  perOp.sort((a, b) => a - b);
  if (sink === -1) console.log('unreachable');
  return perOp[Math.floor(perOp.length / 2)];
}

async function fixtureGeo() {
  if (values.geo) return { city: await maxmind.open(path.resolve(values.geo)), asn: null, what: values.geo };
  const bundle = await esbuild.build({
    entryPoints: [path.join(root, 'test/support/mmdb-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
  });
  const writer = await import(
    `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`
  );
  // A cache like the one `maxmind.open` configures, so repeat networks cost what they cost in production.
  const cache = () => new Map();
  return {
    city: new Reader(writer.cityDatabase(), { cache: cache() }),
    asn: new Reader(writer.asnDatabase(), { cache: cache() }),
    what: 'fixture (test/support/mmdb-writer.ts)',
  };
}

const results = [];
function report(name, ns, note = '') {
  results.push({ name, nsPerOp: Math.round(ns), opsPerSec: Math.round(1e9 / ns), note });
  console.log(
    `${name.padEnd(46)} ${String(Math.round(ns)).padStart(8)} ns/op ${String(Math.round(1e9 / ns)).padStart(11)} ops/s  ${note}`,
  );
}

console.log(`node ${process.version}, ${rounds} rounds, median CPU time per operation\n`);

// --- user agent -------------------------------------------------------------------------------------
{
  const cached = createUserAgentParser(10_000);
  report(
    'user agent, cache hit',
    measure(2_000_000, (i) => cached(USER_AGENTS[i & 7], {}).isBot),
  );
  const uncached = createUserAgentParser(0);
  report(
    'user agent, cache miss (parse + isbot)',
    measure(20_000, (i) => uncached(USER_AGENTS[i & 7], {}).isBot),
  );
  report(
    'user agent, cache miss with client hints',
    measure(20_000, () => uncached(USER_AGENTS[0], HINTS).isBot),
  );
  report(
    'user agent, cache hit with client hints',
    measure(1_000_000, () => cached(USER_AGENTS[0], HINTS).isBot),
  );
  // The part of a cache miss that builtin:divolte's vocabulary adds: the translation of one parse.
  const parses = USER_AGENTS.map((ua) => ({ ...uncached(ua, {}), deviceType: null }));
  report(
    'user agent, Divolte vocabulary alone (in a miss)',
    measure(500_000, (i) => divolteUserAgent(USER_AGENTS[i & 7], parses[i & 7]).name !== null),
  );
}

// --- geo --------------------------------------------------------------------------------------------
const geoDb = await fixtureGeo();
const lookup = createGeoLookup({ city: () => geoDb.city, asn: () => geoDb.asn });
{
  const hits = Array.from({ length: 256 }, (_, i) =>
    i % 2 === 0 ? `81.2.69.${i}` : `2001:db8:${i.toString(16)}::1`,
  );
  const misses = Array.from({ length: 256 }, (_, i) => `8.8.${i}.8`);
  report(
    'geo look-up, hit (City + ASN)',
    measure(500_000, (i) => lookup(hits[i & 255]) !== null),
    geoDb.what,
  );
  const cityOnly = createGeoLookup({ city: () => geoDb.city, asn: () => null });
  report(
    'geo look-up, hit (City only, memoised)',
    measure(500_000, (i) => cityOnly(hits[i & 255]) !== null),
  );
  report(
    'geo look-up, miss',
    measure(500_000, (i) => lookup(misses[i & 255]) !== null),
  );
}

// --- URLs and privacy -------------------------------------------------------------------------------
report(
  'URL parse, location + campaign',
  measure(300_000, () => campaignOf(parseUrl(LOCATION)).clickId !== null),
);
report(
  'URL parse, referrer + same site',
  measure(300_000, () => sameSite(parseUrl(REFERRER)?.host ?? null, 'shop.example.com') === true),
);
report(
  'IP truncation, IPv4',
  measure(2_000_000, (i) => truncateIp(`203.0.113.${i & 255}`).length > 0),
);
report(
  'IP truncation, IPv6',
  measure(500_000, () => truncateIp('2001:db8:85a3::8a2e:370:7334').length > 0),
);

// --- mapping and encoding ---------------------------------------------------------------------------
{
  const footfall = createCodec(loadBuiltinSchema('footfall'));
  const divolte = createCodec(loadBuiltinSchema('divolte'));
  const { event, flags } = SYNTHETIC_EVENTS[0];
  const browserEvent = { ...event, remoteHost: '81.2.69.142', location: LOCATION, referrer: REFERRER };
  const enrich = createEnrichment({ geo: lookup });
  const noGeo = createEnrichment();
  const ready = (() => {
    const ctx = new EventContext(browserEvent, flags, enrich);
    return mapFootfall(ctx.event, ctx);
  })();

  const floor = measure(300_000, () => footfall.encode(ready).length > 0);
  report('encode only, footfall record (floor)', floor);
  const full = measure(200_000, () => {
    const ctx = new EventContext(browserEvent, flags, enrich);
    return footfall.encode(mapFootfall(ctx.event, ctx)).length > 0;
  });
  report('map + encode footfall, all enrichment', full, `${(full / floor).toFixed(2)}× floor`);
  const withoutGeo = measure(200_000, () => {
    const ctx = new EventContext(browserEvent, flags, noGeo);
    return footfall.encode(mapFootfall(ctx.event, ctx)).length > 0;
  });
  report('map + encode footfall, no geo database', withoutGeo, `${(withoutGeo / floor).toFixed(2)}× floor`);
  const truncating = createEnrichment({
    geo: lookup,
    privacy: { ipAddress: 'truncate', honorDoNotTrack: true },
  });
  report(
    'map + encode footfall, truncate + DNT policy',
    measure(200_000, () => {
      const ctx = new EventContext(browserEvent, flags, truncating);
      return footfall.encode(mapFootfall(ctx.event, ctx)).length > 0;
    }),
  );
  report(
    'map + encode divolte',
    measure(300_000, () => {
      const ctx = new EventContext(browserEvent, flags, enrich);
      return divolte.encode(mapDivolte(ctx.event, ctx)).length > 0;
    }),
  );

  const routes = [
    {
      name: 'clicks',
      mapper: mapFootfall,
      encoder: footfall,
      discardCorrupted: false,
      discardDuplicates: false,
      destinations: [{ name: 'count', offer: () => true }],
    },
  ];
  const context = { duplicates: new DuplicateMemory(1_000_000), outcomes: new OutcomeCounter(), enrich };
  const events = Array.from({ length: 1024 }, (_, i) => ({
    ...browserEvent,
    eventId: `${browserEvent.pageViewId}${i.toString(16)}`,
  }));
  report(
    'processEvent: flags + map + encode + offer',
    measure(200_000, (i) => processEvent(events[i & 1023], routes, context).kind === 'accepted'),
  );
}

if (values.json) {
  writeFileSync(values.json, `${JSON.stringify({ node: process.version, rounds, results }, null, 2)}\n`);
  console.log(`\nwrote ${pathToFileURL(path.resolve(values.json)).href}`);
}
