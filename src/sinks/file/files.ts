/**
 * The file sink's file system steps: how its files are named, creating the open `.partial` file with
 * its Avro header, writing it fully, and moving a finished file into the publish folder (rename, or a
 * copy when the folders sit on different file systems) with the fsyncs that make that durable.
 */
import { access, copyFile, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeHeader, newSyncMarker } from './avro-container.js';
import { FileSinkIoError, type ResolvedFileSinkOptions } from './options.js';

export const PARTIAL_SUFFIX = '.avro.partial';
export const PUBLISHED_SUFFIX = '.avro';
/**
 * Partial files open in this process, across sink instances: the start-up scan takes files carrying
 * our own pid for leftovers of a crashed run, which a second instance sharing the folder must not do.
 */
export const livePartials = new Set<string>();

/** A new partial file holding only its header. */
export interface CreatedPartial {
  readonly base: string;
  readonly path: string;
  readonly handle: FileHandle;
  readonly sync: Buffer;
  readonly openedAt: number;
  readonly headerSize: number;
}

/** Creates the next partial file in the working folder and writes its header. */
export async function createPartial(
  o: ResolvedFileSinkOptions,
  nextSeq: () => number,
): Promise<CreatedPartial> {
  // The name is unique across processes (host, pid) and within one (seq); checking both folders
  // covers a restarted process that got the same pid within the same second (pid 1 in containers).
  for (let attempt = 0; attempt < 1000; attempt++) {
    const openedAt = o.now();
    const base = [
      'footfall',
      o.safeName,
      utcStamp(openedAt),
      o.safeHost,
      String(o.pid),
      String(nextSeq()).padStart(6, '0'),
    ].join('-');
    if (await exists(join(o.publishDir, base + PUBLISHED_SUFFIX))) continue;
    const path = join(o.workingDir, base + PARTIAL_SUFFIX);
    let handle: FileHandle;
    try {
      handle = await open(path, 'wx');
    } catch (err) {
      if (errorCode(err) === 'EEXIST') continue;
      throw new FileSinkIoError('cannot create', path, err);
    }
    const sync = newSyncMarker();
    const header = encodeHeader(o.schemaJson, o.codec, sync);
    try {
      await writeFully(handle, header, 0);
    } catch (err) {
      await handle.close().catch(ignore);
      await unlink(path).catch(ignore);
      throw new FileSinkIoError('cannot write', path, err);
    }
    return { base, path, handle, sync, openedAt, headerSize: header.length };
  }
  throw new FileSinkIoError('cannot find a free file name in', o.workingDir, new Error('1000 names taken'));
}

/** The regular expression matching this sink's partial files; groups: host, pid. */
export function partialFilePattern(safeName: string): RegExp {
  return new RegExp(
    `^footfall-${escapeRegExp(safeName)}-\\d{8}T\\d{6}Z-(.+)-(\\d+)-\\d+${escapeRegExp(PARTIAL_SUFFIX)}$`,
  );
}

/**
 * Moves a closed partial file to `target` in the publish folder; throws the fs error. The caller
 * fsyncs the publish folder afterwards.
 */
export async function moveToPublishDir(
  path: string,
  target: string,
  base: string,
  publishDir: string,
  fsync: boolean,
): Promise<void> {
  await makeDir(publishDir);
  try {
    await rename(path, target);
  } catch (err) {
    if (errorCode(err) !== 'EXDEV') throw err;
    await copyAcrossDevices(path, target, join(publishDir, `.${base}${PUBLISHED_SUFFIX}.tmp`), fsync);
  }
}

/** rename() cannot cross file systems; a hidden temporary name keeps the publish step atomic. */
async function copyAcrossDevices(path: string, target: string, tmp: string, fsync: boolean): Promise<void> {
  try {
    await copyFile(path, tmp);
    if (fsync) {
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(ignore);
    throw err;
  }
  // Should this fail, the file is published again later with the same name and content.
  await unlink(path);
}

export async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new FileSinkIoError('cannot create folder', dir, err);
  }
}

export async function writeFully(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await handle.write(buf, offset, buf.length - offset, position + offset);
    if (bytesWritten <= 0) throw new Error('short write');
    offset += bytesWritten;
  }
}

export async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems cannot open or fsync a folder; the rename has happened anyway.
  } finally {
    await handle?.close().catch(ignore);
  }
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function utcStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
  if (typeof code === 'string' && !code.startsWith('FOOTFALL_')) return code;
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

export function ignore(): void {}
