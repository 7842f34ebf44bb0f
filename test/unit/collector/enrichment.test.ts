import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openEnrichment, type RuntimeEnrichment } from '../../../src/collector/enrichment.js';
import { configFrom } from '../../support/collector.js';
import { cityDatabase } from '../../support/mmdb-writer.js';

const silent = pino({ level: 'silent' });
const opened: RuntimeEnrichment[] = [];
afterEach(() => {
  for (const enrichment of opened.splice(0)) enrichment.close();
});

describe('the runtime enrichment', () => {
  it('is built from the configuration: geo database next to the config file, privacy policy', async () => {
    const { config, dir } = configFrom(
      'enrich: { geoDatabase: City.mmdb }\nprivacy: { ipAddress: truncate, honorDoNotTrack: true }\n',
    );
    writeFileSync(path.join(dir, 'City.mmdb'), cityDatabase());
    const enrichment = await openEnrichment(config, { baseDir: dir, logger: silent });
    opened.push(enrichment);
    expect(enrichment.enrich.geo?.('81.2.69.1')).toMatchObject({ cityName: 'London' });
    expect(enrichment.enrich.privacy).toEqual({ ipAddress: 'truncate', honorDoNotTrack: true });
    expect(enrichment.enrich.userAgent('curl/8.5.0', {}).browserName).toBe('curl');
  });

  it('has no geo look-up without a database, and refuses one that cannot be opened', async () => {
    const { config, dir } = configFrom('');
    const enrichment = await openEnrichment(config, { baseDir: dir, logger: silent });
    opened.push(enrichment);
    expect(enrichment.enrich.geo).toBeNull();

    const missing = configFrom('enrich: { geoDatabase: nope.mmdb }\n');
    await expect(
      openEnrichment(missing.config, { baseDir: missing.dir, logger: silent }),
    ).rejects.toMatchObject({ code: 'FOOTFALL_ERR_GEO' });
  });
});
