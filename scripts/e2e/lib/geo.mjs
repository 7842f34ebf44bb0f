// A small GeoIP2 City database for the run, so country and city dimensions carry real values without
// a downloaded MaxMind file. It reuses the test suite's writer (test/support/mmdb-writer.ts), bundled
// on the fly with esbuild, and its fixtures: 81.2.69.0/24 is London (GB), 203.0.113.0/24 Amsterdam (NL).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../../druid/cluster.mjs';

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
  writeFileSync(file, writer.cityDatabase());
  return file;
}
