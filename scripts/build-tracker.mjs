// Bundles src/tracker-js into dist/tracker/: one minified ES2019 template per feature set, whose
// settings are still the bare placeholder identifier. The server fills them in per browser source
// at start-up (src/server/sources/browser/tracker-script.ts), so esbuild is needed to build, never to run.
// Template names must match trackerTemplateName() in src/protocol/tracker-settings.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PLACEHOLDER = '__FOOTFALL_TRACKER_SETTINGS__';
const out = path.join(root, 'dist', 'tracker');
mkdirSync(out, { recursive: true });

for (const spa of [false, true]) {
  for (const privacy of [false, true]) {
    const result = await build({
      entryPoints: [path.join(root, 'src/tracker-js/index.ts')],
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2019',
      platform: 'browser',
      legalComments: 'none',
      charset: 'utf8',
      write: false,
      logLevel: 'warning',
      define: { __FOOTFALL_SPA__: String(spa), __FOOTFALL_PRIVACY__: String(privacy) },
      // Class fields as plain assignments: the defineProperty helper costs the bundle bytes.
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    });
    const code = result.outputFiles[0].text;
    const occurrences = code.split(PLACEHOLDER).length - 1;
    if (occurrences !== 1) {
      throw new Error(`the tracker bundle must contain ${PLACEHOLDER} exactly once, found ${occurrences}`);
    }
    const name = `tracker${spa ? '-spa' : ''}${privacy ? '-privacy' : ''}.template.js`;
    writeFileSync(path.join(out, name), code);
  }
}
