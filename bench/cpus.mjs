// CPU placement and CPU time of processes the benchmark runner does not run itself.
//
// Pinning: on a 2-core machine the server, the load generator and the Kafka broker otherwise share
// both cores as the scheduler likes, and the server's CPU per event moves with what lands beside it.
// With `--pin` the server gets one core to itself and everything else the other(s), via taskset
// (util-linux).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * The CPU sets of a pinned run: `server` for the measured server, `others` (every other CPU) for
 * the runner with its load generator, and the broker. Throws with the fix when taskset is missing or
 * the machine has one CPU.
 */
export function pinning(serverCpu) {
  const all = cpus().map((_, i) => i);
  if (all.length < 2) throw new Error('--pin needs at least two CPUs: one for the server, one for the rest');
  const probe = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
  if (probe.error)
    throw new Error(
      `--pin needs taskset (${probe.error.message}); install util-linux (apt-get install util-linux)`,
    );
  const server = serverCpu === undefined ? all[all.length - 1] : Number(serverCpu);
  if (!all.includes(server))
    throw new Error(`--server-cpu ${serverCpu}: this machine has CPUs 0-${all.length - 1}`);
  return { server: String(server), others: all.filter((cpu) => cpu !== server).join(',') };
}

/** Moves every thread of a running process (a JVM has dozens) onto `cpuList`; new threads inherit it. */
export function pinProcess(pid, cpuList) {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(pid)], { stdio: 'ignore' });
}

/**
 * `fork()` options that start a Node script on `cpuList` from its first instruction: taskset runs
 * as the "node" executable and execs the real one, and the IPC channel passes through.
 */
export function forkPinned(cpuList, execArgv) {
  return { execPath: 'taskset', execArgv: ['--cpu-list', cpuList, process.execPath, ...execArgv] };
}

// Clock ticks per second of /proc/<pid>/stat's times; 100 on every Linux in use, asked once.
let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    const probe = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(probe.stdout) > 0 ? Number(probe.stdout) : 100;
  }
  return ticksPerSecond;
}

/**
 * User plus system CPU time of process `pid` (all its threads) in microseconds, from
 * /proc/<pid>/stat: 10 ms resolution, so a reading over a few seconds is good to a few percent.
 * undefined when the process is gone or /proc is missing.
 */
export function processCpuUs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: count fields after the last ')'. utime and
    // stime are fields 14 and 15, i.e. the 12th and 13th after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks();
  } catch {
    return undefined;
  }
}
