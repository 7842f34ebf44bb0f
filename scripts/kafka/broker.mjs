// A single-node KRaft Kafka broker assembled from Maven Central jars, for tests, benchmarks and local
// runs on machines without Docker. Plain ESM so it runs straight from a checkout, before any build.
// kafka.mjs is the command-line face of this module; TypeScript callers get types from broker.d.mts.
// The parts live beside it: toolchain.mjs (Java, the Maven-resolved jars), broker-config.mjs (the
// files and JVM arguments a broker is given) and broker-process.mjs (launching, readiness, signals).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { freePort, portIsFree } from '../lib/local-host.mjs';
import { formatStorage, LOG4J, paths, serverProperties } from './broker-config.mjs';
import {
  isAlive,
  isOurBroker,
  launch,
  readJson,
  terminate,
  waitUntilReady,
  writeJson,
} from './broker-process.mjs';
import { cacheRoot, checkJava, ensureLibs, stderrLog } from './toolchain.mjs';

export {
  cacheRoot,
  checkJava,
  ensureLibs,
  EXIT_TOOL_MISSING,
  installedKafkaVersion,
  libsDir,
  repoRoot,
  ToolMissingError,
} from './toolchain.mjs';
export { isAlive } from './broker-process.mjs';

/**
 * The folder `kafka.mjs` uses when no --dir is given.
 * @alias of cacheRoot
 */
export const defaultDir = cacheRoot;

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const BIND_RETRIES = 3;
/** Kafka's Uuid.toString(): 16 random bytes, URL-safe base64 without padding, never starting with '-'. */
function kafkaUuid() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
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
