/**
 * When what the spool wrote reaches the disk, as its fsync policy asks: `always` syncs after every
 * write, `interval` marks the active segment and the cursor dirty and syncs them once per interval,
 * `never` leaves it to the OS. The cursor file lives here too, since its writes follow the same policy.
 *
 * With `interval` the syncs run on libuv's thread pool, never on the event loop: what they promise
 * (the disk within the interval) does not depend on when the answers leave, and a synchronous
 * fdatasync of the second's writes (12 MB at 14,000 events/s) held the loop for 9-10 ms on this
 * machine, once per second and again at every full segment: the collector's worst latency tail.
 * Each runs on a descriptor of its own, opened by path, so closing or retiring a segment meanwhile
 * never races a sync in flight (fdatasync flushes the file, whichever descriptor asks).
 */
import { close, closeSync, fdatasync, fdatasyncSync, open, openSync } from 'node:fs';
import { join } from 'node:path';
import type { SinkLogger } from '../sink-logger.js';
import { describe, syncDir, writeAll } from './fs.js';
import { CURSOR_BYTES, encodeCursor, type Cursor } from './format.js';
import type { FsyncPolicy } from './policy.js';

export const CURSOR_FILE = 'cursor';

export interface JournalDurabilityOptions {
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  readonly logger: SinkLogger;
  readonly name: string;
  /** The segment being appended to, if it is open: what a dirty sync covers. */
  readonly activeFd: () => number | null;
  /** Its path, for the `interval` policy's syncs in the background. */
  readonly activePath: () => string | null;
}

export class JournalDurability {
  fsyncs = 0;
  /** Failed cursor writes and syncs. */
  writeErrors = 0;
  private dirty = false;
  private cursorDirty = false;
  private cursorFd: number | null = null;
  private fsyncTimer: NodeJS.Timeout | null = null;
  /** Background syncs not finished yet; a tick finding one still running leaves its files dirty. */
  private inFlight = 0;

  constructor(private readonly o: JournalDurabilityOptions) {}

  /** With `interval`, syncs what is dirty once per `intervalMs`. */
  startInterval(intervalMs: number): void {
    if (this.o.fsync !== 'interval') return;
    this.fsyncTimer = setInterval(() => this.syncDirty(), intervalMs);
    this.fsyncTimer.unref();
  }

  /** After appending to the active segment: synced now with `always`, else marked dirty. */
  appended(fd: number): void {
    if (this.o.fsync === 'always') this.datasync(fd);
    else this.dirty = true;
  }

  /**
   * A file written in full (a sealed or prepended segment): synced unless the policy is `never`; with
   * `interval` in the background, by `path`.
   */
  completed(fd: number, path: string): void {
    if (this.o.fsync === 'interval') this.datasyncLater(path);
    else if (this.o.fsync === 'always') this.datasync(fd);
  }

  /** A segment created or renamed: its folder entry synced unless the policy is `never`. */
  folderChanged(): void {
    if (this.o.fsync === 'interval') this.datasyncLater(this.o.dir);
    else if (this.o.fsync === 'always') syncDir(this.o.dir);
  }

  writeCursor(cursor: Cursor | null): void {
    try {
      this.cursorFd ??= openSync(join(this.o.dir, CURSOR_FILE), 'w');
      const buf = cursor ? encodeCursor(cursor) : Buffer.alloc(CURSOR_BYTES);
      writeAll(this.cursorFd, buf, 0);
      if (this.o.fsync === 'always') this.datasync(this.cursorFd);
      else this.cursorDirty = true;
    } catch (err) {
      // Only costs duplicates after a restart; not worth failing the acknowledgement for.
      this.writeErrors++;
      this.o.logger.warn({ sink: this.o.name, err: describe(err) }, 'spool cannot write its cursor');
    }
  }

  /** Stops the interval and syncs what is dirty, unless the policy is `never`: here and now. */
  stop(): void {
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    if (this.o.fsync === 'never') return;
    try {
      const active = this.o.activeFd();
      if (this.dirty && active !== null) this.datasync(active);
      this.dirty = false;
      if (this.cursorDirty && this.cursorFd !== null) this.datasync(this.cursorFd);
      this.cursorDirty = false;
    } catch (err) {
      this.syncFailed(err);
    }
  }

  closeCursor(): void {
    if (this.cursorFd !== null) closeSync(this.cursorFd);
    this.cursorFd = null;
  }

  /** The interval's tick: what was written since the last one goes to the disk in the background. */
  private syncDirty(): void {
    if (this.inFlight > 0) return;
    const active = this.o.activePath();
    if (this.dirty && active !== null) this.datasyncLater(active);
    this.dirty = false;
    if (this.cursorDirty && this.cursorFd !== null) this.datasyncLater(join(this.o.dir, CURSOR_FILE));
    this.cursorDirty = false;
  }

  /**
   * fdatasync of the file (or folder: its entries) at `path` on the thread pool. A file gone
   * meanwhile (a segment retired, the folder removed and being rebuilt) needs no sync; any other
   * failure counts and is logged.
   */
  private datasyncLater(path: string): void {
    this.inFlight++;
    const done = (err: NodeJS.ErrnoException | null): void => {
      this.inFlight--;
      if (err && err.code !== 'ENOENT') this.syncFailed(err);
    };
    open(path, 'r', (openErr, fd) => {
      if (openErr) return done(openErr);
      fdatasync(fd, (syncErr) => {
        if (!syncErr) this.fsyncs++;
        close(fd, () => done(syncErr));
      });
    });
  }

  private syncFailed(err: unknown): void {
    this.writeErrors++;
    this.o.logger.warn({ sink: this.o.name, err: describe(err) }, 'spool fsync failed');
  }

  private datasync(fd: number): void {
    fdatasyncSync(fd);
    this.fsyncs++;
  }
}
