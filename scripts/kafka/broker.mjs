// A single-node KRaft Kafka broker assembled from Maven Central jars, for tests, benchmarks and local
// runs on machines without Docker. Plain ESM so it runs straight from a checkout, before any build.
// kafka.mjs is the command-line face of this module; TypeScript callers get types from broker.d.mts.
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
import { freePort, portIsFree, tail } from '../lib/local-host.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root; the cache lives there rather than in the caller's cwd so every entry point shares it. */
export const repoRoot = resolve(here, '..', '..');
export const cacheRoot = join(repoRoot, '.cache', 'kafka');
export const libsDir = join(cacheRoot, 'libs');
/**
 * The folder `kafka.mjs` uses when no --dir is given.
 * @alias of cacheRoot
 */
export const defaultDir = cacheRoot;
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

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const BIND_RETRIES = 3;

const stderrLog = (/** @type {string} */ line) => process.stderr.write(`[kafka] ${line}\n`);

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

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeJson(path, value) {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, path);
}

/** A process that exited but was not yet reaped still answers kill(pid, 0); treat it as gone. */
export function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Guards against signalling an unrelated process that inherited a recycled pid from a stale state file. */
function isOurBroker(pid, propertiesPath) {
  let command;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    const ps = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    if (ps.error) return true;
    command = ps.stdout;
  }
  return command.includes('kafka.Kafka') && command.includes(propertiesPath);
}

/** Kafka's Uuid.toString(): 16 random bytes, URL-safe base64 without padding, never starting with '-'. */
function kafkaUuid() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function paths(dir) {
  return {
    dir,
    properties: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j2.properties'),
    data: join(dir, 'data'),
    logs: join(dir, 'logs'),
    out: join(dir, 'logs', 'kafka.out'),
    serverLog: join(dir, 'logs', 'server.log'),
    // Survives stop so a restart keeps the cluster id and, when still free, the same ports.
    instance: join(dir, 'instance.json'),
    // Exists only while a broker runs; `stop` removes it.
    state: join(dir, 'broker.json'),
  };
}

/** `NAME://127.0.0.1:<port>` for each extra listener. */
function extraEndpoints(listeners, ports) {
  return listeners.map(({ name }) => `,${name}://127.0.0.1:${ports[name]}`).join('');
}

function serverProperties({ port, controllerPort, data, listeners = [], listenerPorts = {}, extra = '' }) {
  const endpoints = extraEndpoints(listeners, listenerPorts);
  const protocols = listeners.map(({ name, protocol }) => `,${name}:${protocol}`).join('');
  return `# Written by scripts/kafka/broker.mjs on every start; edit that file, not this one.
process.roles=broker,controller
node.id=1
# Static voters rather than --standalone: the voter endpoint is then not baked into the metadata log,
# so the data survives a start that had to pick a different controller port.
controller.quorum.voters=1@127.0.0.1:${controllerPort}
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}${endpoints}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}${endpoints}
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${protocols}
log.dirs=${data}

# One node: every internal topic must fit on it.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer internal partitions make the first consumer group and transaction noticeably faster to set up.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5

# After a kill -9 the restarted controller refuses the broker's re-registration until the old session
# expires (DUPLICATE_BROKER_REGISTRATION); with the 9 s default a crash test waits ~13 s per restart.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000

# Tests join groups constantly; the default 3s delay would be paid on every join.
group.initial.rebalance.delay.ms=0
# The collector must handle a missing topic itself, so the broker must not paper over it.
auto.create.topics.enable=false
num.partitions=3

# Sized for a 2-core development machine and short-lived data.
num.network.threads=2
num.io.threads=4
log.segment.bytes=16777216
log.retention.hours=24
log.retention.check.interval.ms=60000
${extra}`;
}

const LOG4J = `# Written by scripts/kafka/broker.mjs. Kafka 4 logs through log4j2; kafka.logs.dir is set on the JVM.
status = warn
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = \${sys:kafka.logs.dir}/server.log
appender.file.filePattern = \${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 10MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.request.name = kafka.request.logger
logger.request.level = WARN
`;

function heapOptions() {
  const custom = process.env.KAFKA_HEAP_OPTS?.trim();
  return custom ? custom.split(/\s+/) : ['-Xms256m', '-Xmx512m'];
}

function jvmArguments(p, extra) {
  return [
    ...heapOptions(),
    // The flags Kafka's own kafka-run-class.sh uses, so benchmarks see the GC behaviour of a real install.
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    // log4j2's own shutdown hook races Kafka's and silently drops the last seconds of a shutdown.
    '-Dlog4j2.shutdownHookEnabled=false',
    `-Dlog4j2.configurationFile=${p.log4j}`,
    `-Dkafka.logs.dir=${p.logs}`,
    ...(process.env.KAFKA_OPTS?.trim() ? process.env.KAFKA_OPTS.trim().split(/\s+/) : []),
    ...extra,
    '-cp',
    `${libsDir}/*`,
  ];
}

function formatStorage(java, p, extra, clusterId, log, scramUsers = []) {
  if (existsSync(join(p.data, 'meta.properties'))) return false;
  log(`formatting storage in ${p.data} (cluster id ${clusterId})`);
  const result = spawnSync(
    java,
    [
      ...jvmArguments(p, extra).filter((arg) => !arg.startsWith('-Xm')),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      p.properties,
      '--ignore-formatted',
      // SCRAM credentials go into the metadata log with the format, before the broker ever runs.
      ...scramUsers.flatMap(({ mechanism, name, password }) => [
        '--add-scram',
        `${mechanism}=[name=${name},password=${password}]`,
      ]),
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(
      `kafka.tools.StorageTool format failed (exit ${result.status}):\n${`${result.stdout}${result.stderr}`.trim()}`,
    );
  }
  return true;
}

async function waitUntilReady({ brokers, pid, child, p, timeoutMs }) {
  const { Kafka, logLevel } = await import('kafkajs');
  let exit;
  child?.once('exit', (code, signal) => {
    exit = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (exit || !isAlive(pid)) {
      const error = new Error(
        `Kafka exited during startup (${exit ?? 'process gone'}). Last output:\n${tail(p.out, 2500)}` +
          `\n--- ${p.serverLog} ---\n${tail(p.serverLog, 2500)}`,
      );
      error.bindFailure = /Address already in use|BindException/.test(tail(p.out) + tail(p.serverLog));
      throw error;
    }
    const admin = new Kafka({
      clientId: 'footfall-kafka-readiness',
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 5000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      // A broker appears in metadata only once it is unfenced, i.e. able to take topic creation.
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0) {
        await admin.listTopics();
        // Also wait for the group coordinator: on a fresh broker this creates __consumer_offsets, and
        // until it has loaded, kafkajs consumers "crash" on COORDINATOR_LOAD_IN_PROGRESS and restart.
        await admin.describeGroups(['footfall-readiness']);
        return;
      }
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(
    `Kafka did not become ready on ${brokers} within ${timeoutMs / 1000}s ` +
      `(last error: ${lastError?.message ?? 'none'}). Log tail:\n${tail(p.serverLog, 3000)}`,
  );
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

async function terminate(pid, propertiesPath, timeoutMs, log) {
  if (!isAlive(pid) || !isOurBroker(pid, propertiesPath)) return 'not-running';
  process.kill(pid, 'SIGTERM');
  if (await waitForExit(pid, timeoutMs)) return 'stopped';
  log(`broker ${pid} ignored SIGTERM for ${timeoutMs / 1000}s; sending SIGKILL`);
  process.kill(pid, 'SIGKILL');
  await waitForExit(pid, 10_000);
  return 'killed';
}

/**
 * What a directory's state file says, checked against the process table.
 * @param {{ dir?: string }} [options]
 */
export function brokerStatus({ dir = defaultDir } = {}) {
  const p = paths(resolve(dir));
  const state = readJson(p.state);
  if (!state) return { running: false, dir: p.dir };
  const running = isAlive(state.pid) && isOurBroker(state.pid, p.properties);
  return { ...state, running, dir: p.dir, serverLog: p.serverLog };
}

/**
 * Stops the broker recorded in `dir` (SIGTERM, then SIGKILL after the timeout) and removes its state file.
 * @param {{ dir?: string, timeoutMs?: number, log?: (line: string) => void }} [options]
 */
export async function stopBroker({ dir = defaultDir, timeoutMs = STOP_TIMEOUT_MS, log = stderrLog } = {}) {
  const p = paths(resolve(dir));
  const state = readJson(p.state);
  const outcome = state ? await terminate(state.pid, p.properties, timeoutMs, log) : 'not-running';
  rmSync(p.state, { force: true });
  return { outcome, pid: state?.pid };
}

async function choosePorts(p, requested, listeners = []) {
  const previous = readJson(p.instance) ?? {};
  const pick = async (wanted, remembered, avoid) => {
    if (wanted !== undefined) {
      if (!(await portIsFree(wanted))) throw new Error(`port ${wanted} on 127.0.0.1 is already in use`);
      return wanted;
    }
    if (remembered && remembered !== avoid && (await portIsFree(remembered))) return remembered;
    for (;;) {
      const port = await freePort();
      if (port !== avoid) return port;
    }
  };
  const port = await pick(requested.port, previous.port, undefined);
  const controllerPort = await pick(requested.controllerPort, previous.controllerPort, port);
  const taken = new Set([port, controllerPort]);
  const listenerPorts = {};
  for (const { name } of listeners) {
    let chosen = await pick(undefined, previous.listenerPorts?.[name], controllerPort);
    while (taken.has(chosen)) chosen = await pick(undefined, undefined, controllerPort);
    taken.add(chosen);
    listenerPorts[name] = chosen;
  }
  return { port, controllerPort, listenerPorts, clusterId: previous.clusterId ?? kafkaUuid() };
}

function launch(java, p, extra) {
  mkdirSync(p.logs, { recursive: true });
  const out = openSync(p.out, 'a');
  try {
    // Detached with its own process group: the broker must outlive `kafka.mjs start`, and a Ctrl-C in
    // the terminal that ran it must not take it down.
    const child = spawn(java, [...jvmArguments(p, extra), 'kafka.Kafka', p.properties], {
      cwd: p.dir,
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

/**
 * Resolves the jars if needed, writes the configuration, formats storage once, starts a broker and
 * waits until a client can use it.
 * @param {import('./broker.d.mts').StartOptions} [options]
 * @returns {Promise<import('./broker.d.mts').BrokerHandle>}
 */
export async function startBroker(options = {}) {
  const {
    dir = defaultDir,
    port,
    controllerPort,
    fresh = false,
    owner,
    jvmOptions = [],
    readyTimeoutMs = READY_TIMEOUT_MS,
    log = stderrLog,
    listeners = [],
    properties = () => '',
    scramUsers = [],
  } = options;
  const p = paths(resolve(dir));
  const started = Date.now();

  const current = brokerStatus({ dir: p.dir });
  if (current.running) {
    throw new Error(`a broker from ${p.dir} is already running (pid ${current.pid}, ${current.brokers})`);
  }
  rmSync(p.state, { force: true });

  const { java } = checkJava();
  const libs = await ensureLibs({ log });

  if (fresh) {
    rmSync(p.data, { recursive: true, force: true });
    rmSync(p.instance, { force: true });
  }
  mkdirSync(p.logs, { recursive: true });

  let attempt = 0;
  for (;;) {
    attempt += 1;
    const chosen = await choosePorts(p, { port, controllerPort }, listeners);
    writeJson(p.instance, chosen);
    const extra = properties(chosen.listenerPorts);
    writeFileSync(p.properties, serverProperties({ ...chosen, data: p.data, listeners, extra }));
    writeFileSync(p.log4j, LOG4J);
    const formatted = formatStorage(java, p, jvmOptions, chosen.clusterId, log, scramUsers);

    const brokers = `127.0.0.1:${chosen.port}`;
    const child = launch(java, p, jvmOptions);
    const state = {
      pid: child.pid,
      brokers,
      port: chosen.port,
      controllerPort: chosen.controllerPort,
      listeners: Object.fromEntries(
        Object.entries(chosen.listenerPorts).map(([name, listenerPort]) => [
          name,
          `127.0.0.1:${listenerPort}`,
        ]),
      ),
      kafkaVersion: libs.kafkaVersion,
      startedAt: new Date().toISOString(),
      ...(owner === undefined ? {} : { owner }),
    };
    // Written before readiness so `stop` (or a test teardown) can find a broker that never got ready.
    writeJson(p.state, state);
    try {
      await waitUntilReady({ brokers, pid: child.pid, child, p, timeoutMs: readyTimeoutMs });
    } catch (error) {
      await terminate(child.pid, p.properties, 5000, log);
      rmSync(p.state, { force: true });
      const portsWereOurs = port === undefined && controllerPort === undefined;
      if (error.bindFailure && portsWereOurs && attempt < BIND_RETRIES) {
        log('a port was taken between choosing and binding it; retrying with new ports');
        rmSync(p.instance, { force: true });
        continue;
      }
      throw error;
    }
    const readyMs = Date.now() - started;
    writeJson(p.state, { ...state, readyMs });
    log(
      `Kafka ${libs.kafkaVersion} ready on ${brokers} (pid ${child.pid}) in ${(readyMs / 1000).toFixed(1)}s` +
        `${libs.resolved ? ' including jar resolution' : ''}${formatted ? ' and first format' : ''}; logs in ${p.logs}`,
    );
    return makeHandle(p, java, jvmOptions, { ...state, readyMs }, readyTimeoutMs, log);
  }
}

function makeHandle(p, java, jvmOptions, state, readyTimeoutMs, log) {
  let pid = state.pid;
  return {
    brokers: state.brokers,
    port: state.port,
    controllerPort: state.controllerPort,
    listeners: state.listeners,
    dir: p.dir,
    kafkaVersion: state.kafkaVersion,
    readyMs: state.readyMs,
    get pid() {
      return pid;
    },
    async stop() {
      await terminate(pid, p.properties, STOP_TIMEOUT_MS, log);
      rmSync(p.state, { force: true });
    },
    kill(signal = 'SIGKILL') {
      if (isAlive(pid)) process.kill(pid, signal);
    },
    async restart() {
      // A test that sent SIGKILL expects the old process gone before the new one binds the same ports.
      if (isAlive(pid)) await terminate(pid, p.properties, STOP_TIMEOUT_MS, log);
      const started = Date.now();
      const child = launch(java, p, jvmOptions);
      pid = child.pid;
      writeJson(p.state, { ...state, pid, startedAt: new Date().toISOString() });
      try {
        await waitUntilReady({ brokers: state.brokers, pid, child, p, timeoutMs: readyTimeoutMs });
      } catch (error) {
        await terminate(pid, p.properties, 5000, log);
        rmSync(p.state, { force: true });
        throw error;
      }
      log(
        `Kafka restarted on ${state.brokers} (pid ${pid}) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
      );
    },
  };
}

/**
 * Removes test broker folders whose owning process is gone, killing their broker if it still runs.
 * Test runs that crash (or are killed) skip their teardown; without this each would leak a 512 MB JVM.
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function reapOrphans({ log = stderrLog } = {}) {
  let names;
  try {
    names = readdirSync(cacheRoot);
  } catch {
    return [];
  }
  const reaped = [];
  for (const name of names) {
    const match = /^test-(\d+)$/.exec(name);
    if (!match) continue;
    const p = paths(join(cacheRoot, name));
    const state = readJson(p.state);
    const owner = state?.owner ?? Number(match[1]);
    if (owner === process.pid || isAlive(owner)) continue;
    if (state && isAlive(state.pid) && isOurBroker(state.pid, p.properties)) {
      log(`stopping orphaned test broker ${state.pid} from ${p.dir} (its test run ${owner} is gone)`);
      await terminate(state.pid, p.properties, 5000, log);
    }
    rmSync(p.dir, { recursive: true, force: true });
    reaped.push(p.dir);
  }
  return reaped;
}
