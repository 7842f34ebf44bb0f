/** Small file helpers of the journal, with the error wording its messages use. */
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';

/** Makes a new or renamed directory entry durable; some file systems cannot, which is fine. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (e.g. some network or Windows file systems).
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Writes all of `buf` at `position`; a write that makes no progress throws. */
export function writeAll(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = writeSync(fd, buf, done, buf.length - done, position + done);
    if (n <= 0) throw new Error('short write');
    done += n;
  }
}

export function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or it stays for the next start to clean up.
  }
}
