/**
 * Runs the compiled CLI as a child process, the way an operator does, and waits for it to listen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

export interface CliProcess {
  readonly child: ChildProcess;
  readonly address: string;
  /** Everything the process wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
}

// Collectors still running when a test file ends (a failed assertion before its kill) are stopped
// with the test worker, so no test leaves a process holding ports behind.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, FOOTFALL_HOST: '127.0.0.1', FOOTFALL_PORT: '0', FOOTFALL_ADMIN_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave a half-started collector behind: it would hold ports for later tests.
      child.kill('SIGKILL');
      reject(new Error(`CLI did not start in time:\n${output}`));
    }, 20_000);
    const check = (): void => {
      const match = /"msg":"footfall listening on (http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, address, output: () => output, exited };
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
