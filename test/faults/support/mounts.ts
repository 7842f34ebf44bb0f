/**
 * Real file-system faults, as root: a small tmpfs that fills up, a filler file that fills it and is
 * deleted to free it, and a read-only view of it.
 *
 * Read-only: `mount -o remount,ro` of the tmpfs itself is refused with EBUSY ("mount point is busy")
 * for as long as any process holds a file on it open for writing, which a running collector always
 * does (its open Avro file, its journal segment). What can be done is to lay a read-only bind mount
 * of the folder over itself: from then on every path-based write (create, open for writing, rename,
 * unlink, mkdir) fails with EROFS, exactly as on a read-only file system, while descriptors opened
 * before keep writing to the tmpfs underneath. Lifting the overlay makes the folder writable again.
 *
 * Every mount is recorded and unmounted by `unmountAll()` (afterAll), by a process exit hook, and by
 * the run's teardown, which also removes whatever still sits under the run's work folder.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

const FILLER = '.faults-filler';

/** Mount points of this machine, each as often as something is mounted on it (overlays stack). */
export function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split(' ')[4] ?? '')
    .map((point) =>
      point.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))),
    );
}

/** Whether something is mounted exactly on `dir`. */
function isMounted(dir: string): boolean {
  const target = resolve(dir);
  return mountPoints().includes(target);
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Unmounts everything stacked on `dir`: politely first, lazily (detached) when it is busy. */
function unmountAll(dir: string): void {
  const target = resolve(dir);
  for (let attempt = 0; attempt < 20 && isMounted(target); attempt++) {
    try {
      run('umount', [target]);
    } catch {
      try {
        run('umount', ['-l', target]);
      } catch {
        // Reported below if it is still there.
      }
    }
  }
  if (isMounted(target)) throw new Error(`could not unmount ${target}`);
}

const mounted = new Set<string>();
process.on('exit', () => {
  for (const dir of mounted) {
    try {
      unmountAll(dir);
    } catch {
      // Teardown of the run tries again.
    }
  }
});

export interface SmallDisk {
  readonly dir: string;
  readonly sizeBytes: number;
  /** Fills the file system with a filler file until it refuses another byte; returns its size. */
  fill(): number;
  /** Deletes the filler file. */
  free(): void;
  /** Bytes still available to an unprivileged writer. */
  available(): number;
  /** Lays a read-only bind mount of the folder over it (see the file comment). */
  readOnly(): void;
  /** Lifts the read-only overlay. */
  writable(): void;
  /** Unmounts overlay and tmpfs; safe to call twice. */
  unmount(): void;
}

/** Mounts a tmpfs of `sizeBytes` on `dir` (created when missing) tagged with `tag` as its source. */
export function mountTmpfs(dir: string, sizeBytes: number, tag: string): SmallDisk {
  const target = resolve(dir);
  mkdirSync(target, { recursive: true });
  if (process.getuid?.() !== 0) {
    throw new Error(`mounting a tmpfs needs root (uid ${process.getuid?.()}); run the fault suite as root`);
  }
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, tag, target]);
  mounted.add(target);
  let overlaid = false;
  const filler = join(target, FILLER);
  return {
    dir: target,
    sizeBytes,
    fill() {
      const fd = openSync(filler, 'a');
      let total = 0;
      try {
        for (const size of [1 << 20, 64 << 10, 4 << 10, 512, 1]) {
          const chunk = Buffer.alloc(size, 0x5a);
          for (;;) {
            try {
              const wrote = writeSync(fd, chunk);
              total += wrote;
              if (wrote < size) break;
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw err;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
      return total;
    },
    free() {
      unlinkSync(filler);
    },
    available() {
      const stats = statfsSync(target);
      return stats.bavail * stats.bsize;
    },
    readOnly() {
      if (overlaid) return;
      run('mount', ['--bind', target, target]);
      overlaid = true;
      run('mount', ['-o', 'remount,bind,ro', target]);
    },
    writable() {
      if (!overlaid) return;
      try {
        run('umount', [target]);
      } catch {
        // The collector holds something open through the overlay: detach it instead.
        run('umount', ['-l', target]);
      }
      overlaid = false;
    },
    unmount() {
      unmountAll(target);
      mounted.delete(target);
    },
  };
}

/** Unmounts every mount point under `root` (deepest first); returns the ones it found. */
export function unmountUnder(root: string): string[] {
  const prefix = `${resolve(root)}/`;
  const found = [...new Set(mountPoints().filter((point) => point.startsWith(prefix)))].sort(
    (a, b) => b.length - a.length,
  );
  for (const point of found) {
    try {
      unmountAll(point);
    } catch (err) {
      console.error(`faults: ${(err as Error).message}`);
    }
  }
  return found;
}

/** Unmounts every tmpfs this worker mounted and has not unmounted yet (afterAll). */
export function unmountRecorded(): void {
  for (const dir of [...mounted]) {
    try {
      unmountAll(dir);
      mounted.delete(dir);
    } catch (err) {
      console.error(`faults: ${(err as Error).message}`);
    }
  }
}
