// The broker as a process: its state files, whether a pid is still a live broker of ours, launching
// it detached, waiting until a client can use it, and stopping it (SIGTERM, then SIGKILL). Separate
// from broker.mjs, which decides what to start and when, so the signalling and polling live in one
// place that start, stop, restart and the orphan reaper all share.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { tail } from '../lib/local-host.mjs';
import { jvmArguments } from './broker-config.mjs';

export function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeJson(path, value) {
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
export function isOurBroker(pid, propertiesPath) {
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

export async function waitUntilReady({ brokers, pid, child, p, timeoutMs }) {
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

export async function terminate(pid, propertiesPath, timeoutMs, log) {
  if (!isAlive(pid) || !isOurBroker(pid, propertiesPath)) return 'not-running';
  process.kill(pid, 'SIGTERM');
  if (await waitForExit(pid, timeoutMs)) return 'stopped';
  log(`broker ${pid} ignored SIGTERM for ${timeoutMs / 1000}s; sending SIGKILL`);
  process.kill(pid, 'SIGKILL');
  await waitForExit(pid, 10_000);
  return 'killed';
}

export function launch(java, p, extra) {
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
