import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSink, type FileSinkOptions } from '../../../src/sinks/file/file-sink.js';
import { readInstanceId, writeInstanceId } from '../../../src/sinks/journal/identity.js';
import { waitFor } from '../../support/wait.js';
import {
  avscContainer,
  captureLogger,
  click,
  clicks,
  clickSchema,
  clickType,
  listFiles,
  readAvroFile,
  sinkRecord,
  tempDir,
  type Click,
} from './helpers.js';

const HOST = 'testhost';
const PID = 4242;
/** The instance id each test sink finds in its journal folder: the first sink's, then `…b`, `…c`. */
const INSTANCE = 'testinsta';
const NAME_PATTERN = /^footfall-clicks-\d{8}T\d{6}Z-testhost-testinstaa-\d{6}\.avro$/;

let tmp: { path: string; remove: () => Promise<void> };
let workingDir: string;
let publishDir: string;
const sinks: FileSink[] = [];

beforeEach(async () => {
  tmp = await tempDir();
  workingDir = join(tmp.path, 'data', 'working');
  publishDir = join(tmp.path, 'data', 'published');
});

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.shutdown(1000)));
  await tmp.remove();
});

const journalDirOf = (sinkIndex: number): string => join(tmp.path, 'journal', `clicks-${sinkIndex}`);

function fileSink(options: Partial<FileSinkOptions> = {}): FileSink {
  // Beside the data folder, so a test that breaks the working folder's path leaves the journal be.
  // A sink given an earlier sink's journal folder is that instance restarted: same id.
  const journalDir = options.journalDir ?? journalDirOf(sinks.length);
  mkdirSync(journalDir, { recursive: true });
  if (!readInstanceId(journalDir)) writeInstanceId(journalDir, `${INSTANCE}${'abcdefgh'[sinks.length]}`);
  const sink = new FileSink({
    name: 'clicks',
    schema: clickSchema,
    workingDir,
    publishDir,
    journalDir,
    hostname: HOST,
    pid: PID,
    ...options,
  });
  sinks.push(sink);
  return sink;
}

function offerAll(sink: FileSink, values: Click[]): void {
  for (const value of values) expect(sink.offer(sinkRecord(value))).toBe(true);
}

async function publishedRecords(): Promise<{ files: string[]; records: Click[] }> {
  const files = await listFiles(publishDir);
  const records: Click[] = [];
  for (const file of files) records.push(...(await readAvroFile(join(publishDir, file))).records);
  return { files, records };
}

describe('FileSink', () => {
  it('publishes at shutdown a file that plain avsc decodes to the same records in the same order', async () => {
    const sink = fileSink();
    expect(sink.health().ready).toBe(false);
    await sink.start();
    expect(sink.health()).toMatchObject({ ready: true });
    const values = clicks(0, 2500);
    offerAll(sink, values);
    await sink.shutdown(5000);

    const { files, records } = await publishedRecords();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(NAME_PATTERN);
    expect(records).toEqual(values);
    expect(await listFiles(workingDir)).toEqual([]);
    expect(sink.stats()).toMatchObject({
      offered: 2500,
      written: 2500,
      dropped: 0,
      failed: 0,
      queued: 0,
      filesPublished: 1,
    });
    expect(sink.health()).toMatchObject({ ready: false, detail: expect.stringMatching(/shut down/) });
  });

  it('writes into a .partial file in the working folder until the file is published', async () => {
    const sink = fileSink();
    await sink.start();
    offerAll(sink, clicks(0, 10));
    await sink.flush();
    const working = await listFiles(workingDir);
    expect(working).toHaveLength(1);
    expect(working[0]).toMatch(/^footfall-clicks-.*\.avro\.partial$/);
    expect(await listFiles(publishDir)).toEqual([]);
    // Already a readable container: a crash now would still leave usable data.
    expect((await readAvroFile(join(workingDir, working[0] as string))).records).toEqual(clicks(0, 10));
  });

  it('accepts an avsc Type as the schema', async () => {
    const sink = fileSink({ schema: clickType });
    await sink.start();
    offerAll(sink, clicks(0, 3));
    await sink.shutdown(5000);
    expect((await publishedRecords()).records).toEqual(clicks(0, 3));
  });

  it('rolls a file once it is older than rollEveryMs, by the injected clock', async () => {
    let clock = Date.UTC(2024, 0, 2, 3, 4, 5);
    const sink = fileSink({ now: () => clock, rollEveryMs: 60_000 });
    await sink.start();
    offerAll(sink, clicks(0, 3));
    await sink.flush();
    clock += 61_000;
    offerAll(sink, clicks(3, 3));
    await sink.flush();
    expect(await listFiles(publishDir)).toEqual([
      'footfall-clicks-20240102T030405Z-testhost-testinstaa-000000.avro',
    ]);
    await sink.shutdown(5000);

    const { files, records } = await publishedRecords();
    expect(files).toEqual([
      'footfall-clicks-20240102T030405Z-testhost-testinstaa-000000.avro',
      'footfall-clicks-20240102T030506Z-testhost-testinstaa-000001.avro',
    ]);
    expect(records).toEqual(clicks(0, 6));
  });

  it('publishes an idle file when its roll timer fires, without waiting for more records', async () => {
    const sink = fileSink({ rollEveryMs: 100 });
    await sink.start();
    offerAll(sink, clicks(0, 4));
    await sink.flush();
    await vi.waitFor(async () => expect(await listFiles(publishDir)).toHaveLength(1), { timeout: 3000 });
    expect((await publishedRecords()).records).toEqual(clicks(0, 4));
    expect(await listFiles(workingDir)).toEqual([]);
  });

  it('rolls on size into several files that together hold every record in order', async () => {
    const sink = fileSink({ rollSizeBytes: 600, flushEveryRecords: 5 });
    await sink.start();
    const values = clicks(0, 120);
    offerAll(sink, values);
    await sink.shutdown(5000);

    const { files, records } = await publishedRecords();
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expect(file).toMatch(NAME_PATTERN);
    expect(records).toEqual(values);
    expect(sink.stats().filesPublished).toBe(files.length);
  });

  it('never publishes an empty file', async () => {
    // Roll periods on a fake clock; file I/O stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const sink = fileSink({ rollEveryMs: 50 });
    try {
      await sink.start();
      await vi.advanceTimersByTimeAsync(120);
      expect(await listFiles(workingDir)).toEqual([]);
      // Nor once the roll timer has published the one file there was something for.
      offerAll(sink, clicks(0, 1));
      await sink.flush();
      await vi.advanceTimersByTimeAsync(50);
      await waitFor(async () => (await listFiles(workingDir)).length === 0, { interval: 1 });
      await vi.advanceTimersByTimeAsync(120);
    } finally {
      vi.useRealTimers();
    }
    await sink.shutdown(5000);
    expect(await listFiles(publishDir)).toHaveLength(1);
    expect((await publishedRecords()).records).toEqual(clicks(0, 1));
    expect(await listFiles(workingDir)).toEqual([]);
  });

  it('writes deflate blocks that plain avsc reads, in much less space', async () => {
    const values = clicks(0, 3000);
    const deflated = fileSink({ codec: 'deflate' });
    await deflated.start();
    offerAll(deflated, values);
    await deflated.shutdown(5000);
    const [file] = await listFiles(publishDir);
    const path = join(publishDir, file as string);
    const decoded = await readAvroFile(path);
    expect(decoded.codec).toBe('deflate');
    expect(decoded.records).toEqual(values);
    const raw = values.reduce((sum, v) => sum + clickType.toBuffer(v).length, 0);
    expect((await stat(path)).size).toBeLessThan(raw / 3);
  });

  it('creates missing folders, nested ones included', async () => {
    const sink = fileSink({
      workingDir: join(tmp.path, 'a', 'b', 'working'),
      publishDir: join(tmp.path, 'c', 'd', 'published'),
    });
    await sink.start();
    expect(sink.health().ready).toBe(true);
    offerAll(sink, clicks(0, 2));
    await sink.shutdown(5000);
    expect(await listFiles(join(tmp.path, 'c', 'd', 'published'))).toHaveLength(1);
  });

  it('refuses offers before start and after shutdown and counts them as dropped', async () => {
    const sink = fileSink();
    expect(sink.offer(sinkRecord(click(1)))).toBe(false);
    await sink.start();
    expect(sink.offer(sinkRecord(click(2)))).toBe(true);
    await sink.shutdown(5000);
    expect(sink.offer(sinkRecord(click(3)))).toBe(false);
    expect(sink.stats()).toMatchObject({ offered: 3, written: 1, dropped: 2 });
  });

  it('refuses records beyond its journal budget instead of growing without limit', async () => {
    const sink = fileSink({ journalMaxBytes: 400, flushEveryRecords: 1000, flushEveryMs: 60_000 });
    await sink.start();
    const taken = clicks(0, 15).map((v) => sink.offer(sinkRecord(v)));
    expect(sink.commit()).toBe(true);
    const kept = taken.filter(Boolean).length;
    expect(kept).toBeGreaterThan(2);
    expect(kept).toBeLessThan(15);
    expect(sink.stats()).toMatchObject({ queued: kept, dropped: 15 - kept });
    await sink.shutdown(5000);
    expect((await publishedRecords()).records).toEqual(clicks(0, kept));
  });

  it('shutdown is idempotent', async () => {
    const sink = fileSink();
    await sink.start();
    offerAll(sink, clicks(0, 5));
    const first = sink.shutdown(5000);
    expect(sink.shutdown(1)).toBe(first);
    await first;
    await sink.shutdown(5000);
    expect((await publishedRecords()).records).toEqual(clicks(0, 5));
  });

  it('rejects an invalid schema or codec when it is built, not when records arrive', () => {
    expect(() =>
      fileSink({ schema: { type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] } }),
    ).toThrow(/invalid Avro schema/);
    expect(() => fileSink({ codec: 'snappy' as 'null' })).toThrow(/codec/);
    expect(() => fileSink({ rollSizeBytes: 0 })).toThrow(/rollSizeBytes/);
  });
});

describe('FileSink when folders are unusable', () => {
  it('an unwritable working folder turns ready false and counts failures without throwing; nothing is lost once it works', async () => {
    // Tests run as root, where chmod does not stop writes: a regular file in the path does.
    const blocker = join(tmp.path, 'blocker');
    await writeFile(blocker, 'not a folder');
    workingDir = join(blocker, 'working');
    const { lines, logger } = captureLogger();
    const sink = fileSink({ logger, retryDelayMs: 20 });

    await expect(sink.start()).resolves.toBeUndefined();
    expect(sink.health()).toMatchObject({ ready: false, detail: expect.stringMatching(/ENOTDIR|EEXIST/) });
    offerAll(sink, clicks(0, 5));
    await sink.flush();
    await sink.flush();
    // A few background retries.
    await waitFor(() => sink.stats().ioErrors >= 3, { timeout: 3000 });
    // Still in the journal: not written, not lost.
    expect(sink.stats()).toMatchObject({ written: 0, queued: 5 });
    expect(sink.health()).toMatchObject({ ready: false, detail: expect.stringContaining(blocker) });
    // Retries do not flood the log: one error line for one problem.
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);

    await unlink(blocker);
    await vi.waitFor(() => expect(sink.stats().written).toBe(5), { timeout: 3000 });
    expect(sink.health()).toMatchObject({ ready: true });
    offerAll(sink, clicks(5, 5));
    await sink.shutdown(5000);
    expect((await publishedRecords()).records).toEqual(clicks(0, 10));
    expect(sink.stats()).toMatchObject({ written: 10, dropped: 0 });
  });

  it('becomes ready again on its own when the folder is fixed, even with no records to write', async () => {
    const blocker = join(tmp.path, 'blocker');
    await writeFile(blocker, 'x');
    workingDir = join(blocker, 'working');
    const sink = fileSink({ retryDelayMs: 20 });
    await sink.start();
    expect(sink.health().ready).toBe(false);
    await unlink(blocker);
    await vi.waitFor(() => expect(sink.health()).toMatchObject({ ready: true }), { timeout: 3000 });
  });

  it('a broken publish folder keeps files in the working folder, and the next start publishes them', async () => {
    const blocker = join(tmp.path, 'blocker');
    await writeFile(blocker, 'x');
    const goodPublishDir = publishDir;
    publishDir = join(blocker, 'published');
    const first = fileSink({ rollSizeBytes: 400, flushEveryRecords: 5 });
    await first.start();
    expect(first.health()).toMatchObject({ ready: false, detail: expect.stringMatching(/cannot publish/) });
    offerAll(first, clicks(0, 40));
    await first.shutdown(5000);
    // Records reached the disk even though nothing could be published.
    expect(first.stats()).toMatchObject({ written: 40, failed: 0, filesPublished: 0 });
    const leftovers = await listFiles(workingDir);
    expect(leftovers.length).toBeGreaterThan(1);

    publishDir = goodPublishDir;
    const second = fileSink({ journalDir: journalDirOf(0) });
    await second.start();
    expect(second.health()).toMatchObject({ ready: true });
    expect(second.stats().recoveredRecords).toBe(40);
    expect((await publishedRecords()).records).toEqual(clicks(0, 40));
    expect(await listFiles(workingDir)).toEqual([]);
  });
});

describe('FileSink recovery of partial files left by a crashed run', () => {
  /** A partial file name; `writer` is an instance id, or a pid for names from before instance ids. */
  const leftover = (host: string, writer: string | number, seq: number, sink = 'clicks') =>
    `footfall-${sink}-20200101T000000Z-${host}-${writer}-${String(seq).padStart(6, '0')}.avro.partial`;
  const MINE = `${INSTANCE}a`;

  it('cuts a torn partial file of this instance back to its last complete block and publishes it so avsc can read it', async () => {
    const values = clicks(0, 40);
    const { bytes, blocks } = await avscContainer(values, 64);
    expect(blocks.length).toBeGreaterThan(2);
    await mkdir(workingDir, { recursive: true });
    // Cut inside the last block's sync marker, as a crash mid-write would.
    const torn = join(workingDir, leftover(HOST, MINE, 0));
    await writeFile(torn, bytes.subarray(0, bytes.length - 5));
    // A name from before instance ids, by a process of this host that is no longer running (pid
    // 2^22 + 1 cannot exist on Linux): recognised by host and pid as before.
    const { bytes: other } = await avscContainer(clicks(100, 3), 1024);
    await writeFile(
      join(workingDir, leftover(HOST, 4_194_305, 1)),
      Buffer.concat([other, Buffer.from([2, 40, 1, 2, 3])]),
    );

    const { lines, logger } = captureLogger();
    const sink = fileSink({ logger });
    await sink.start();

    const keep = values.length - (blocks.at(-1) as number);
    const published = await listFiles(publishDir);
    expect(published).toEqual([
      'footfall-clicks-20200101T000000Z-testhost-4194305-000001.avro',
      `footfall-clicks-20200101T000000Z-testhost-${MINE}-000000.avro`,
    ]);
    expect((await readAvroFile(join(publishDir, published[1] as string))).records).toEqual(
      values.slice(0, keep),
    );
    expect((await readAvroFile(join(publishDir, published[0] as string))).records).toEqual(clicks(100, 3));
    expect(sink.stats().recoveredRecords).toBe(keep + 3);
    expect(await listFiles(workingDir)).toEqual([]);
    expect(lines.some((l) => l.level === 'warn' && /cut back/.test(l.msg))).toBe(true);
  });

  it("knows its own leftovers by instance id, whatever the host name, and leaves another replica's files alone when both are pid 1 on one host", async () => {
    await mkdir(workingDir, { recursive: true });
    const { bytes } = await avscContainer(clicks(0, 3), 1024);
    // A container restarted after a SIGKILL gets a new host name, but its journal folder (and id) stays.
    const mineElsewhere = leftover('oldcontainer', MINE, 0);
    // Another replica writing into the same shared folder, same host name, same pid 1, another id.
    const otherReplica = leftover(HOST, 'otherrepli', 1);
    await writeFile(join(workingDir, mineElsewhere), bytes);
    await writeFile(join(workingDir, otherReplica), bytes);

    const { lines, logger } = captureLogger();
    const sink = fileSink({ logger, pid: 1 });
    await sink.start();
    expect(await listFiles(publishDir)).toEqual([mineElsewhere.replace(/\.partial$/, '')]);
    expect(await listFiles(workingDir)).toEqual([otherReplica]);
    expect(await readFile(join(workingDir, otherReplica))).toEqual(bytes);
    expect(lines.some((l) => l.level === 'warn' && /another instance/.test(l.msg))).toBe(true);
    // And this run's own files carry the id, so the other replica's names never clash with them.
    offerAll(sink, clicks(10, 2));
    await sink.shutdown(5000);
    const names = await listFiles(publishDir);
    expect(names.filter((n) => n.includes(`-${HOST}-${MINE}-`))).toHaveLength(1);
  });

  it('does not take a file another sink instance of this process has open for a leftover', async () => {
    const first = fileSink();
    await first.start();
    offerAll(first, clicks(0, 3));
    await first.flush();
    const second = fileSink();
    await second.start();
    expect(await listFiles(publishDir)).toEqual([]);
    offerAll(first, clicks(3, 3));
    await first.shutdown(5000);
    await second.shutdown(5000);
    expect((await publishedRecords()).records).toEqual(clicks(0, 6));
  });

  it('deletes leftovers without a single record and leaves other sinks, hosts, running processes and non-Avro files alone', async () => {
    await mkdir(workingDir, { recursive: true });
    const { bytes } = await avscContainer(clicks(0, 3), 1024);
    const headerOnly = leftover(HOST, MINE, 0);
    // Names from before instance ids: another host's, and a running process's (this test runner).
    const otherHost = leftover('otherhost', PID, 1);
    const running = leftover(HOST, process.pid, 2);
    const otherSink = leftover(HOST, MINE, 3, 'views');
    const notAvro = leftover(HOST, MINE, 4);
    await writeFile(join(workingDir, headerOnly), bytes.subarray(0, 30));
    await writeFile(join(workingDir, otherHost), bytes);
    await writeFile(join(workingDir, running), bytes);
    await writeFile(join(workingDir, otherSink), bytes);
    await writeFile(join(workingDir, notAvro), 'hello, not avro');

    const sink = fileSink();
    await sink.start();
    expect(await listFiles(publishDir)).toEqual([]);
    expect(await listFiles(workingDir)).toEqual([notAvro, otherHost, running, otherSink].sort());
    expect(await readFile(join(workingDir, running))).toEqual(bytes);
    expect(sink.health()).toMatchObject({ ready: true });
  });
});
