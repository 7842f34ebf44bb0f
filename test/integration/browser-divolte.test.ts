import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { encodeMincode } from '../../src/protocol/index.js';
import { PARTY, SESSION, tempDir } from '../support/collector.js';
import { startCli } from '../support/cli.js';
import { PAGE_VIEW, pixelParams, pixelQuery } from '../support/pixel.js';

/** Decodes with a reader built from Divolte's schema text only, as a Divolte consumer would. */
async function decodeWithDivolteSchema(dir: string): Promise<Record<string, unknown>[]> {
  const schema = JSON.parse(readFileSync(path.resolve('src/schema/divolte.avsc'), 'utf8'));
  const type = avsc.Type.forSchema(schema);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.avro'))
    .sort();
  const records: Record<string, unknown>[] = [];
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      avsc
        .createFileDecoder(path.join(dir, file), { readerSchema: type })
        .on('data', (r: Record<string, unknown>) => records.push({ ...r }))
        .on('end', resolve)
        .on('error', reject);
    });
  }
  return records;
}

describe('pixel requests to the running CLI with the divolte mapping', () => {
  it('produce DefaultEventRecords whose every field holds what Divolte would have written', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'divolte.yaml'),
      [
        'server: { shutdownDelay: 0 }',
        'sources:',
        '  browser: { type: browser }',
        'sinks:',
        '  files: { type: file }',
        'mappings:',
        '  divolte: { sources: [browser], sinks: [files], schema: builtin:divolte, mapper: builtin:divolte }',
        '',
      ].join('\n'),
    );
    const cli = await startCli(['serve', '--config', 'divolte.yaml'], {}, dir);
    const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Footfall-Test';
    const get = (query: string) =>
      fetch(`${cli.address}/csc-event?${query}`, { headers: { 'user-agent': userAgent } }).then(
        (r) => r.status,
      );

    const before = Date.now();
    const pageView = pixelParams({ r: 'https://search.example/?q=shoes', n: 't', f: 't' });
    const custom = pixelParams({
      e: `${PAGE_VIEW}1`,
      t: 'addToCart',
      u: encodeMincode({ sku: 'ü-1', qty: 2 }),
      l: 'http://localhost:8290/#cart',
    });
    const corrupt = pixelParams({ e: `${PAGE_VIEW}2`, t: 'tampered', x: 'abc' });
    expect(await get(pixelQuery(pageView))).toBe(200);
    expect(await get(pixelQuery(custom))).toBe(200);
    expect(await get(pixelQuery(corrupt))).toBe(200);
    expect(await get(pixelQuery(pageView))).toBe(200); // the same event again: a duplicate
    expect(await get('p=nonsense')).toBe(200); // no event at all
    const after = Date.now();

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const records = await decodeWithDivolteSchema(path.join(dir, 'data', 'published'));
    expect(records).toHaveLength(4);

    const base = {
      detectedCorruption: false,
      detectedDuplicate: false,
      firstInSession: false,
      clientTimestamp: parseInt('i1t8q2b6', 36),
      remoteHost: '127.0.0.1',
      referer: null,
      location: 'http://localhost:8290/',
      viewportPixelWidth: parseInt('uq', 36),
      viewportPixelHeight: parseInt('qd', 36),
      screenPixelWidth: parseInt('1ak', 36),
      screenPixelHeight: parseInt('sj', 36),
      partyId: PARTY,
      sessionId: SESSION,
      pageViewId: PAGE_VIEW,
      eventType: 'pageView',
      userAgentString: userAgent,
    };
    expect(records[0]).toMatchObject({
      ...base,
      firstInSession: true,
      referer: 'https://search.example/?q=shoes',
    });
    expect(records[1]).toMatchObject({
      ...base,
      eventType: 'addToCart',
      location: 'http://localhost:8290/#cart',
    });
    expect(records[2]).toMatchObject({ ...base, eventType: 'tampered', detectedCorruption: true });
    expect(records[3]).toMatchObject({
      ...base,
      firstInSession: true,
      referer: 'https://search.example/?q=shoes',
      detectedDuplicate: true,
    });
    for (const record of records) {
      expect(Object.keys(record)).toHaveLength(26);
      expect(record.timestamp as number).toBeGreaterThanOrEqual(before);
      expect(record.timestamp as number).toBeLessThanOrEqual(after);
    }
    expect(cli.output()).toMatch(/"outcomes":\{"accepted":4,"invalid:bad_identifier":1\}/);
  });
});
