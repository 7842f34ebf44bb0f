import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/collector.js';

const CONFIG = 'docker/config/mappings/footfall.yaml';
const EVENT = 'docker/config/mappings/event.example.json';

/** The JSON document in the CLI's combined output, without the one-line log records from stderr. */
function jsonOf(output: string): unknown {
  const lines = output.split('\n').filter((line) => !line.startsWith('{"level"'));
  return JSON.parse(lines.join('\n'));
}

describe('footfall map and the start-up check of mappings', () => {
  it('prints the record every configured mapping makes from an event file', async () => {
    const { code, output } = await runCli(['map', '--config', CONFIG, '--event', EVENT]);
    expect(code).toBe(0);
    expect(jsonOf(output)).toMatchObject({
      minimal: {
        eventType: 'addToCart',
        path: '/products/blue-shoes',
        browser: 'Mobile Safari',
        isBot: false,
      },
      shop: {
        pageType: 'product',
        productId: 'blue-shoes',
        price: 89.95,
        campaign: 'spring',
        consented: true,
      },
    });
  });

  it('prints the bare record of the one mapping asked for', async () => {
    const { code, output } = await runCli(['map', '-c', CONFIG, '-e', EVENT, '--mapping', 'minimal']);
    expect(code).toBe(0);
    expect(jsonOf(output)).toMatchObject({ eventType: 'addToCart', referrerHost: 'shop.example.com' });
  });

  it('exits with 2 without an event file and for a broken one', async () => {
    expect((await runCli(['map', '--config', CONFIG])).code).toBe(2);
    const dir = tempDir();
    writeFileSync(path.join(dir, 'event.json'), '{ "screenWidth": "wide" }');
    const broken = await runCli(['map', '--config', CONFIG, '--event', path.join(dir, 'event.json')]);
    expect(broken.code).toBe(2);
    expect(broken.output).toMatch(/screenWidth: expected a number/);
  });

  it('refuses to serve, and check-config refuses, a mapping that does not fit its schema (exit code 2)', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'footfall.yaml'),
      'sinks: { out: { type: file } }\nmappings: { clicks: { sources: [browser], sinks: [out], schema: s.avsc, mapper: ./m.ts } }\n',
    );
    writeFileSync(
      path.join(dir, 's.avsc'),
      JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'n', type: 'int' }] }),
    );
    writeFileSync(path.join(dir, 'm.ts'), 'export default (): { n: string } => ({ n: "one" });\n');
    const serve = await runCli(
      ['serve', '--config', path.join(dir, 'footfall.yaml')],
      { FOOTFALL_PORT: '0' },
      dir,
    );
    expect(serve.code).toBe(2);
    expect(serve.output).toMatch(
      /mappings\.clicks\.mapper \(\.\/m\.ts\) made a record for a browser page view that does not fit schema S: n: expected int, got a string/,
    );
    const check = await runCli(['check-config', '--config', path.join(dir, 'footfall.yaml')], {}, dir);
    expect(check.code).toBe(2);
    expect(check.output).toMatch(/^FOOTFALL_ERR_MAPPING: /m);
  });

  it('refuses to serve with a geo database that cannot be opened (exit code 2)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'footfall.yaml'), 'enrich: { geoDatabase: GeoLite2-City.mmdb }\n');
    const { code, output } = await runCli(
      ['serve', '--config', 'footfall.yaml'],
      { FOOTFALL_PORT: '0' },
      dir,
    );
    expect(code).toBe(2);
    expect(output).toContain(
      `enrich.geoDatabase: cannot open ${path.join(dir, 'GeoLite2-City.mmdb')}: no such file`,
    );
  });
});
