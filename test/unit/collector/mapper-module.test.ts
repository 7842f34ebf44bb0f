import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { formatIssues, loadConfig, type FootfallConfig } from '../../../src/config/index.js';
import { startCollector, type RunningCollector } from '../../../src/collector/collector.js';
import { loadMapperModule, loadMappings } from '../../../src/collector/mapper-module.js';
import { mapDescribedEvent } from '../../../src/collector/map-event.js';
import { resolveMappings } from '../../../src/collector/mappings.js';
import { PARTY, readPublished, SESSION, tempDir } from '../../support/collector.js';
import { asnDatabase, cityDatabase } from '../../support/mmdb-writer.js';
import { pixelParams, pixelQuery } from '../../support/pixel.js';

const silent = pino({ level: 'silent' });
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

const running: RunningCollector[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.shutdown()));
});

/** Writes files into a fresh folder and loads `footfall.yaml` from it the way the CLI does. */
function project(files: Record<string, string | Buffer>): { dir: string; config: FootfallConfig } {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  const result = loadConfig({ file: path.join(dir, 'footfall.yaml'), env: {} });
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return { dir, config: result.config };
}

async function start(dir: string, config: FootfallConfig): Promise<RunningCollector> {
  const collector = await startCollector(config, silent, { baseDir: dir, listen: false });
  running.push(collector);
  return collector;
}

function jsonEvent(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    session_id: SESSION,
    event_id: 'e-1',
    is_new_party: false,
    is_new_session: true,
    client_timestamp_iso: '2026-11-26T10:00:00Z',
    event_type: 'purchase',
    parameters: { order: { total: 42.5, items: 3 } },
    ...overrides,
  });
}

const PAGE_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Page',
  namespace: 'com.example',
  fields: [
    { name: 'kind', type: 'string' },
    { name: 'party', type: ['null', 'string'], default: null },
    { name: 'host', type: ['null', 'string'], default: null },
    { name: 'total', type: ['null', 'double'], default: null },
    { name: 'city', type: ['null', 'string'], default: null },
    { name: 'ip', type: 'string' },
    { name: 'browser', type: ['null', 'string'], default: null },
  ],
});

// A mapping split over two TypeScript files with a type-only import of Footfall's types: the loader
// bundles the helper and strips the types.
const PAGE_MAPPING = `
import type { Mapper } from 'footfall';
import { kindOf } from './helpers/kind.ts';

interface Page { kind: string; party: string | null; host: string | null; total: number | null; city: string | null; ip: string; browser: string | null }

const mapping: Mapper<Page> = (event, ctx) => {
  const total = ctx.parameter('order.total');
  return {
    kind: kindOf(event.eventType),
    party: ctx.doNotTrack ? null : event.partyId,
    host: ctx.location()?.host ?? null,
    total: typeof total === 'number' ? total : null,
    city: ctx.geo()?.cityName ?? null,
    ip: event.remoteHost,
    browser: ctx.userAgent().browserName,
  };
};
export default mapping;
`;
const KIND_HELPER = `export function kindOf(type: string | null): string { return type === null ? 'unknown' : type.toLowerCase(); }\n`;

describe('user mappings', () => {
  it('maps events from both sources through a TypeScript mapping onto a custom schema in the file sink', async () => {
    const { dir, config } = project({
      'footfall.yaml': [
        'server: { shutdownDelay: 0 }',
        'enrich: { geoDatabase: City.mmdb, asnDatabase: ASN.mmdb }',
        'privacy: { ipAddress: truncate }',
        'sources: { web: { type: browser }, app: { type: json } }',
        'sinks: { pages: { type: file } }',
        'mappings:',
        '  pages: { sources: [web, app], sinks: [pages], schema: page.avsc, mapper: ./page-mapping.ts }',
        '',
      ].join('\n'),
      'page.avsc': PAGE_SCHEMA,
      'page-mapping.ts': PAGE_MAPPING,
      'City.mmdb': cityDatabase(),
      'ASN.mmdb': asnDatabase(),
    });
    mkdirSync(path.join(dir, 'helpers'));
    writeFileSync(path.join(dir, 'helpers', 'kind.ts'), KIND_HELPER);

    const c = await start(dir, config);
    const posted = await c.app.inject({
      method: 'POST',
      url: `/json?p=${encodeURIComponent(PARTY)}`,
      headers: { 'content-type': 'application/json', 'user-agent': 'okhttp/4.12.0' },
      payload: jsonEvent(),
      remoteAddress: '81.2.69.142',
    });
    expect(posted.statusCode).toBe(204);
    const pixel = await c.app.inject({
      method: 'GET',
      url: `/csc-event?${pixelQuery(pixelParams({ l: 'https://Shop.Example.com/p/1', t: 'pageView' }))}`,
      headers: { 'user-agent': CHROME },
      remoteAddress: '2001:db8::77',
    });
    expect(pixel.statusCode).toBe(200);
    await c.shutdown();

    const records = await readPublished(path.join(dir, 'data', 'published'));
    expect(records).toEqual([
      {
        kind: 'purchase',
        party: PARTY,
        host: null,
        total: 42.5,
        city: 'London',
        ip: '81.2.69.0',
        browser: 'okhttp',
      },
      {
        kind: 'pageview',
        party: PARTY,
        host: 'shop.example.com',
        total: null,
        city: 'San Francisco',
        ip: '2001:db8::',
        browser: 'Chrome',
      },
    ]);
    expect(c.outcomes.snapshot()).toEqual({ accepted: 2 });
  });

  it('runs the example mappings of docker/config/mappings end to end', async () => {
    const dir = tempDir();
    cpSync(path.resolve('docker/config/mappings'), dir, { recursive: true });
    const result = loadConfig({ file: path.join(dir, 'footfall.yaml'), env: {} });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    const c = await start(dir, { ...result.config, server: { ...result.config.server, shutdownDelay: 0 } });

    const page = (l: string, headers: Record<string, string>, e: string) =>
      c.app.inject({
        method: 'GET',
        url: `/csc-event?${pixelQuery(pixelParams({ l, e, r: 'https://www.google.com/' }))}`,
        headers: { 'user-agent': CHROME, cookie: 'consent=yes', ...headers },
        remoteAddress: '203.0.113.9',
      });
    await page('https://shop.example.com/products/blue-shoes?utm_campaign=spring', {}, 'ev1');
    await page('https://shop.example.com/', { dnt: '1' }, 'ev2');
    await page('https://shop.example.com/', { 'user-agent': 'curl/8.5.0' }, 'ev3');
    await c.shutdown();

    const clicks = await readPublished(path.join(dir, 'data', 'clicks', 'published'));
    expect(clicks).toEqual([
      expect.objectContaining({
        partyId: PARTY,
        path: '/products/blue-shoes',
        referrerHost: 'www.google.com',
        browser: 'Chrome',
        isBot: false,
      }),
      expect.objectContaining({ partyId: null, sessionId: null, path: '/' }),
      expect.objectContaining({ partyId: PARTY, browser: 'curl', isBot: true }),
    ]);
    const shop = await readPublished(path.join(dir, 'data', 'shop', 'published'));
    expect(shop).toEqual([
      expect.objectContaining({
        pageType: 'product',
        productId: 'blue-shoes',
        campaign: 'spring',
        consented: true,
        internalReferrer: false,
      }),
      // DNT: the Cookie header is gone, so no consent cookie either.
      expect.objectContaining({ pageType: 'home', partyId: null, consented: false }),
    ]);
    // The robot is in the minimal record but not in the shop's; an event counts once, as its best outcome.
    expect(c.outcomes.snapshot()).toEqual({ accepted: 3 });
  });

  it('makes only the event its mapping fails on invalid', async () => {
    const { dir, config } = project({
      'footfall.yaml':
        'server: { shutdownDelay: 0 }\nsinks: { out: { type: file } }\nmappings: { m: { sources: [app], sinks: [out], schema: s.avsc, mapper: m.mjs } }\n',
      's.avsc': JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'items', type: 'int' }] }),
      'm.mjs': `export default (event) => {
  if (event.eventType === 'explode') throw new Error('boom');
  return { items: event.parameters?.order?.items ?? 0 };
};\n`,
    });
    const c = await start(dir, config);
    const post = (payload: string) =>
      c.app.inject({
        method: 'POST',
        url: `/json?p=${encodeURIComponent(PARTY)}`,
        headers: { 'content-type': 'application/json' },
        payload,
      });
    expect((await post(jsonEvent())).statusCode).toBe(204);
    // The JSON client learns its event was not stored, and that a retry would fail the same way.
    expect((await post(jsonEvent({ event_id: 'e-2', event_type: 'explode' }))).statusCode).toBe(400);
    expect(
      (await post(jsonEvent({ event_id: 'e-3', parameters: { order: { items: 2.5 } } }))).statusCode,
    ).toBe(400);
    expect((await post(jsonEvent({ event_id: 'e-4' }))).statusCode).toBe(204);
    await c.shutdown();
    expect(c.outcomes.snapshot()).toEqual({ accepted: 2, 'invalid:mapping_failed': 2 });
    expect(await readPublished(path.join(dir, 'data', 'published'))).toEqual([{ items: 3 }, { items: 3 }]);
  });

  it('loads CommonJS and ES module mappings, and a named `mapper` export', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.cjs'), 'module.exports = (event) => ({ id: event.eventId });\n');
    writeFileSync(
      path.join(dir, 'b.js'),
      'export function mapper(event) { return { id: event.eventId }; }\n',
    );
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    for (const file of ['a.cjs', 'b.js']) {
      const mapper = await loadMapperModule(path.join(dir, file));
      expect(typeof mapper).toBe('function');
    }
  });
});

describe('mappings that stop the start', () => {
  const base =
    'sinks: { out: { type: file } }\nmappings: { clicks: { sources: [browser], sinks: [out], schema: s.avsc, mapper: MAPPER } }\n';
  const schema = JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'n', type: 'int' }] });

  async function failure(mapper: string, files: Record<string, string>): Promise<Error & { code?: string }> {
    const { dir, config } = project({
      'footfall.yaml': base.replace('MAPPER', mapper),
      's.avsc': schema,
      ...files,
    });
    const error = await startCollector(config, silent, { baseDir: dir, listen: false }).then(
      (c) => {
        running.push(c);
        throw new Error('the collector started');
      },
      (err: unknown) => err as Error & { code?: string },
    );
    expect(error.code).toBe('FOOTFALL_ERR_MAPPING');
    return error;
  }

  it('names a mapping file that does not exist', async () => {
    expect((await failure('./nope.ts', {})).message).toMatch(
      /^mappings\.clicks\.mapper: .*nope\.ts not found$/,
    );
  });

  it('points at the line of a mapping that does not compile', async () => {
    const error = await failure('./broken.ts', {
      'broken.ts': 'export default (event) => {\n  return { n: 1 ;\n};\n',
    });
    expect(error.message).toMatch(
      /^mappings\.clicks\.mapper: .*broken\.ts does not compile: .*broken\.ts:2:\d+: /,
    );
  });

  it('asks for a default export when there is none', async () => {
    const error = await failure('./none.ts', { 'none.ts': 'export const answer = 42;\n' });
    expect(error.message).toMatch(/must export the mapping function as its default export/);
  });

  it('refuses a mapping whose records do not fit the schema, naming the field', async () => {
    const error = await failure('./wrong.ts', { 'wrong.ts': 'export default () => ({ n: "one" });\n' });
    expect(error.message).toBe(
      'mappings.clicks.mapper (./wrong.ts) made a record for a browser page view that does not fit schema S: n: expected int, got a string',
    );
  });

  it('refuses an unknown builtin mapper and an unsupported file type', async () => {
    expect((await failure('builtin:nope', {})).message).toMatch(/unknown builtin mapper builtin:nope/);
    expect((await failure('./m.py', { 'm.py': '' })).message).toMatch(
      /must be a \.ts, \.mts, \.cts, \.js, \.mjs or \.cjs module/,
    );
  });
});

describe('compiled TypeScript mappings', () => {
  // The mapping reports, from its own top-level code, where it was imported from and who may enter
  // that folder: the loader removes the file before anyone else could look.
  const PROBE = `
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
const here = fileURLToPath(import.meta.url);
(globalThis as Record<string, unknown>).__footfallProbe = { file: here, mode: statSync(dirname(here)).mode & 0o777 };
export default (): { n: number } => ({ n: 1 });
`;

  /**
   * Where the loader used to write the compiled module, a name anyone could predict: the same build as
   * the loader's gives the same content hash.
   */
  async function oldPredictedPath(file: string, tmp: string): Promise<string> {
    const result = await build({
      entryPoints: [file],
      absWorkingDir: path.dirname(file),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      banner: {
        js: `import { createRequire as __footfallRequire } from 'node:module'; const require = __footfallRequire(${JSON.stringify(pathToFileURL(file).href)});`,
      },
    });
    const code = result.outputFiles[0]?.text ?? '';
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    return path.join(
      tmp,
      'footfall-mappings',
      `${path.basename(file).replace(/\W+/g, '_')}-${process.pid}-${hash}.mjs`,
    );
  }

  it('never writes through a symlink planted at the old predictable path, and still loads', async () => {
    const tmp = tempDir();
    const dir = tempDir();
    const file = path.join(dir, 'probe.ts');
    writeFileSync(file, PROBE);
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const planted = await oldPredictedPath(file, tmp);
    mkdirSync(path.dirname(planted));
    symlinkSync(victim, planted);

    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    let mapper;
    try {
      mapper = await loadMapperModule(file);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }

    expect(mapper(undefined as never, undefined as never)).toEqual({ n: 1 });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(planted).isSymbolicLink()).toBe(true);
    const probe = (globalThis as { __footfallProbe?: { file: string; mode: number } }).__footfallProbe;
    // Imported from a folder of its own under the temp folder, that only this user may enter…
    expect(path.dirname(path.dirname(probe?.file ?? ''))).toBe(tmp);
    expect(path.basename(path.dirname(probe?.file ?? ''))).toMatch(/^footfall-mapping-/);
    expect(probe?.mode).toBe(0o700);
    // …and gone once the import has settled.
    expect(existsSync(path.dirname(probe?.file ?? ''))).toBe(false);
  });
});

describe('mapping one described event', () => {
  it('gives the record of each mapping, with the configured enrichment', async () => {
    const { dir, config } = project({
      'footfall.yaml':
        'enrich: { geoDatabase: City.mmdb }\nsinks: { a: { type: file }, b: { type: file } }\nmappings:\n  rich: { sources: [browser], sinks: [a] }\n  legacy: { sources: [browser], sinks: [b], schema: builtin:divolte, mapper: builtin:divolte }\n',
      'City.mmdb': cityDatabase(),
    });
    const mapped = await mapDescribedEvent(
      config,
      dir,
      {
        remoteHost: '81.2.69.1',
        headers: { 'User-Agent': CHROME },
        location: 'https://example.com/?utm_source=x',
      },
      { logger: silent, now: 5 },
    );
    expect(mapped.map((m) => [m.mapping, m.outcome])).toEqual([
      ['rich', 'record'],
      ['legacy', 'record'],
    ]);
    expect(mapped[0]).toMatchObject({
      record: { cityName: 'London', utmSource: 'x', browserName: 'Chrome', timestamp: 5 },
    });
    expect(mapped[1]).toMatchObject({
      record: { userAgentName: 'Chrome', userAgentDeviceCategory: 'Personal computer' },
    });
  });

  it('reports the mapping that fails on the event and an unknown mapping name', async () => {
    const { dir, config } = project({
      'footfall.yaml':
        'sinks: { a: { type: file } }\nmappings: { m: { sources: [browser], sinks: [a], schema: s.avsc, mapper: m.mjs } }\n',
      's.avsc': JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'n', type: 'int' }] }),
      'm.mjs': 'export default (event) => ({ n: event.parameters?.n ?? 0 });\n',
    });
    const mapped = await mapDescribedEvent(config, dir, { parameters: { n: 'three' } }, { logger: silent });
    expect(mapped).toEqual([
      {
        mapping: 'm',
        outcome: 'failed',
        error: 'record does not fit schema S: n: expected int, got a string',
      },
    ]);
    await expect(mapDescribedEvent(config, dir, {}, { logger: silent, mapping: 'x' })).rejects.toThrow(
      /no mapping named x/,
    );
    await expect(mapDescribedEvent(config, dir, { nope: 1 }, { logger: silent })).rejects.toThrow(
      /nope: unknown key/,
    );
  });

  it('checks every mapping of a configuration without starting anything', async () => {
    const result = loadConfig({ file: 'docker/config/mappings/footfall.yaml', env: {} });
    if (!result.ok) throw new Error(formatIssues(result.issues));
    const loaded = await loadMappings(
      result.config,
      resolveMappings(result.config, path.resolve('docker/config/mappings')),
    );
    expect([...loaded.keys()]).toEqual(['minimal', 'shop']);
    expect(loaded.get('shop')?.codec.name).toBe('com.example.shop.ShopEvent');
  });
});
