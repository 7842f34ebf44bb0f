import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSink } from '../../../src/sinks/file/file-sink.js';
import { PARTIAL_SUFFIX } from '../../../src/sinks/file/names.js';
import type { FileTarget, PartialFile, ReopenedPartial } from '../../../src/sinks/file/target.js';
import {
  avscContainer,
  clicks,
  clickSchema,
  readAvroFile,
  sinkRecord,
  tempDir,
  type Click,
} from './helpers.js';

/**
 * A target that keeps files in memory, as an object store target would keep them remotely: if the
 * sink wrote, published or recovered anything without going through the target, these tests would
 * find it on disk or miss it here.
 */
class MemoryTarget implements FileTarget {
  readonly workingLocation = 'memory:working';
  readonly working = new Map<string, Buffer>();
  readonly published = new Map<string, Buffer>();

  async prepareWorking(): Promise<void> {}
  async preparePublish(): Promise<void> {}

  partialLocation(base: string): string {
    return `memory:working/${base}`;
  }

  async create(base: string, header: Buffer): Promise<PartialFile | null> {
    if (this.working.has(base) || this.published.has(base)) return null;
    this.working.set(base, header);
    const files = this.working;
    return {
      base,
      get size() {
        return (files.get(base) as Buffer).length;
      },
      append: async (bytes) => {
        files.set(base, Buffer.concat([files.get(base) as Buffer, bytes]));
      },
      close: async () => {},
      abandon: async () => {},
    };
  }

  async publish(base: string): Promise<string> {
    this.published.set(base, this.working.get(base) as Buffer);
    this.working.delete(base);
    return `memory:published/${base}`;
  }

  async listPartials(): Promise<string[]> {
    return [...this.working.keys()].map((base) => base + PARTIAL_SUFFIX).sort();
  }

  async reopen(base: string): Promise<ReopenedPartial | null> {
    const files = this.working;
    if (!files.has(base)) return null;
    const bytes = files.get(base) as Buffer;
    return {
      size: bytes.length,
      read: async (buffer, offset, length, position) => ({
        bytesRead: bytes.copy(buffer, offset, position, Math.min(bytes.length, position + length)),
      }),
      keep: async (length) => {
        files.set(base, bytes.subarray(0, length));
      },
      close: async () => {},
    };
  }

  async remove(base: string): Promise<void> {
    this.working.delete(base);
  }

  async probe(): Promise<void> {}
}

let tmp: { path: string; remove: () => Promise<void> };
let sink: FileSink | undefined;

beforeEach(async () => {
  tmp = await tempDir();
});

afterEach(async () => {
  await sink?.shutdown(1000);
  sink = undefined;
  await tmp.remove();
});

function fileSink(target: FileTarget): FileSink {
  sink = new FileSink({
    name: 'clicks',
    schema: clickSchema,
    workingDir: join(tmp.path, 'working'),
    publishDir: join(tmp.path, 'published'),
    hostname: 'h',
    pid: 7,
    target,
  });
  return sink;
}

/** Whether the sink's local folders exist: it was given them, but must not use them. */
function localFolders(): boolean[] {
  return [existsSync(join(tmp.path, 'working')), existsSync(join(tmp.path, 'published'))];
}

async function recordsOf(bytes: Buffer): Promise<Click[]> {
  const file = join(tmp.path, `${Math.random().toString(36).slice(2)}.avro`);
  await writeFile(file, bytes);
  return (await readAvroFile(file)).records;
}

describe('the file sink through a FileTarget', () => {
  it('writes and publishes every file through the target and touches no local folder', async () => {
    const target = new MemoryTarget();
    const s = fileSink(target);
    await s.start();
    for (const value of clicks(0, 30)) expect(s.offer(sinkRecord(value))).toBe(true);
    await s.flush();
    expect([...target.working.keys()]).toEqual([
      expect.stringMatching(/^footfall-clicks-\d{8}T\d{6}Z-h-[a-z2-7]{10}-000000$/),
    ]);
    await s.shutdown(5000);

    expect(target.working.size).toBe(0);
    const published = [...target.published.values()];
    expect(published).toHaveLength(1);
    expect(await recordsOf(published[0] as Buffer)).toEqual(clicks(0, 30));
    expect(localFolders()).toEqual([false, false]);
  });

  it("recovers a crashed run's torn partial file through the target", async () => {
    const target = new MemoryTarget();
    const values = clicks(0, 40);
    const { bytes, blocks } = await avscContainer(values, 64);
    const base = 'footfall-clicks-20200101T000000Z-h-7-000000';
    target.working.set(base, bytes.subarray(0, bytes.length - 5));

    const s = fileSink(target);
    await s.start();

    const keep = values.length - (blocks.at(-1) as number);
    expect(target.working.size).toBe(0);
    expect(await recordsOf(target.published.get(base) as Buffer)).toEqual(values.slice(0, keep));
    expect(s.stats().recoveredRecords).toBe(keep);
    expect(localFolders()).toEqual([false, false]);
  });
});
