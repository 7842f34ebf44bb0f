/**
 * The browser source serves the bundled tracker templates from dist/tracker/, in-process tests
 * included: bundle them (esbuild, well under a second). Unit tests need nothing else from a build.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build-tracker.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
}
