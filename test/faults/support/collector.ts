/**
 * The real collector as a child process: the compiled CLI, started the way test/support/cli.ts's
 * startCli does, on a port fixed for the whole scenario so a restarted collector answers where the
 * killed one did (clients keep one address, as behind a load balancer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { CLI } from '../../support/cli.js';

export interface ConfigOptions {
  /** The data folder (dataDir): the journal, the spool, the file sink's folders. */
  readonly dataDir: string;
  readonly sink: 'file' | 'kafka';
  /** Kafka sink only. */
  readonly topic?: string;
  /** Extra keys of the sink, YAML flow-map entries starting with ', '. */
  readonly sinkExtra?: string;
  readonly discardDuplicates?: boolean;
  readonly shutdownTimeout?: string;
}

const SINK_NAME = { file: 'files', kafka: 'kafka' } as const;

/** Writes `footfall.yaml` into `dir`: both default sources into one sink; returns the file. */
export function writeConfig(dir: string, o: ConfigOptions): string {
  const sink =
    o.sink === 'file'
      ? `${SINK_NAME.file}: { type: file${o.sinkExtra ?? ''} }`
      : `${SINK_NAME.kafka}: { type: kafka, topic: ${o.topic ?? 'clickstream'}${o.sinkExtra ?? ''} }`;
  const file = path.join(dir, 'footfall.yaml');
  writeFileSync(
    file,
    [
      `dataDir: ${JSON.stringify(o.dataDir)}`,
      `server: { shutdownDelay: 0, shutdownTimeout: ${o.shutdownTimeout ?? '10s'} }`,
      'sources:',
      '  browser: { type: browser }',
      '  app: { type: json }',
      'sinks:',
      `  ${sink}`,
      'mappings:',
      `  clicks: { sources: [browser, app], sinks: [${SINK_NAME[o.sink]}], discardDuplicates: ${o.discardDuplicates ?? false} }`,
      '',
    ].join('\n'),
  );
  return file;
}

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CollectorProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written so far, stdout and stderr. */
  output(): string;
  /** The exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
  /** Resolves with the address once the collector logs that it listens; rejects if it exits first. */
  readonly listening: Promise<string>;
  hasExited(): boolean;
  kill(signal: NodeJS.Signals): void;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface StartOptions {
  readonly configFile: string;
  readonly cwd: string;
  /** 0 for any free port. */
  readonly port: number;
  readonly env?: Record<string, string>;
}

/** Spawns `footfall serve` and returns at once. */
export function spawnCollector(o: StartOptions): CollectorProcess {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', o.configFile], {
    cwd: o.cwd,
    env: {
      ...process.env,
      FOOTFALL_HOST: '127.0.0.1',
      FOOTFALL_PORT: String(o.port),
      FOOTFALL_ADMIN_PORT: '0',
      FOOTFALL_LOG_LEVEL: 'info',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('the collector could not be spawned');
  children.add(child);
  let output = '';
  let gone = false;
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      gone = true;
      children.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const listening = new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const match = /"msg":"footfall listening on (http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      check();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) =>
      reject(new Error(`the collector exited with ${code} before listening:\n${tail(output)}`)),
    );
  });
  // A caller that never awaits `listening` (a collector expected to refuse) must not see an
  // unhandled rejection.
  listening.catch(() => undefined);
  return {
    child,
    pid: child.pid,
    output: () => output,
    exited,
    listening,
    hasExited: () => gone,
    kill(signal) {
      if (!gone) child.kill(signal);
    },
  };
}

export function tail(text: string, chars = 4000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

/** Spawns the collector and waits until it listens (the journal may first wait out a stale lock). */
export async function startCollector(o: StartOptions, timeoutMs = 30_000): Promise<CollectorProcess> {
  const collector = spawnCollector(o);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      collector.listening,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`the collector did not listen within ${timeoutMs} ms:\n${tail(collector.output())}`),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    collector.kill('SIGKILL');
    await collector.exited;
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return collector;
}

/** SIGKILL, and wait until the process is gone (its port and files are free then). */
export async function killCollector(c: CollectorProcess): Promise<void> {
  c.kill('SIGKILL');
  await c.exited;
}

/**
 * SIGTERM and wait up to `timeoutMs` for the exit; a collector still running then is SIGKILLed.
 * Returns the exit code (or signal) and whether it had to be killed.
 */
export async function stopCollector(
  c: CollectorProcess,
  timeoutMs = 30_000,
): Promise<{ exit: number | string; forced: boolean }> {
  if (c.hasExited()) return { exit: await c.exited, forced: false };
  c.kill('SIGTERM');
  const timedOut = Symbol('timeout');
  let timer: NodeJS.Timeout | undefined;
  const first = await Promise.race([
    c.exited,
    new Promise<typeof timedOut>((resolve) => (timer = setTimeout(() => resolve(timedOut), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (first !== timedOut) return { exit: first, forced: false };
  c.kill('SIGKILL');
  return { exit: await c.exited, forced: true };
}

/** Every collector this worker started and that still runs: SIGKILL them and wait (afterAll). */
export async function killAllCollectors(): Promise<void> {
  const waits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}
