// The broker's toolchain: a Java 17+ runtime and the Kafka classpath, which Maven resolves from
// Central into .cache/kafka/libs once per pom.xml. Separate from running a broker because it is the
// slow first-run part with its own failure mode (a tool missing: exit 3), and druid/cluster.mjs needs
// the Java check too. broker.mjs re-exports what callers use.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root; the cache lives there rather than in the caller's cwd so every entry point shares it. */
export const repoRoot = resolve(here, '..', '..');
export const cacheRoot = join(repoRoot, '.cache', 'kafka');
export const libsDir = join(cacheRoot, 'libs');
const pomPath = join(here, 'pom.xml');
const markerPath = join(libsDir, '.footfall-pom.sha256');

/** Exit code for "a required tool is not installed", distinct from ordinary failures (1) and usage (2). */
export const EXIT_TOOL_MISSING = 3;

export class ToolMissingError extends Error {
  /** @param {string} tool @param {string} message */
  constructor(tool, message) {
    super(message);
    this.name = 'ToolMissingError';
    this.tool = tool;
    this.exitCode = EXIT_TOOL_MISSING;
  }
}

export const stderrLog = (/** @type {string} */ line) => process.stderr.write(`[kafka] ${line}\n`);

function javaCommand() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Kafka 4 refuses to run on anything older than Java 17, and says so less clearly than we can. */
export function checkJava() {
  const java = javaCommand();
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new ToolMissingError(
      'java',
      `cannot run '${java}' (${probe.error.message}). Kafka needs a Java 17+ runtime: install one ` +
        `(e.g. 'apt-get install openjdk-17-jdk-headless') or set JAVA_HOME to it.`,
    );
  }
  const banner = `${probe.stderr}${probe.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(banner);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= 17)) {
    throw new ToolMissingError(
      'java',
      `'${java}' is Java ${Number.isNaN(major) ? '(unknown version)' : major}; Kafka 4 needs Java 17 or newer. ` +
        `Install one (e.g. 'apt-get install openjdk-17-jdk-headless') or point JAVA_HOME at it.`,
    );
  }
  return { java, major };
}

function pomHash() {
  return createHash('sha256').update(readFileSync(pomPath)).digest('hex');
}

function kafkaJarIn(dir) {
  try {
    return readdirSync(dir).find((name) => /^kafka_2\.13-.+\.jar$/.test(name));
  } catch {
    return undefined;
  }
}

/** The Kafka release on the cached classpath, or undefined before the first resolve. */
export function installedKafkaVersion() {
  const jar = kafkaJarIn(libsDir);
  return jar ? jar.slice('kafka_2.13-'.length, -'.jar'.length) : undefined;
}

function libsAreCurrent() {
  try {
    return readFileSync(markerPath, 'utf8').trim() === pomHash() && kafkaJarIn(libsDir) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Makes sure .cache/kafka/libs holds the classpath described by pom.xml. Maven runs only when the
 * marker (the pom's hash) is missing or stale, so warm starts never pay for Maven's own JVM.
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function ensureLibs({ log = stderrLog } = {}) {
  if (libsAreCurrent()) return { libsDir, resolved: false, kafkaVersion: installedKafkaVersion(), ms: 0 };

  const probe = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (probe.error) {
    throw new ToolMissingError(
      'mvn',
      `cannot run 'mvn' (${probe.error.message}). The Kafka jars are resolved from Maven Central with ` +
        `Maven 3.6+: install it (e.g. 'apt-get install maven'). It is needed only until ${libsDir} is filled.`,
    );
  }

  const started = Date.now();
  mkdirSync(cacheRoot, { recursive: true });
  // Resolve into a private folder and rename it into place, so a concurrent start (another test run, a
  // user's `npm run kafka`) never sees a half-copied classpath.
  const staging = join(cacheRoot, `libs.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  log(`resolving Kafka jars with Maven (first run only) into ${libsDir}`);
  const args = [
    '-B',
    '-q',
    '-f',
    pomPath,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${staging}`,
    '-DincludeScope=runtime',
  ];
  const code = await new Promise((done) => {
    const mvn = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-8000);
    };
    mvn.stdout.on('data', keep);
    mvn.stderr.on('data', keep);
    mvn.on('error', (error) => done({ status: -1, output: `${output}\n${error.message}` }));
    mvn.on('close', (status) => done({ status, output }));
  });
  if (code.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Maven could not resolve the Kafka jars (exit ${code.status}):\n${code.output.trim()}`);
  }
  writeFileSync(join(staging, '.footfall-pom.sha256'), `${pomHash()}\n`);
  if (libsAreCurrent()) {
    rmSync(staging, { recursive: true, force: true });
  } else {
    rmSync(libsDir, { recursive: true, force: true });
    try {
      renameSync(staging, libsDir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!libsAreCurrent()) throw error;
    }
  }
  const ms = Date.now() - started;
  log(`resolved Kafka ${installedKafkaVersion()} in ${(ms / 1000).toFixed(1)}s`);
  return { libsDir, resolved: true, kafkaVersion: installedKafkaVersion(), ms };
}
