/**
 * Whether a process with this pid runs on this machine: how the sinks tell a folder left by a crashed
 * run from one a live writer still holds.
 */
export function processAlive(pid: number): boolean {
  // kill(0) and negative pids address process groups, never "the writer of this file".
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
