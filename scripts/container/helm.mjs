// helm for the chart's tests (deploy/helm/footfall): built from its Go module at a pinned version into
// .cache/helm/<version>/, once; helm's own release downloads are not used. helm 4.3 needs Go 1.26.
// Debian bookworm's golang-go is 1.19, so a Go that old fetches the pinned Go toolchain the way Go
// 1.21+ does by itself: as the module golang.org/toolchain, from the Go module proxy.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './image.mjs';

export const HELM_VERSION = 'v4.3.2';
const GO_MINOR = 26;
const GO_TOOLCHAIN = 'v0.0.1-go1.26.8.linux-amd64';
const binDir = join(repoRoot, '.cache', 'helm', HELM_VERSION);
export const helmPath = join(binDir, 'helm');

/** A go command new enough to build helm: the one on PATH, or the pinned toolchain module. */
function goCommand() {
  const version = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error('helm is built from its Go module: install Go (apt-get install golang-go)');
  }
  const minor = Number(/^go1\.(\d+)/.exec(version.stdout.trim())?.[1] ?? 0);
  if (minor >= GO_MINOR) return 'go';
  const download = spawnSync('go', ['mod', 'download', '-json', `golang.org/toolchain@${GO_TOOLCHAIN}`], {
    encoding: 'utf8',
    cwd: tmpdir(),
    env: { ...process.env, GO111MODULE: 'on' },
  });
  if (download.status !== 0)
    throw new Error(`go mod download of the Go toolchain failed: ${download.stdout}${download.stderr}`);
  const dir = JSON.parse(download.stdout).Dir;
  // Module zips keep no file modes; Go's own toolchain switch marks these executable the same way.
  const tools = join(dir, 'pkg', 'tool', 'linux_amd64');
  for (const file of [
    join(dir, 'bin', 'go'),
    join(dir, 'bin', 'gofmt'),
    ...readdirSync(tools).map((n) => join(tools, n)),
  ]) {
    chmodSync(file, 0o755);
  }
  return join(dir, 'bin', 'go');
}

/** The helm binary, built if missing; resolves with its path and how long the build took (0: cached). */
export async function ensureHelm() {
  if (existsSync(helmPath)) return { path: helmPath, version: HELM_VERSION, builtMs: 0 };
  const started = Date.now();
  const go = goCommand();
  await new Promise((done, fail) => {
    const child = spawn(go, ['install', `helm.sh/helm/v4/cmd/helm@${HELM_VERSION}`], {
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
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
