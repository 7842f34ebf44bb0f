/**
 * The runner's --pin and the broker's CPU column rest on bench/cpus.mjs: taskset must really confine
 * a forked server (with its IPC channel still working), and the /proc reading must count a process's
 * CPU time. Linux only, like the benchmarks; skipped where taskset is not installed (util-linux).
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM module without type declarations
import * as cpusModule from '../../../bench/cpus.mjs';

const { forkPinned, pinning, processCpuUs } = cpusModule as {
  forkPinned: (cpuList: string, execArgv: string[]) => { execPath: string; execArgv: string[] };
  pinning: (serverCpu?: string) => { server: string; others: string };
  processCpuUs: (pid: number) => number | undefined;
};

const hasTaskset = !spawnSync('taskset', ['--version']).error;
const multiCore = cpus().length >= 2;
const dir = mkdtempSync(path.join(tmpdir(), 'footfall-cpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CPU time from /proc', () => {
  it('counts the CPU a process spends, and nothing for a process that is gone', () => {
    const before = processCpuUs(process.pid)!;
    // Spin until Node itself has counted 50 ms of CPU, however crowded the machine.
    const start = process.cpuUsage();
    let spent = 0;
    while (spent < 50_000) {
      const used = process.cpuUsage(start);
      spent = used.user + used.system;
    }
    const after = processCpuUs(process.pid)!;
    // /proc counts in 10 ms ticks.
    expect(after - before).toBeGreaterThanOrEqual(40_000);
    expect(processCpuUs(2 ** 22 + 1)).toBeUndefined();
  });
});

describe.skipIf(!hasTaskset || !multiCore)('pinning (needs taskset and two CPUs)', () => {
  it('puts the server on the last CPU and everything else on the rest', () => {
    const last = cpus().length - 1;
    expect(pinning()).toEqual({
      server: String(last),
      others: Array.from({ length: last }, (_, i) => i).join(','),
    });
    expect(pinning('0').server).toBe('0');
    expect(pinning('0').others.split(',')).not.toContain('0');
    expect(() => pinning(String(cpus().length))).toThrow(/CPUs 0-/);
  });

  it('starts a forked Node script on the CPU it is given, its IPC channel working', async () => {
    const script = path.join(dir, 'affinity.mjs');
    writeFileSync(
      script,
      "import { readFileSync } from 'node:fs';\n" +
        "process.send(/Cpus_allowed_list:\\s*(\\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);\n",
    );
    const child = fork(script, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...forkPinned('0', []),
    });
    const allowed = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
    });
    child.kill();
    expect(allowed).toBe('0');
  });
});
