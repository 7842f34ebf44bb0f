/**
 * Integration tests run the compiled CLI as a child process, exactly as `npm start` does: build it
 * once per test run (incremental, so a fresh build costs a few seconds and an unchanged tree almost
 * nothing). The tracker templates come from tracker-global-setup.ts, listed before this one.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  execFileSync(process.execPath, [path.join(root, 'scripts/copy-assets.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
}
