/**
 * When what the spool wrote reaches the disk, as its fsync policy asks: `always` syncs after every
 * write, `interval` marks the active segment and the cursor dirty and syncs them once per interval,
 * `never` leaves it to the OS. The cursor file lives here too, since its writes follow the same policy.
 */
import { closeSync, fdatasyncSync, openSync } from 'node:fs';
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
}

export class JournalDurability {
  fsyncs = 0;
  /** Failed cursor writes and syncs. */
  writeErrors = 0;
  private dirty = false;
  private cursorDirty = false;
  private cursorFd: number | null = null;
  private fsyncTimer: NodeJS.Timeout | null = null;

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

  /** A file written in full (a sealed or prepended segment): synced unless the policy is `never`. */
  completed(fd: number): void {
    if (this.o.fsync !== 'never') this.datasync(fd);
  }

  /** A segment created or renamed: its folder entry synced unless the policy is `never`. */
  folderChanged(): void {
    if (this.o.fsync !== 'never') syncDir(this.o.dir);
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

  /** Stops the interval and syncs what is dirty, unless the policy is `never`. */
  stop(): void {
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    if (this.o.fsync !== 'never') this.syncDirty();
  }

  closeCursor(): void {
    if (this.cursorFd !== null) closeSync(this.cursorFd);
    this.cursorFd = null;
  }

  private syncDirty(): void {
    try {
      const active = this.o.activeFd();
      if (this.dirty && active !== null) this.datasync(active);
      this.dirty = false;
      if (this.cursorDirty && this.cursorFd !== null) this.datasync(this.cursorFd);
      this.cursorDirty = false;
    } catch (err) {
      this.writeErrors++;
      this.o.logger.warn({ sink: this.o.name, err: describe(err) }, 'spool fsync failed');
    }
  }

  private datasync(fd: number): void {
    fdatasyncSync(fd);
    this.fsyncs++;
  }
}
