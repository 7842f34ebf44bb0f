/**
 * Containers of the image under test, run with podman the way an operator would: host networking
 * (so a container reaches the test's Kafka broker on 127.0.0.1 and binds its own free ports), a
 * read-only root file system, a host folder owned by the image's `node` user as /data. Every
 * container a test starts is removed by removeAll(), which each file calls in its afterAll.
 */
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { podman, podmanAsync } from '../../../scripts/container/image.mjs';
import { freePort } from '../../faults/support/collector.js';
import { waitFor } from '../../support/wait.js';

/** The image's `node` user, which owns /data. */
const NODE_UID = 1000;

export interface Container {
  readonly name: string;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  readonly port: number;
  readonly adminPort: number;
  /** The host folder mounted as /data. */
  readonly dataDir: string;
}

export interface RunOptions {
  readonly prefix: string;
  readonly env?: Record<string, string>;
  /** A config file on the host, mounted read-only as /etc/footfall/footfall.yaml. */
  readonly configFile?: string;
  /** Reuse a data folder (a replica that comes back); a fresh one when absent. */
  readonly dataDir?: string;
}

const started = new Set<string>();
const folders = new Set<string>();

export function image(): string {
  return inject('containerImage');
}

/** A folder for /data the container's user can write, removed by removeAll(). */
function dataFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `footfall-${prefix}-`));
  chownSync(dir, NODE_UID, NODE_UID);
  folders.add(dir);
  return dir;
}

export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `footfall-${prefix}-`));
  folders.add(dir);
  return dir;
}

export async function runContainer(o: RunOptions): Promise<Container> {
  const name = `footfall-test-${o.prefix}-${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const adminPort = await freePort();
  const dataDir = o.dataDir ?? dataFolder(o.prefix);
  const env = {
    FOOTFALL_HOST: '127.0.0.1',
    FOOTFALL_PORT: String(port),
    FOOTFALL_ADMIN_PORT: String(adminPort),
    ...(o.configFile ? { FOOTFALL_CONFIG: '/etc/footfall/footfall.yaml' } : {}),
    ...o.env,
  };
  started.add(name);
  await podmanAsync(
    [
      'run',
      '--detach',
      '--name',
      name,
      '--network',
      'host',
      '--read-only',
      // No systemd here to run the HEALTHCHECK on a timer; tests run it with `podman healthcheck run`.
      '--health-interval',
      'disable',
      '--volume',
      `${dataDir}:/data`,
      ...(o.configFile ? ['--volume', `${o.configFile}:/etc/footfall/footfall.yaml:ro`] : []),
      ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
      image(),
    ],
    { quiet: true },
  );
  const container = { name, base: `http://127.0.0.1:${port}`, port, adminPort, dataDir };
  await waitReady(container);
  return container;
}

/** Until /health/ready answers 200; fails with the container's log if it exits first. */
export async function waitReady(c: Container, timeout = 60_000): Promise<void> {
  await waitFor(
    async () => {
      if (state(c.name).status === 'exited') {
        throw new Error(`${c.name} exited ${state(c.name).exitCode}:\n${logs(c.name).slice(-3000)}`);
      }
      try {
        return (await fetch(`${c.base}/health/ready`)).status === 200;
      } catch {
        return false;
      }
    },
    { timeout, interval: 100, message: () => `${c.name} ready; its log:\n${logs(c.name).slice(-3000)}` },
  );
}

export function state(name: string): { status: string; exitCode: number; pid: number } {
  const [status, exitCode, pid] = podman([
    'inspect',
    '--format',
    '{{.State.Status}} {{.State.ExitCode}} {{.State.Pid}}',
    name,
  ])
    .trim()
    .split(' ');
  return { status: status ?? '', exitCode: Number(exitCode), pid: Number(pid) };
}

export function logs(name: string): string {
  return podman(['logs', name], { allowFailure: true });
}

/** `podman exec`; resolves with the exit code and output, whatever the exit code. */
export function exec(name: string, command: string[]): { code: number; output: string } {
  try {
    return { code: 0, output: podman(['exec', name, ...command]) };
  } catch (error) {
    const message = (error as Error).message;
    const code = Number(/exited (\d+)/.exec(message)?.[1] ?? -1);
    return { code, output: message };
  }
}

/** SIGTERM, then up to `timeout` seconds to drain (podman's SIGKILL after that would fail the test). */
export async function stopContainer(name: string, timeout = 40): Promise<number> {
  await podmanAsync(['stop', '--time', String(timeout), name], { quiet: true });
  return state(name).exitCode;
}

/** Peak resident memory (VmHWM) and CPU seconds used so far by the container's node process. */
export function usage(name: string): { peakRssBytes: number; cpuSeconds: number } {
  const pid = state(name).pid;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwmKb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the ") " split.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { peakRssBytes: hwmKb * 1024, cpuSeconds: ticks / 100 };
}

/** Removes every container this file started and every folder it made. */
export function removeAll(): void {
  for (const name of started) podman(['rm', '--force', '--time', '0', name], { allowFailure: true });
  started.clear();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders.clear();
}
