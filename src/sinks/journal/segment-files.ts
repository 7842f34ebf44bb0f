/**
 * The journal's files: its segment list, creating, sealing and retiring segments, quarantine, the
 * start-up scan of what an earlier run left, and the rebuild of files deleted while open. The journal
 * decides what to append, read and acknowledge; this decides where it lives on disk.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { SinkLogger } from '../sink-logger.js';
import { CURSOR_FILE, JournalDurability } from './durability.js';
import { describe, syncDir, tryUnlink, writeAll } from './fs.js';
import { decodeCursor, SEGMENT_HEADER_BYTES, SEGMENT_MAGIC, segmentName, segmentSeq } from './format.js';
import type { FsyncPolicy } from './policy.js';
import { readAt, scanSegment, type JournalSegment } from './segments.js';

const FIRST_SEQ = 1_000_000_000_000;
const QUARANTINE_DIR = 'quarantine';

export interface SegmentFilesOptions {
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  readonly logger: SinkLogger;
  readonly name: string;
}

export class SegmentFiles {
  /** Oldest first; only the last one may be active (appended to). */
  readonly list: JournalSegment[] = [];
  readonly durability: JournalDurability;
  /** Segment files on disk, in bytes, counted against the journal's budget. */
  diskBytes = 0;
  damagedBytes = 0;
  quarantined = 0;
  rebuilt = 0;
  private nextSeq = FIRST_SEQ;

  constructor(private readonly o: SegmentFilesOptions) {
    this.durability = new JournalDurability({
      dir: o.dir,
      fsync: o.fsync,
      logger: o.logger,
      name: o.name,
      activeFd: () => this.active()?.fd ?? null,
      activePath: () => this.active()?.path ?? null,
    });
  }

  get first(): JournalSegment | undefined {
    return this.list[0];
  }

  /** The sequence number the next new segment gets: where a reader with nothing left waits. */
  get upcomingSeq(): number {
    return this.nextSeq;
  }

  active(): JournalSegment | undefined {
    const last = this.list[this.list.length - 1];
    return last?.active ? last : undefined;
  }

  newSegment(): JournalSegment {
    const seq = this.nextSeq++;
    const path = join(this.o.dir, segmentName(seq));
    const fd = openSync(path, 'wx+');
    try {
      writeAll(fd, SEGMENT_MAGIC, 0);
    } catch (err) {
      closeSync(fd);
      tryUnlink(path);
      throw err;
    }
    this.durability.folderChanged();
    const seg: JournalSegment = {
      seq,
      path,
      fd,
      active: true,
      start: SEGMENT_HEADER_BYTES,
      end: SEGMENT_HEADER_BYTES,
      fileBytes: SEGMENT_HEADER_BYTES,
      damagedBytes: 0,
    };
    this.list.push(seg);
    this.diskBytes += SEGMENT_HEADER_BYTES;
    return seg;
  }

  /** No more appends to this segment; it is synced (unless `never`) and waits to be acknowledged. */
  seal(seg: JournalSegment): void {
    if (!seg.active) return;
    seg.active = false;
    try {
      this.durability.completed(seg.fd, seg.path);
    } catch (err) {
      this.o.logger.warn({ sink: this.o.name, err: describe(err) }, 'journal cannot sync a full segment');
    }
  }

  markDamaged(seg: JournalSegment, bytes: number): void {
    seg.damagedBytes += bytes;
    this.damagedBytes += bytes;
    this.o.logger.error(
      { sink: this.o.name, file: seg.path, damagedBytes: bytes },
      'journal segment holds damaged records; the records after them are delivered and the segment will be quarantined',
    );
  }

  /** Everything before `count` segments is done: cursor first, then the files go. */
  retireFirst(count: number): void {
    const head = this.list[count];
    // Cursor first, then delete: a crash in between delivers a finished segment again, never skips one.
    this.durability.writeCursor(head ? { seq: head.seq, offset: head.start } : null);
    for (const seg of this.list.splice(0, count)) this.retire(seg);
  }

  /** The acknowledged position as it stands, written to the cursor file. */
  writeCursor(): void {
    const head = this.list[0];
    this.durability.writeCursor(head ? { seq: head.seq, offset: head.start } : null);
  }

  /**
   * Takes stock of the segments an earlier run left, oldest first, each from its first record not
   * yet acknowledged (the cursor file) to its last valid one; returns how many records they hold.
   */
  recover(): number {
    let cursor = null;
    try {
      cursor = decodeCursor(readFileSync(join(this.o.dir, CURSOR_FILE)));
    } catch {
      // No cursor: nothing of what is there was acknowledged.
    }
    const found = readdirSync(this.o.dir)
      .map((name) => ({ name, seq: segmentSeq(name) }))
      .filter((entry): entry is { name: string; seq: number } => entry.seq !== null)
      .sort((a, b) => a.seq - b.seq);
    let records = 0;
    for (const { name, seq } of found) {
      const path = join(this.o.dir, name);
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
      // The cursor is written before finished segments are deleted, so older ones are leftovers.
      if (cursor && seq < cursor.seq) {
        tryUnlink(path);
        continue;
      }
      const fd = openSync(path, 'r+');
      const from = cursor?.seq === seq ? cursor.offset : SEGMENT_HEADER_BYTES;
      const scan = scanSegment(fd, from);
      if (!scan.ours) {
        closeSync(fd);
        this.o.logger.warn(
          { sink: this.o.name, file: path },
          'file in the journal folder is not a journal segment; left alone',
        );
        continue;
      }
      const seg: JournalSegment = {
        seq,
        path,
        fd,
        active: false,
        start: Math.min(Math.max(from, SEGMENT_HEADER_BYTES), scan.fileBytes),
        end: scan.end,
        fileBytes: scan.fileBytes,
        damagedBytes: 0,
      };
      this.diskBytes += seg.fileBytes;
      if (scan.damagedBytes > 0) this.markDamaged(seg, scan.damagedBytes);
      if (scan.records === 0 && seg.damagedBytes === 0) {
        this.retire(seg);
        continue;
      }
      this.list.push(seg);
      records += scan.records;
    }
    this.writeCursor();
    return records;
  }

  /**
   * A segment file whose last link is gone (the folder or the file was deleted) is written anew from
   * its open descriptor, so nothing it holds is lost. Returns null when nothing was missing, else the
   * problem that remains (null inside: rebuilt).
   */
  rebuildDeleted(): { problem: string | null } | null {
    const lost = this.list.filter((seg) => {
      try {
        return fstatSync(seg.fd).nlink === 0;
      } catch {
        return true;
      }
    });
    if (lost.length === 0) return null;
    this.o.logger.error(
      { sink: this.o.name, files: lost.length },
      'journal files deleted while in use; rebuilding from open files',
    );
    try {
      mkdirSync(this.o.dir, { recursive: true });
      for (const seg of lost) {
        const data = readAt(seg.fd, 0, seg.end);
        const fd = openSync(`${seg.path}.tmp`, 'w+');
        writeAll(fd, data, 0);
        renameSync(`${seg.path}.tmp`, seg.path);
        closeSync(seg.fd);
        seg.fd = fd;
        this.diskBytes -= seg.fileBytes - seg.end;
        seg.fileBytes = seg.end;
      }
      syncDir(this.o.dir);
      this.durability.closeCursor();
      this.writeCursor();
      this.rebuilt++;
      this.o.logger.warn({ sink: this.o.name, dir: this.o.dir }, 'journal files rebuilt; nothing was lost');
      return { problem: null };
    } catch (err) {
      this.o.logger.error(
        { sink: this.o.name, err: describe(err) },
        'journal cannot rebuild its files; retrying',
      );
      return { problem: `journal cannot rebuild ${this.o.dir}: ${describe(err)}` };
    }
  }

  /** At close: when nothing is left to deliver, no segment is left behind for the next start to scan. */
  retireIfDone(): void {
    if (this.list.every((seg) => seg.start >= seg.end)) {
      this.durability.writeCursor(null);
      for (const seg of this.list.splice(0)) this.retire(seg);
    }
  }

  /** Closes every file (they stay on disk). */
  closeAll(): void {
    for (const seg of this.list) {
      try {
        closeSync(seg.fd);
      } catch {
        // Already closed.
      }
    }
    this.durability.closeCursor();
  }

  /** A finished segment: deleted, or moved to quarantine/ when it held damage. */
  private retire(seg: JournalSegment): void {
    closeSync(seg.fd);
    this.diskBytes -= seg.fileBytes;
    if (seg.damagedBytes === 0) {
      tryUnlink(seg.path);
      return;
    }
    const folder = join(this.o.dir, QUARANTINE_DIR);
    try {
      mkdirSync(folder, { recursive: true });
      renameSync(seg.path, join(folder, `${seg.seq}-${Date.now()}.segment`));
      this.quarantined++;
      this.o.logger.warn({ sink: this.o.name, folder }, 'damaged journal segment quarantined');
    } catch (err) {
      this.o.logger.error(
        { sink: this.o.name, err: describe(err), file: seg.path },
        'cannot quarantine a damaged journal segment; it stays',
      );
    }
  }
}
