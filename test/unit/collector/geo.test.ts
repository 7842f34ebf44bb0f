import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GeoDatabaseError, openGeo, type GeoOptions, type GeoService } from '../../../src/collector/geo.js';
import { tempDir } from '../../support/collector.js';
import { asnDatabase, cityDatabase, CITY_FIXTURES } from '../../support/mmdb-writer.js';

interface Line {
  level: string;
  msg: string;
}

function capture(): { lines: Line[]; logger: GeoOptions['logger'] } {
  const lines: Line[] = [];
  const at = (level: string) => (first: unknown, second?: unknown) => {
    lines.push({ level, msg: typeof first === 'string' ? first : String(second) });
  };
  return {
    lines,
    logger: { info: at('info'), warn: at('warn'), error: at('error') } as GeoOptions['logger'],
  };
}

const services: GeoService[] = [];
afterEach(() => {
  for (const service of services.splice(0)) service.close();
});

async function open(
  options: Partial<GeoOptions> & { baseDir: string },
): Promise<{ geo: GeoService; lines: Line[] }> {
  const { lines, logger } = capture();
  const geo = await openGeo({
    geoDatabase: null,
    asnDatabase: null,
    logger,
    pollIntervalMs: 20,
    settleMs: 20,
    ...options,
  });
  services.push(geo);
  return { geo, lines };
}

/** Writes next to the target and renames over it, the way geoipupdate replaces a database. */
async function replace(file: string, bytes: Buffer): Promise<void> {
  const next = `${file}.next`;
  await writeFile(next, bytes);
  await rename(next, file);
}

describe('the geo-IP databases at the edge', () => {
  it('opens City and ASN databases named relative to the configuration folder', async () => {
    const dir = tempDir();
    await writeFile(path.join(dir, 'City.mmdb'), cityDatabase());
    await writeFile(path.join(dir, 'ASN.mmdb'), asnDatabase());
    const { geo, lines } = await open({ baseDir: dir, geoDatabase: 'City.mmdb', asnDatabase: './ASN.mmdb' });
    expect(geo.lookup?.('81.2.69.1')).toMatchObject({ cityName: 'London', asn: 20712 });
    expect(geo.lookup?.('2001:db8::9')).toMatchObject({ countryCode: 'US', asn: 64496 });
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('has no look-up and warns once when no database is configured', async () => {
    const { geo, lines } = await open({ baseDir: tempDir() });
    expect(geo.lookup).toBeNull();
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(/enrich\.geoDatabase/);
  });

  it('refuses to start with a database that does not exist, naming the key and the file', async () => {
    const dir = tempDir();
    const error = await open({ baseDir: dir, geoDatabase: 'missing.mmdb' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GeoDatabaseError);
    expect(error).toMatchObject({ code: 'FOOTFALL_ERR_GEO' });
    expect((error as Error).message).toBe(
      `enrich.geoDatabase: cannot open ${path.join(dir, 'missing.mmdb')}: no such file`,
    );
  });

  it('refuses to start with a file that is no MaxMind database', async () => {
    const dir = tempDir();
    await writeFile(path.join(dir, 'City.mmdb'), cityDatabase());
    await writeFile(path.join(dir, 'junk.mmdb'), 'this is not a database');
    const error = await open({ baseDir: dir, geoDatabase: 'City.mmdb', asnDatabase: 'junk.mmdb' }).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(GeoDatabaseError);
    expect((error as Error).message).toMatch(/^enrich\.asnDatabase: cannot open .*junk\.mmdb: /);
  });

  it('warns when the City setting names a database of another kind', async () => {
    const dir = tempDir();
    await writeFile(path.join(dir, 'ASN.mmdb'), asnDatabase());
    const { lines } = await open({ baseDir: dir, geoDatabase: 'ASN.mmdb' });
    expect(lines.some((l) => l.level === 'warn' && /GeoLite2-ASN database/.test(l.msg))).toBe(true);
  });

  it('reloads the database when the file is replaced, answering every look-up meanwhile', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'City.mmdb');
    await writeFile(file, cityDatabase());
    const { geo } = await open({ baseDir: dir, geoDatabase: file });
    expect(geo.lookup?.('81.2.69.1')?.cityName).toBe('London');

    const moved = CITY_FIXTURES.map((f) => (f.city === 'London' ? { ...f, city: 'Londinium' } : f));
    let answered = 0;
    const probe = setInterval(() => {
      // Never a gap: the old reader serves until the new one is complete.
      if (geo.lookup?.('81.2.69.1') !== null) answered++;
    }, 1);
    await replace(file, cityDatabase(moved));
    await vi.waitFor(() => expect(geo.lookup?.('81.2.69.1')?.cityName).toBe('Londinium'), { timeout: 5000 });
    clearInterval(probe);
    expect(answered).toBeGreaterThan(0);
    expect(geo.reloads()).toBe(1);
  });

  it('keeps the loaded database when the file is replaced by a broken one, and takes the next good one', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'City.mmdb');
    await writeFile(file, cityDatabase());
    const { geo, lines } = await open({ baseDir: dir, geoDatabase: file });
    await replace(file, Buffer.from('half a download'));
    await vi.waitFor(
      () => expect(lines.some((l) => /cannot be read; keeping the loaded one/.test(l.msg))).toBe(true),
      {
        timeout: 5000,
      },
    );
    expect(geo.lookup?.('81.2.69.1')?.cityName).toBe('London');

    await replace(file, cityDatabase(CITY_FIXTURES.map((f) => ({ ...f, city: `New ${f.city}` }))));
    await vi.waitFor(() => expect(geo.lookup?.('81.2.69.1')?.cityName).toBe('New London'), { timeout: 5000 });
  });

  it('keeps answering from memory when the file disappears', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'City.mmdb');
    await writeFile(file, cityDatabase());
    const { geo, lines } = await open({ baseDir: dir, geoDatabase: file });
    await rm(file);
    await vi.waitFor(() => expect(lines.some((l) => /disappeared/.test(l.msg))).toBe(true), {
      timeout: 5000,
    });
    expect(geo.lookup?.('81.2.69.1')?.cityName).toBe('London');
  });
});
