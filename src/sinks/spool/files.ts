/**
 * File chores of the spool that have nothing to do with its state: the folder lock, scanning a segment
 * left by an earlier run, creating and writing segment files, and the small fs helpers with their error
 * wrapping.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SinkLogger } from '../sink-logger.js';
import {
  decodeCursor,
  parseRecords,
  RECORD_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  SEGMENT_MAGIC,
  segmentSeq,
} from './format.js';
import { processAlive } from '../process-alive.js';

export class SpoolError extends Error {
  readonly code = 'FOOTFALL_ERR_SPOOL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpoolError';
  }
}

export const LOCK_FILE = 'spool.lock';

export interface Segment {
  readonly seq: number;
  readonly path: string;
  /** End of the written, valid records. */
  end: number;
  /** Size on disk, which counts toward the budget even where it is unreadable. */
  fileBytes: number;
  /** Valid records in [start, end). */
  records: number;
  /** Offset of the first record not yet acknowledged. */
  start: number;
  /** Open for appending: only the last segment, and only while it is not sealed. */
  fd: number | null;
}

/**
 * Takes stock of the segments an earlier run left, oldest first, each starting at its first record
 * not yet acknowledged (from the cursor file) and ending at its last valid record.
 */
export async function findSegments(
  dir: string,
  logger: SinkLogger,
  sink: string,
  cursorFile: string,
  firstSeq: number,
): Promise<{ segments: Segment[]; nextSeq: number; skippedBytes: number }> {
  let cursor = null;
  try {
    cursor = decodeCursor(readFileSync(join(dir, cursorFile)));
  } catch {
    // No cursor: nothing was acknowledged from what is there.
  }
  for (const name of readdirSync(dir)) {
    // A prepend interrupted by a crash: whatever it wrote completely is still worth replaying.
    if (name.endsWith('.spool.tmp')) renameSync(join(dir, name), join(dir, name.slice(0, -4)));
  }
  const found = readdirSync(dir)
    .map((name) => ({ name, seq: segmentSeq(name) }))
    .filter((entry): entry is { name: string; seq: number } => entry.seq !== null)
    .sort((a, b) => a.seq - b.seq);
  const segments: Segment[] = [];
  let nextSeq = firstSeq;
  let skippedBytes = 0;
  for (const { name, seq } of found) {
    const path = join(dir, name);
    nextSeq = Math.max(nextSeq, seq + 1);
    // The cursor is written before finished segments are deleted, so older ones are leftovers.
    if (cursor && seq < cursor.seq) {
      tryUnlink(path);
      continue;
    }
    const scan = await scanSegment(path, cursor?.seq === seq ? cursor.offset : SEGMENT_HEADER_BYTES);
    if (!scan.ours) {
      logger.warn({ sink, file: path }, 'file in the spool folder is not a spool segment; left alone');
      continue;
    }
    if (scan.end < scan.fileBytes) {
      skippedBytes += scan.fileBytes - scan.end;
      logger.warn(
        { sink, file: path, keptRecords: scan.records, skippedBytes: scan.fileBytes - scan.end },
        'spool segment ends in a torn or corrupt record; the records before it are kept',
      );
    }
    if (scan.records === 0) {
      tryUnlink(path);
      continue;
    }
    const { end, fileBytes, records, start } = scan;
    segments.push({ seq, path, end, fileBytes, records, start, fd: null });
  }
  return { segments, nextSeq, skippedBytes };
}

/**
 * Two processes appending to and deleting from one spool would lose records silently, so the folder
 * is locked by pid. A lock of a dead process, of our own pid (pid 1 in a restarted container) or of
 * another host (a shared volume moved) is taken over.
 */
export function takeLock(dir: string): string {
  const path = join(dir, LOCK_FILE);
  const me = `${process.pid}\n${hostname()}\n`;
  try {
    writeFileSync(path, me, { flag: 'wx' });
    return path;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SpoolError(`cannot lock the spool folder ${dir}: ${describe(err)}`, { cause: err });
    }
  }
  let owner = '';
  try {
    owner = readFileSync(path, 'utf8');
  } catch {
    // Unreadable or just removed: take it over.
  }
  const [pidText, host] = owner.split('\n');
  const pid = Number(pidText);
  if (host === hostname() && pid !== process.pid && processAlive(pid)) {
    throw new SpoolError(
      `the spool folder ${dir} is in use by process ${pid}; give each collector its own spool folder`,
    );
  }
  writeFileSync(path, me);
  return path;
}

export interface ScanResult {
  /** The file starts with the spool magic. */
  readonly ours: boolean;
  /** End of the last complete, valid record. */
  readonly end: number;
  readonly records: number;
  readonly fileBytes: number;
  /** Where reading starts: the given offset if records parse from there, else the first record. */
  readonly start: number;
}

const SCAN_CHUNK = 1024 * 1024;

/**
 * Walks a segment from `from` and finds where its valid records end. Everything after the first
 * record that is incomplete or fails its checksum is unreadable (a torn tail after a crash).
 */
export async function scanSegment(path: string, from = SEGMENT_HEADER_BYTES): Promise<ScanResult> {
  const handle = await open(path, 'r');
  try {
    const fileBytes = (await handle.stat()).size;
    const magic = Buffer.alloc(SEGMENT_HEADER_BYTES);
    const { bytesRead } = await handle.read(magic, 0, magic.length, 0);
    if (bytesRead < magic.length || !magic.equals(SEGMENT_MAGIC)) {
      return { ours: false, end: 0, records: 0, fileBytes, start: SEGMENT_HEADER_BYTES };
    }
    const walk = async (start: number): Promise<{ end: number; records: number; clean: boolean }> => {
      let at = start;
      let records = 0;
      let chunk = Buffer.alloc(SCAN_CHUNK);
      for (;;) {
        const want = Math.min(chunk.length, fileBytes - at);
        if (want <= 0) return { end: at, records, clean: true };
        const { bytesRead: got } = await handle.read(chunk, 0, want, at);
        const parsed = parseRecords(chunk, 0, got, { countOnly: true });
        records += parsed.count;
        at += parsed.next;
        if (parsed.stop === 'corrupt') return { end: at, records, clean: false };
        if (parsed.stop === 'incomplete') {
          // Without `needed` the chunk ended inside a record header, which may well go on in the file.
          const needed = parsed.needed ?? RECORD_HEADER_BYTES;
          if (at + needed > fileBytes) return { end: at, records, clean: false };
          if (needed > chunk.length) chunk = Buffer.alloc(needed);
        }
      }
    };
    if (from > SEGMENT_HEADER_BYTES && from <= fileBytes) {
      const fromCursor = await walk(from);
      // A cursor that does not land on a record boundary is not trusted: replaying the whole segment
      // repeats records, skipping would lose them.
      if (fromCursor.clean || fromCursor.records > 0)
        return { ours: true, ...fromCursor, fileBytes, start: from };
    }
    const whole = await walk(SEGMENT_HEADER_BYTES);
    return { ours: true, ...whole, fileBytes, start: SEGMENT_HEADER_BYTES };
  } finally {
    await handle.close();
  }
}

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

/** What writing a whole segment asks of the fsync policy; see SpoolDurability. */
export interface SegmentSync {
  completed(fd: number): void;
  folderChanged(): void;
}

/**
 * Writes a whole segment as `<path>.tmp` and renames it into place. A failed attempt closes and removes
 * the temporary file, then rethrows.
 */
export function writeWholeSegment(path: string, data: Buffer, sync: SegmentSync): void {
  const tmp = `${path}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    writeAll(fd, data, 0);
    sync.completed(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    sync.folderChanged();
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    tryUnlink(tmp);
    throw err;
  }
}

/** Creates a segment holding only the magic and returns it open for appending; removes it if that fails. */
export function createSegment(path: string): number {
  const fd = openSync(path, 'wx');
  try {
    writeAll(fd, SEGMENT_MAGIC, 0);
  } catch (err) {
    closeSync(fd);
    tryUnlink(path);
    throw err;
  }
  return fd;
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

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
