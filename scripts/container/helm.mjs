// helm for the chart's tests (deploy/helm/footfall): built from its Go module at a pinned version into
// .cache/helm/<version>/, once. `go install` needs Go 1.24 or later (or a Go that fetches its
// toolchain, GOTOOLCHAIN=auto); helm's own release downloads are not used.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './image.mjs';

export const HELM_VERSION = 'v4.3.2';
const binDir = join(repoRoot, '.cache', 'helm', HELM_VERSION);
export const helmPath = join(binDir, 'helm');

/** The helm binary, built if missing; resolves with its path and how long the build took (0: cached). */
export async function ensureHelm() {
  if (existsSync(helmPath)) return { path: helmPath, version: HELM_VERSION, builtMs: 0 };
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      'helm is built from its Go module: install Go 1.24 or later (apt-get install golang-go from backports)',
    );
  }
  const started = Date.now();
  await new Promise((done, fail) => {
    const child = spawn('go', ['install', `helm.sh/helm/v4/cmd/helm@${HELM_VERSION}`], {
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0
        ? done(undefined)
        : fail(new Error(`go install helm ${HELM_VERSION} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
  return { path: helmPath, version: HELM_VERSION, builtMs: Date.now() - started };
}
