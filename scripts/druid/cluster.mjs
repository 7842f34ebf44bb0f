// A small Druid cluster (ZooKeeper, coordinator-overlord, broker, historical, middleManager) assembled
// from Maven Central artifacts, for `npm run e2e:pipeline` on machines without Docker. Plain ESM so it
// runs from a checkout before any build. The settings come from docker/druid/environment, the file the
// compose cluster uses, so both clusters run the same configuration.
//
// Layout: the quickstart's process-per-service route, minus the router (queries go to the broker, which
// is what Superset's URI names anyway). Every process is started in its own process group, so stopping a
// middleManager also stops the peons it forked.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { checkJava, isAlive } from '../kafka/broker.mjs';
import { freePort, tail } from '../lib/local-host.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const cacheRoot = join(repoRoot, '.cache', 'druid');
const libsDir = join(cacheRoot, 'libs');
const extensionDir = join(cacheRoot, 'avro-extension');
const pomPath = join(here, 'pom.xml');
export const environmentFile = join(repoRoot, 'docker', 'druid', 'environment');

const stderrLog = (line) => process.stderr.write(`[druid] ${line}\n`);

/** The Druid version the POM pins; the Avro extension is built from the same release's sources. */
export function druidVersion() {
  const match = /<druid\.version>([^<]+)<\/druid\.version>/.exec(readFileSync(pomPath, 'utf8'));
  if (!match) throw new Error(`no <druid.version> in ${pomPath}`);
  return match[1];
}

function pomHash() {
  return createHash('sha256').update(readFileSync(pomPath)).digest('hex');
}

function readMarker(dir) {
  try {
    return readFileSync(join(dir, '.footfall-pom.sha256'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

async function run(command, args, what, options = {}) {
  const result = await new Promise((done) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => done({ status: -1, output: `${output}\n${error.message}` }));
    child.on('close', (status) => done({ status, output }));
  });
  if (result.status !== 0)
    throw new Error(`${what} failed (exit ${result.status}):\n${result.output.trim()}`);
  return result.output;
}

/**
 * Resolves Druid's jars with Maven unless the cached ones match pom.xml, then builds the Avro extension
 * if needed. Returns the classpath entries.
 */
export async function ensureDruid({ log = stderrLog } = {}) {
  const started = Date.now();
  let resolved = false;
  if (readMarker(libsDir) !== pomHash()) {
    if (spawnSync('mvn', ['-v']).error) {
      throw new Error("cannot run 'mvn': Druid's jars are resolved from Maven Central with Maven 3.6+");
    }
    mkdirSync(cacheRoot, { recursive: true });
    // Resolved into a private folder and renamed into place, so an interrupted run leaves no half classpath.
    const staging = join(cacheRoot, `libs.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    log(`resolving Druid ${druidVersion()} jars with Maven (first run only) into ${libsDir}`);
    try {
      const base = ['-B', '-q', '-f', pomPath];
      await run(
        'mvn',
        [...base, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'],
        'resolving the Druid jars',
      );
      // Druid's source release: the only place the Avro extension can be had from (see pom.xml).
      await run(
        'mvn',
        [
          ...base,
          'dependency:copy',
          `-Dartifact=org.apache.druid:distribution:${druidVersion()}:tar.gz`,
          `-DoutputDirectory=${join(staging, 'source')}`,
        ],
        'fetching the Druid source release',
      );
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    writeFileSync(join(staging, '.footfall-pom.sha256'), `${pomHash()}\n`);
    rmSync(libsDir, { recursive: true, force: true });
    renameSync(staging, libsDir);
    rmSync(extensionDir, { recursive: true, force: true });
    resolved = true;
  }
  const built = await ensureAvroExtension({ log });
  const ms = Date.now() - started;
  if (resolved || built) log(`Druid ready to run after ${(ms / 1000).toFixed(1)}s of resolving and building`);
  return { classpath: [join(libsDir, '*'), join(extensionDir, '*')], resolved, built, ms };
}

/**
 * Compiles druid-avro-extensions from the source release, because no version of it is on Maven Central.
 * Two changes, both forced by Maven Central too: the schema-registry decoder is left out (its Confluent
 * client is published only in Confluent's repository), and so are the Hadoop record readers (they serve
 * Hadoop batch ingestion only). `schema_inline` and `multiple_schemas_inline` are Druid's own code.
 */
async function ensureAvroExtension({ log }) {
  const version = druidVersion();
  const jar = join(extensionDir, `druid-avro-extensions-${version}.jar`);
  if (existsSync(jar)) return false;
  const { java } = checkJava();
  const jdkBin = dirname(java === 'java' ? whichJava() : java);
  const tarball = join(libsDir, 'source', `distribution-${version}.tar.gz`);
  const work = join(cacheRoot, `avro-build-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'classes'), { recursive: true });
  log(`building druid-avro-extensions ${version} from Druid's source release`);
  try {
    const module = `apache-druid-${version}-src/extensions-core/avro-extensions/src/main`;
    await run('tar', ['-xzf', tarball, '-C', work, module], 'unpacking the Avro extension source');
    const src = join(work, module, 'java');
    const pkg = join(src, 'org', 'apache', 'druid', 'data', 'input', 'avro');
    for (const file of [
      'SchemaRegistryBasedAvroBytesDecoder.java',
      'AvroValueRecordReader.java',
      'AvroValueInputFormat.java',
    ]) {
      rmSync(join(pkg, file));
    }
    const decoder = join(pkg, 'AvroBytesDecoder.java');
    const text = readFileSync(decoder, 'utf8');
    const patched = text.replace(/^.*name = "schema_registry".*\n/m, '');
    if (patched === text) throw new Error(`${decoder} no longer names schema_registry; check the build`);
    writeFileSync(decoder, patched);

    const sources = listFiles(src).filter((file) => file.endsWith('.java'));
    await run(
      join(jdkBin, 'javac'),
      [
        '-nowarn',
        '-proc:none',
        '-encoding',
        'UTF-8',
        '-d',
        join(work, 'classes'),
        '-cp',
        join(libsDir, '*'),
        ...sources,
      ],
      'compiling the Avro extension',
    );
    await run(
      join(jdkBin, 'jar'),
      [
        '--create',
        '--file',
        join(work, 'extension.jar'),
        '-C',
        join(work, 'classes'),
        '.',
        '-C',
        join(work, module, 'resources'),
        '.',
      ],
      'packaging the Avro extension',
    );
    mkdirSync(extensionDir, { recursive: true });
    renameSync(join(work, 'extension.jar'), jar);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return true;
}

function whichJava() {
  const found = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('java is not on the PATH');
  return spawnSync('readlink', ['-f', found], { encoding: 'utf8' }).stdout.trim() || found;
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * docker/druid/environment as runtime properties, by the image's rule (its druid.sh): `_` becomes `.`
 * and `__` a literal `_`, so `druid_a_b=v` is `druid.a.b=v`.
 */
export function environmentProperties(text = readFileSync(environmentFile, 'utf8')) {
  const properties = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    if (!key.startsWith('druid_')) continue;
    properties[key.replaceAll('__', '\0').replaceAll('_', '.').replaceAll('\0', '_')] = line.slice(eq + 1);
  }
  return properties;
}

const JAVA_17_OPENS = [
  '--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED',
  '--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED',
];

// Heaps for a cluster that holds a few thousand rows; direct memory covers the processing buffers
// (50 MiB x (threads + merge buffers + 1)).
const SERVICES = [
  {
    name: 'coordinator',
    druidService: 'druid/coordinator',
    command: 'coordinator',
    heap: '384m',
    direct: '64m',
  },
  { name: 'broker', druidService: 'druid/broker', command: 'broker', heap: '384m', direct: '256m' },
  {
    name: 'historical',
    druidService: 'druid/historical',
    command: 'historical',
    heap: '256m',
    direct: '256m',
  },
  {
    name: 'middleManager',
    druidService: 'druid/middlemanager',
    command: 'middleManager',
    heap: '96m',
    direct: '64m',
  },
];

const LOG4J = `<?xml version="1.0" encoding="UTF-8" ?>
<Configuration status="WARN">
  <Appenders>
    <Console name="Console" target="SYSTEM_OUT">
      <PatternLayout pattern="%d{ISO8601} %p [%t] %c - %m%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="Console"/></Root>
    <Logger name="org.apache.kafka" level="warn" additivity="false"><AppenderRef ref="Console"/></Logger>
  </Loggers>
</Configuration>
`;

function propertiesText(properties) {
  return `${Object.entries(properties)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/** Pids of the process groups a running cluster in `dir` started; read by stopDruid after a crash. */
function statePath(dir) {
  return join(dir, 'state.json');
}

/**
 * Starts ZooKeeper and the Druid services in `dir` (wiped first) and waits until each answers
 * /status/health and the broker serves SQL.
 * @param {{ dir?: string, log?: (line: string) => void, readyTimeoutMs?: number }} [options]
 */
export async function startDruid({
  dir = join(cacheRoot, 'run'),
  log = stderrLog,
  readyTimeoutMs = 240_000,
} = {}) {
  dir = resolve(dir);
  await stopDruid({ dir, log });
  rmSync(dir, { recursive: true, force: true });
  const { java } = checkJava();
  const { classpath } = await ensureDruid({ log });
  const started = Date.now();

  const var_ = join(dir, 'var');
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  mkdirSync(var_, { recursive: true });
  writeFileSync(join(dir, 'log4j2.xml'), LOG4J);

  const zkPort = await freePort();
  const derbyPort = await freePort();
  const peonPort = await freePort();
  const ports = {};
  for (const service of SERVICES) ports[service.name] = await freePort();

  const common = {
    ...environmentProperties(),
    // The image loads extensions from its extensions/ folder; here they are on the classpath.
    'druid.extensions.loadList': '[]',
    'druid.extensions.searchCurrentClassloader': 'true',
    'druid.host': '127.0.0.1',
    'druid.zk.service.host': `127.0.0.1:${zkPort}`,
    'druid.metadata.storage.connector.connectURI': `jdbc:derby://127.0.0.1:${derbyPort}/${join(var_, 'metadata.db')};create=true`,
    'druid.metadata.storage.connector.host': '127.0.0.1',
    'druid.metadata.storage.connector.port': String(derbyPort),
    'druid.storage.storageDirectory': join(var_, 'segments'),
    'druid.indexer.logs.directory': join(var_, 'indexing-logs'),
    'druid.segmentCache.locations': JSON.stringify([{ path: join(var_, 'segment-cache'), maxSize: '1GiB' }]),
    'druid.server.maxSize': '1GiB',
    'druid.indexer.task.baseTaskDir': join(var_, 'task'),
    'druid.indexer.runner.startPort': String(peonPort),
    'druid.indexer.runner.endPort': String(peonPort + 20),
    'druid.worker.ip': '127.0.0.1',
    'druid.lookup.enableLookupSyncOnStartup': 'false',
  };
  const confCommon = join(dir, 'conf', '_common');
  mkdirSync(confCommon, { recursive: true });
  writeFileSync(join(confCommon, 'common.runtime.properties'), propertiesText(common));

  const state = { pids: [], ports: { zookeeper: zkPort, derby: derbyPort, ...ports } };
  const launch = (name, args) => {
    const out = openSync(join(logs, `${name}.log`), 'a');
    try {
      const child = spawn(java, args, { cwd: dir, detached: true, stdio: ['ignore', out, out] });
      child.unref();
      state.pids.push({ name, pid: child.pid });
      writeFileSync(statePath(dir), JSON.stringify(state, null, 2));
      return child;
    } finally {
      closeSync(out);
    }
  };

  const jvmCommon = [
    '-XX:+UseSerialGC',
    '-Duser.timezone=UTC',
    '-Dfile.encoding=UTF-8',
    `-Djava.io.tmpdir=${join(var_, 'tmp')}`,
    `-Dlog4j.configurationFile=${join(dir, 'log4j2.xml')}`,
    '-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager',
  ];
  mkdirSync(join(var_, 'tmp'), { recursive: true });

  launch('zookeeper', [
    '-Xms64m',
    '-Xmx128m',
    '-Dzookeeper.admin.enableServer=false',
    '-Dzookeeper.4lw.commands.whitelist=ruok',
    `-Dlog4j.configurationFile=${join(dir, 'log4j2.xml')}`,
    '-cp',
    classpath.join(':'),
    'org.apache.zookeeper.server.ZooKeeperServerMain',
    String(zkPort),
    join(var_, 'zk'),
  ]);

  for (const service of SERVICES) {
    const conf = join(dir, 'conf', service.name);
    mkdirSync(conf, { recursive: true });
    writeFileSync(
      join(conf, 'runtime.properties'),
      propertiesText({
        'druid.service': service.druidService,
        'druid.plaintextPort': String(ports[service.name]),
      }),
    );
    launch(service.name, [
      '-server',
      `-Xms${service.heap}`,
      `-Xmx${service.heap}`,
      `-XX:MaxDirectMemorySize=${service.direct}`,
      ...JAVA_17_OPENS,
      ...jvmCommon,
      '-cp',
      [confCommon, conf, ...classpath].join(':'),
      'org.apache.druid.cli.Main',
      'server',
      service.command,
    ]);
  }

  const urls = Object.fromEntries(SERVICES.map((s) => [s.name, `http://127.0.0.1:${ports[s.name]}`]));
  const handle = {
    dir,
    urls,
    /** The coordinator also serves the overlord's API. */
    overlordUrl: urls.coordinator,
    brokerUrl: urls.broker,
    logs,
    stop: () => stopDruid({ dir, log }),
  };
  try {
    await waitUntilReady(handle, state, readyTimeoutMs);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  const readyMs = Date.now() - started;
  log(
    `Druid ready in ${(readyMs / 1000).toFixed(1)}s (broker ${urls.broker}, overlord ${urls.coordinator}); logs in ${logs}`,
  );
  return { ...handle, readyMs };
}

async function waitUntilReady(handle, state, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(Object.keys(handle.urls));
  let sqlReady = false;
  while (Date.now() < deadline) {
    for (const { name, pid } of state.pids) {
      if (!isAlive(pid)) {
        throw new Error(
          `Druid ${name} exited during start-up; log tail:\n${tail(join(handle.logs, `${name}.log`)) || '(no log)'}`,
        );
      }
    }
    for (const name of [...pending]) {
      const ok = await fetch(`${handle.urls[name]}/status/health`, { signal: AbortSignal.timeout(2000) })
        .then((response) => response.ok)
        .catch(() => false);
      if (ok) pending.delete(name);
    }
    if (pending.size === 0 && !sqlReady) {
      // Health turns green before the broker has its view of the cluster; a trivial query proves SQL works.
      sqlReady = await fetch(`${handle.brokerUrl}/druid/v2/sql/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'SELECT 1 AS ready' }),
        signal: AbortSignal.timeout(5000),
      })
        .then((response) => response.ok)
        .catch(() => false);
      if (sqlReady) return;
    }
    await sleep(1000);
  }
  throw new Error(
    `Druid did not become ready within ${timeoutMs / 1000}s (still waiting for: ${[...pending].join(', ') || 'SQL'})`,
  );
}

/**
 * Stops every process group a cluster in `dir` started (SIGTERM, then SIGKILL after `timeoutMs`).
 * Safe to call when nothing runs; used before a start to clean up after a crashed run.
 * @param {{ dir?: string, log?: (line: string) => void, timeoutMs?: number }} [options]
 */
export async function stopDruid({ dir = join(cacheRoot, 'run'), log = stderrLog, timeoutMs = 20_000 } = {}) {
  const path = statePath(resolve(dir));
  let state;
  try {
    state = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return;
  }
  // Every process of the cluster names the run folder on its command line; a pid that does not is a
  // recycled one and belongs to someone else.
  const ours = (pid) => {
    try {
      return isAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(resolve(dir));
    } catch {
      return false;
    }
  };
  const alive = () => state.pids.filter(({ pid }) => ours(pid));
  const signal = (name) => {
    for (const { pid } of alive()) {
      try {
        process.kill(-pid, name);
      } catch {
        // Already gone between the check and the signal.
      }
    }
  };
  // Services first, ZooKeeper last, so none of them spends its shutdown hunting for a lost quorum.
  const services = state.pids.filter(({ name }) => name !== 'zookeeper');
  for (const { pid } of services) {
    if (ours(pid)) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Gone already.
      }
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (services.some(({ pid }) => ours(pid)) && Date.now() < deadline) await sleep(200);
  signal('SIGTERM');
  while (alive().length > 0 && Date.now() < deadline + 5000) await sleep(200);
  if (alive().length > 0) {
    log(
      `killing Druid processes that ignored SIGTERM: ${alive()
        .map(({ name }) => name)
        .join(', ')}`,
    );
    signal('SIGKILL');
  }
  rmSync(path, { force: true });
}

// `node scripts/druid/cluster.mjs start|stop` for poking at the cluster by hand.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'start') {
    const druid = await startDruid();
    process.stdout.write(`${JSON.stringify({ urls: druid.urls, logs: druid.logs }, null, 2)}\n`);
  } else if (command === 'stop') {
    await stopDruid();
  } else {
    process.stderr.write('usage: node scripts/druid/cluster.mjs start|stop\n');
    process.exitCode = 2;
  }
}
