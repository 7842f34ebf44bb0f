import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSink, type FileSinkOptions } from '../../../src/sinks/file/file-sink.js';
import { clicks, clickSchema, listFiles, readAvroFile, sinkRecord, tempDir, type Click } from './helpers.js';

// A real full disk needs a tiny mounted file system; instead the sink's file handles fail on demand,
// after writing half of the buffer, which is what a disk filling up mid-write looks like.
const disk = vi.hoisted(() => ({ failingWrites: 0 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (...args) => {
    const handle = await actual.open(...args);
    const write = handle.write.bind(handle) as (
      buf: Buffer,
      offset: number,
      length: number,
      position: number,
    ) => Promise<{ bytesWritten: number; buffer: Buffer }>;
    const faulty = async (buf: Buffer, offset: number, length: number, position: number) => {
      if (disk.failingWrites > 0) {
        disk.failingWrites--;
        await write(buf, offset, Math.floor(length / 2), position);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
          errno: -28,
          syscall: 'write',
        });
      }
      return write(buf, offset, length, position);
    };
    (handle as unknown as { write: unknown }).write = faulty;
    return handle as FileHandle;
  };
  return { ...actual, open, default: { ...actual, open } };
});

let tmp: { path: string; remove: () => Promise<void> };
let sink: FileSink | undefined;

beforeEach(async () => {
  tmp = await tempDir();
  disk.failingWrites = 0;
});

afterEach(async () => {
  await sink?.shutdown(1000);
  sink = undefined;
  await tmp.remove();
});

function fileSink(options: Partial<FileSinkOptions> = {}): FileSink {
  sink = new FileSink({
    name: 'clicks',
    schema: clickSchema,
    workingDir: join(tmp.path, 'working'),
    publishDir: join(tmp.path, 'published'),
    journalDir: join(tmp.path, 'journal'),
    hostname: 'h',
    pid: 1,
    retryDelayMs: 10_000, // retries in these tests come from explicit flushes only
    ...options,
  });
  return sink;
}

function offerAll(s: FileSink, values: Click[]): boolean[] {
  return values.map((v) => s.offer(sinkRecord(v)));
}

async function published(): Promise<Click[]> {
  const dir = join(tmp.path, 'published');
  const records: Click[] = [];
  for (const file of await listFiles(dir)) records.push(...(await readAvroFile(join(dir, file))).records);
  return records;
}

describe('FileSink on a full disk', () => {
  it('keeps the records of a failed write in its journal, reports not ready, and loses nothing once space returns', async () => {
    const s = fileSink();
    await s.start();
    offerAll(s, clicks(0, 5));
    await s.flush();

    disk.failingWrites = 1;
    offerAll(s, clicks(5, 5));
    await expect(s.flush()).resolves.toBeUndefined();
    expect(s.health()).toMatchObject({ ready: false, detail: expect.stringContaining('ENOSPC') });
    expect(s.stats()).toMatchObject({ written: 5, queued: 5, dropped: 0 });

    await s.flush();
    expect(s.health()).toMatchObject({ ready: true });
    expect(s.stats()).toMatchObject({ written: 10, queued: 0, dropped: 0 });
    // The file with the torn block was cut back and published as soon as writing worked again.
    expect(await published()).toEqual(clicks(0, 5));

    await s.shutdown(5000);
    expect(await published()).toEqual(clicks(0, 10));
    expect(await listFiles(join(tmp.path, 'working'))).toEqual([]);
  });

  it('refuses new records once its journal is full, and writes what it held when the disk recovers', async () => {
    const s = fileSink({ journalMaxBytes: 400, flushEveryRecords: 5 });
    await s.start();
    disk.failingWrites = Number.POSITIVE_INFINITY;
    const taken = offerAll(s, clicks(0, 15));
    const kept = taken.filter(Boolean).length;
    await s.flush();
    expect(kept).toBeGreaterThan(2);
    expect(kept).toBeLessThan(15);
    expect(s.stats()).toMatchObject({ offered: 15, written: 0, dropped: 15 - kept, queued: kept });
    expect(s.health().ready).toBe(false);

    disk.failingWrites = 0;
    await s.flush();
    await s.shutdown(5000);
    expect(await published()).toEqual(clicks(0, kept));
    expect(s.stats()).toMatchObject({ offered: 15, written: kept, dropped: 15 - kept, queued: 0 });
  });

  it('keeps what it could not write by the shutdown deadline in its journal for the next start, and never rejects', async () => {
    const s = fileSink();
    await s.start();
    disk.failingWrites = Number.POSITIVE_INFINITY;
    offerAll(s, clicks(0, 7));
    await expect(s.shutdown(200)).resolves.toBeUndefined();
    expect(s.stats()).toMatchObject({ offered: 7, written: 0, dropped: 0, queued: 7 });
    expect(await listFiles(join(tmp.path, 'published'))).toEqual([]);

    disk.failingWrites = 0;
    const next = fileSink();
    await next.start();
    await next.shutdown(5000);
    expect(await published()).toEqual(clicks(0, 7));
  });
});
