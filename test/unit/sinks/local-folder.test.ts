import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalFolderTarget } from '../../../src/sinks/file/local-folder.js';
import { listFiles, tempDir } from './helpers.js';

// Two folders on different file systems need two mounts; instead rename fails with EXDEV on demand.
const fs = vi.hoisted(() => ({ crossDevice: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof actual.rename = async (from, to) => {
    if (fs.crossDevice && String(to).endsWith('.avro') && !String(from).endsWith('.tmp')) {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted, rename'), { code: 'EXDEV' });
    }
    return actual.rename(from, to);
  };
  return { ...actual, rename, default: { ...actual, rename } };
});

let tmp: { path: string; remove: () => Promise<void> };
let target: LocalFolderTarget;
let working: string;
let published: string;

beforeEach(async () => {
  tmp = await tempDir();
  fs.crossDevice = false;
  working = join(tmp.path, 'working');
  published = join(tmp.path, 'published');
  target = new LocalFolderTarget({ workingDir: working, publishDir: published, fsync: true });
  await target.prepareWorking();
});

afterEach(async () => {
  await tmp.remove();
});

async function written(base: string, ...chunks: string[]): Promise<void> {
  const file = await target.create(base, Buffer.from('header'));
  if (!file) throw new Error('the name should be free');
  for (const chunk of chunks) await file.append(Buffer.from(chunk));
  expect(file.size).toBe(6 + chunks.join('').length);
  await file.close();
}

describe('the local folder target', () => {
  it('writes a partial file in the working folder and publishes it by renaming', async () => {
    await written('a', 'one', 'two');
    expect(await listFiles(working)).toEqual(['a.avro.partial']);
    expect(await target.publish('a')).toBe(join(published, 'a.avro'));
    expect(await listFiles(working)).toEqual([]);
    expect(await readFile(join(published, 'a.avro'), 'utf8')).toBe('headeronetwo');
  });

  it('publishes across file systems by a copy under a hidden name, then a rename', async () => {
    fs.crossDevice = true;
    await written('b', 'data');
    await target.publish('b');
    expect(await listFiles(published)).toEqual(['b.avro']);
    expect(await listFiles(working)).toEqual([]);
    expect(await readFile(join(published, 'b.avro'), 'utf8')).toBe('headerdata');
  });

  it('refuses a name taken on either side, and lists only partial files, sorted', async () => {
    await written('c');
    await mkdir(published, { recursive: true });
    await writeFile(join(published, 'd.avro'), 'x');
    await writeFile(join(working, 'notes.txt'), 'x');
    expect(await target.create('c', Buffer.from('h'))).toBeNull();
    expect(await target.create('d', Buffer.from('h'))).toBeNull();
    await written('a');
    expect(await target.listPartials()).toEqual(['a.avro.partial', 'c.avro.partial']);
  });

  it('reopens a partial file to cut it back, and says when it is gone', async () => {
    await written('e', 'keepdrop');
    const file = await target.reopen('e');
    if (!file) throw new Error('the file is there');
    expect(file.size).toBe(14);
    const buffer = Buffer.alloc(4);
    expect(await file.read(buffer, 0, 4, 6)).toMatchObject({ bytesRead: 4 });
    expect(buffer.toString()).toBe('keep');
    await file.keep(10);
    await file.close();
    expect(await readFile(target.partialLocation('e'), 'utf8')).toBe('headerkeep');
    await target.remove('e');
    expect(await target.reopen('e')).toBeNull();
  });
});
