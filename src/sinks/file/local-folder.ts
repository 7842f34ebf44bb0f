/**
 * The file sink's files in local folders, as Divolte's local FileManager kept them: a partial file is
 * written in the working folder and published by renaming it into the publish folder (a copy under a
 * hidden name, then a rename, when the folders sit on different file systems), so the publish folder
 * only ever holds complete files. With fsync, the file is synced before the rename and the publish
 * folder after it, so a crash right after publishing never leaves a truncated published file.
 */
import {
  access,
  copyFile,
  mkdir,
  open,
  readdir,
  rename,
  unlink,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PARTIAL_SUFFIX, PUBLISHED_SUFFIX } from './names.js';
import { errorCode, FileSinkIoError, ignore } from './options.js';
import type { FileTarget, PartialFile, ReopenedPartial } from './target.js';

export interface LocalFolderOptions {
  readonly workingDir: string;
  readonly publishDir: string;
  /** fsync the file before publishing it and the publish folder after. */
  readonly fsync: boolean;
}

export class LocalFolderTarget implements FileTarget {
  readonly workingLocation: string;

  constructor(private readonly o: LocalFolderOptions) {
    this.workingLocation = o.workingDir;
  }

  prepareWorking(): Promise<void> {
    return makeDir(this.o.workingDir);
  }

  preparePublish(): Promise<void> {
    return makeDir(this.o.publishDir);
  }

  partialLocation(base: string): string {
    return join(this.o.workingDir, base + PARTIAL_SUFFIX);
  }

  async create(base: string, header: Buffer): Promise<PartialFile | null> {
    if (await exists(join(this.o.publishDir, base + PUBLISHED_SUFFIX))) return null;
    const path = this.partialLocation(base);
    let handle: FileHandle;
    try {
      // Read and write: a file deleted while open is copied back from this handle (relink).
      handle = await open(path, 'wx+');
    } catch (err) {
      if (errorCode(err) === 'EEXIST') return null;
      throw new FileSinkIoError('cannot create', path, err);
    }
    try {
      await writeFully(handle, header, 0);
    } catch (err) {
      await handle.close().catch(ignore);
      await unlink(path).catch(ignore);
      throw new FileSinkIoError('cannot write', path, err);
    }
    return new LocalPartialFile(base, path, handle, header.length, this.o.fsync);
  }

  async publish(base: string): Promise<string> {
    const target = join(this.o.publishDir, base + PUBLISHED_SUFFIX);
    try {
      await makeDir(this.o.publishDir);
      try {
        await rename(this.partialLocation(base), target);
      } catch (err) {
        if (errorCode(err) !== 'EXDEV') throw err;
        await this.copyAcrossDevices(base, target);
      }
    } catch (err) {
      throw new FileSinkIoError('cannot publish', target, err);
    }
    // Makes the rename itself durable; the file's content was synced before.
    if (this.o.fsync) await syncDir(this.o.publishDir);
    return target;
  }

  /** rename() cannot cross file systems; a hidden temporary name keeps the publish step atomic. */
  private async copyAcrossDevices(base: string, target: string): Promise<void> {
    const path = this.partialLocation(base);
    const tmp = join(this.o.publishDir, `.${base}${PUBLISHED_SUFFIX}.tmp`);
    try {
      await copyFile(path, tmp);
      if (this.o.fsync) {
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

  async listPartials(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.o.workingDir);
    } catch (err) {
      throw new FileSinkIoError('cannot read folder', this.o.workingDir, err);
    }
    return names.filter((name) => name.endsWith(PARTIAL_SUFFIX)).sort();
  }

  async reopen(base: string): Promise<ReopenedPartial | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.partialLocation(base), 'r+');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return null;
      throw err;
    }
    try {
      const { size } = await handle.stat();
      return new LocalReopenedPartial(handle, size, this.o.fsync);
    } catch (err) {
      await handle.close().catch(ignore);
      throw err;
    }
  }

  remove(base: string): Promise<void> {
    return unlink(this.partialLocation(base));
  }

  async probe(name: string): Promise<void> {
    const path = join(this.o.workingDir, name);
    try {
      await writeFile(path, Buffer.alloc(4096));
      await unlink(path);
    } catch (err) {
      await unlink(path).catch(ignore);
      throw err;
    }
  }
}

class LocalPartialFile implements PartialFile {
  constructor(
    readonly base: string,
    private readonly path: string,
    private handle: FileHandle,
    public size: number,
    private readonly fsync: boolean,
  ) {}

  async relink(): Promise<boolean> {
    let links: number;
    try {
      links = (await this.handle.stat()).nlink;
    } catch (err) {
      throw new FileSinkIoError('cannot check', this.path, err);
    }
    if (links > 0) return false;
    // The blocks already written are only in this open file now: copy them back under the name.
    const tmp = `${this.path}.relink`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      const data = Buffer.allocUnsafe(this.size);
      let filled = 0;
      while (filled < this.size) {
        const { bytesRead } = await this.handle.read(data, filled, this.size - filled, filled);
        if (bytesRead === 0) throw new Error('the open file is shorter than written');
        filled += bytesRead;
      }
      const fresh = await open(tmp, 'w+');
      try {
        await writeFully(fresh, data, 0);
        if (this.fsync) await fresh.sync();
        await rename(tmp, this.path);
      } catch (err) {
        await fresh.close().catch(ignore);
        throw err;
      }
      await this.handle.close().catch(ignore);
      this.handle = fresh;
      return true;
    } catch (err) {
      await unlink(tmp).catch(ignore);
      throw new FileSinkIoError('cannot restore', this.path, err);
    }
  }

  async append(bytes: Buffer): Promise<void> {
    try {
      await writeFully(this.handle, bytes, this.size);
    } catch (err) {
      throw new FileSinkIoError('cannot write', this.path, err);
    }
    this.size += bytes.length;
  }

  async close(): Promise<void> {
    try {
      if (this.fsync) await this.handle.sync();
      await this.handle.close();
    } catch (err) {
      await this.handle.close().catch(ignore);
      throw new FileSinkIoError('cannot sync', this.path, err);
    }
  }

  abandon(): Promise<void> {
    return this.handle.close().catch(ignore);
  }
}

class LocalReopenedPartial implements ReopenedPartial {
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly fsync: boolean,
  ) {}

  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    return this.handle.read(buffer, offset, length, position);
  }

  async keep(length: number): Promise<void> {
    if (length < this.size) await this.handle.truncate(length);
    if (this.fsync) await this.handle.sync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new FileSinkIoError('cannot create folder', dir, err);
  }
}

async function writeFully(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await handle.write(buf, offset, buf.length - offset, position + offset);
    if (bytesWritten <= 0) throw new Error('short write');
    offset += bytesWritten;
  }
}

async function syncDir(dir: string): Promise<void> {
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
