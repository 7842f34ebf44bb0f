import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Journal, type JournalOptions, type JournalRecord } from '../../../src/sinks/journal/journal.js';
import {
  INSTANCE_ID_FILE,
  INSTANCE_ID_PATTERN,
  readInstanceId,
} from '../../../src/sinks/journal/identity.js';
import { LOCK_FILE } from '../../../src/sinks/journal/lock.js';
import { waitFor } from '../../support/wait.js';

const folders: string[] = [];
const journals: Journal[] = [];

afterEach(() => {
  vi.useRealTimers();
  for (const journal of journals.splice(0)) journal.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-journal-'));
  folders.push(dir);
  return dir;
}

async function open(dir: string, options: Partial<JournalOptions> = {}): Promise<Journal> {
  const journal = await Journal.open({ dir, maxBytes: 64 * 1024 * 1024, ...options });
  journals.push(journal);
  return journal;
}

const record = (i: number): JournalRecord => ({
  key: i % 3 === 0 ? null : `party-${i % 7}`,
  value: Buffer.from(`value ${i} `.repeat(1 + (i % 5))),
  timestamp: 1_700_000_000_000 + i,
});

const ids = (records: readonly JournalRecord[]): string[] =>
  records.map((r) => r.value.toString().split(' ')[1] as string);

function readAll(journal: Journal, batch = 1000): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (let b = journal.read(batch, 1 << 20); b; b = journal.read(batch, 1 << 20)) {
    out.push(...b.records);
    journal.acknowledge(b);
  }
  return out;
}

/** What a SIGKILL leaves: the files as they are, without the lock's owner alive. */
function crashCopy(dir: string): string {
  const copy = tempDir();
  cpSync(dir, copy, { recursive: true });
  rmSync(path.join(copy, LOCK_FILE), { force: true });
  return copy;
}

describe('the journal', () => {
  it('hands committed records out in order, with keys, values and timestamps intact', async () => {
    const journal = await open(tempDir());
    const sent = Array.from({ length: 50 }, (_, i) => record(i));
    for (const r of sent) expect(journal.append(r)).toBe(true);
    expect(journal.hasReadable()).toBe(false);
    expect(journal.commit()).toBe(true);
    const got = readAll(journal, 7);
    expect(got).toEqual(sent);
    expect(journal.stats()).toMatchObject({ records: 0, committed: 50, acknowledged: 50, failed: 0 });
  });

  it('takes a turn far larger than its first slab, record for record', async () => {
    const dir = tempDir();
    const journal = await open(dir);
    const big = Array.from({ length: 300 }, (_, i) => ({
      key: `party-${i}`,
      value: Buffer.alloc(2000 + i, i % 251),
      timestamp: 1_700_000_000_000 + i,
    }));
    for (const r of big) expect(journal.append(r)).toBe(true);
    expect(journal.commit()).toBe(true);
    // Read back from the files, not from the memory cache.
    expect(readAll(await open(crashCopy(dir)), 64)).toEqual(big);
  });

  it('keeps every committed record that was not acknowledged across a crash, in order', async () => {
    const dir = tempDir();
    const journal = await open(dir, { segmentBytes: 2048, cacheBytes: 512 });
    for (let i = 0; i < 300; i++) {
      journal.append(record(i));
      if (i % 10 === 9) expect(journal.commit()).toBe(true);
    }
    // Deliver and acknowledge the first 120, then "crash".
    let delivered = 0;
    while (delivered < 120) {
      const batch = journal.read(120 - delivered, 1 << 20);
      if (!batch) break;
      journal.acknowledge(batch);
      delivered += batch.records.length;
    }
    expect(delivered).toBe(120);
    const reopened = await open(crashCopy(dir));
    expect(reopened.stats().recovered).toBe(180);
    expect(ids(readAll(reopened))).toEqual(ids(Array.from({ length: 180 }, (_, i) => record(i + 120))));
  });

  it('with fsync "interval", syncs in the background and takes commits while it does', async () => {
    const journal = await open(tempDir(), { fsync: 'interval', fsyncIntervalMs: 10, segmentBytes: 4096 });
    // Segments fill and are retired while syncs of them may still be in flight: a file gone by the
    // time its sync runs is no error.
    for (let turn = 0; turn < 40; turn++) {
      for (let i = 0; i < 20; i++) expect(journal.append(record(turn * 20 + i))).toBe(true);
      expect(journal.commit()).toBe(true);
      readAll(journal);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => journal.stats().fsyncs >= 5, { message: 'background fsyncs' });
    expect(journal.stats().writeErrors).toBe(0);
    expect(journal.stats().acknowledged).toBe(800);
  });

  it('reads the same records again after a rewind, never skipping the failed batch', async () => {
    const journal = await open(tempDir());
    for (let i = 0; i < 20; i++) journal.append(record(i));
    journal.commit();
    const first = journal.read(8, 1 << 20);
    expect(ids(first?.records ?? [])).toEqual(ids(Array.from({ length: 8 }, (_, i) => record(i))));
    journal.rewind();
    const again = journal.read(8, 1 << 20);
    expect(again?.records).toEqual(first?.records);
  });

  it('reads from disk what no longer fits in the memory cache', async () => {
    const journal = await open(tempDir(), { cacheBytes: 200, segmentBytes: 1500 });
    const sent = Array.from({ length: 100 }, (_, i) => record(i));
    for (const r of sent) journal.append(r);
    journal.commit();
    expect(readAll(journal, 9)).toEqual(sent);
    expect(journal.stats().segments).toBeLessThanOrEqual(1);
  });

  it('refuses appends past its byte budget, and takes them again once records are acknowledged', async () => {
    const journal = await open(tempDir(), { maxBytes: 2000 });
    let taken = 0;
    while (journal.append(record(taken))) taken++;
    expect(taken).toBeGreaterThan(5);
    expect(journal.commit()).toBe(true);
    expect(journal.append(record(0))).toBe(false);
    readAll(journal);
    expect(journal.append(record(0))).toBe(true);
  });

  it('steps over a damaged record, delivers the ones after it, and quarantines the segment', async () => {
    const dir = tempDir();
    const journal = await open(dir);
    const sent = Array.from({ length: 30 }, (_, i) => record(i));
    for (const r of sent) journal.append(r);
    journal.commit();
    const copy = crashCopy(dir);
    const segment = readdirSync(copy).find((name) => name.endsWith('.spool')) as string;
    const file = path.join(copy, segment);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);

    const reopened = await open(copy);
    const got = ids(readAll(reopened));
    const all = ids(sent);
    // One record is damaged; everything before and after it arrives.
    expect(got.length).toBe(29);
    expect(all.filter((id) => !got.includes(id))).toHaveLength(1);
    expect(got).toEqual(all.filter((id) => got.includes(id)));
    expect(reopened.stats().damagedBytes).toBeGreaterThan(0);
    expect(reopened.stats().quarantinedSegments).toBe(1);
    expect(readdirSync(path.join(copy, 'quarantine'))).toHaveLength(1);
  });

  it('rebuilds its folder from the open files when it is deleted while running', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const dir = tempDir();
    const journal = await open(dir);
    const sent = Array.from({ length: 40 }, (_, i) => record(i));
    for (const r of sent.slice(0, 20)) journal.append(r);
    journal.commit();
    rmSync(dir, { recursive: true, force: true });
    // Written after the deletion: still goes to the open (unlinked) file.
    for (const r of sent.slice(20)) journal.append(r);
    expect(journal.commit()).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(journal.stats().rebuilt).toBe(1);
    expect(existsSync(dir)).toBe(true);
    const copy = crashCopy(dir);
    const reopened = await open(copy);
    expect(readAll(reopened)).toEqual(sent);
    // The folder's identity came back with it: the restarted instance is the same one.
    expect(readInstanceId(dir)).toBe(journal.instanceId);
    expect(reopened.instanceId).toBe(journal.instanceId);
  });

  it('keeps its instance id in its folder: the same across restarts, another for another folder', async () => {
    const dir = tempDir();
    const first = await open(dir);
    expect(first.instanceId).toMatch(INSTANCE_ID_PATTERN);
    expect(readFileSync(path.join(dir, INSTANCE_ID_FILE), 'utf8').trim()).toBe(first.instanceId);
    const id = first.instanceId;
    first.close();
    const again = await open(dir);
    expect(again.instanceId).toBe(id);
    // The folder as a SIGKILL leaves it, opened on another host or container: still the same instance.
    const crashed = await open(crashCopy(dir));
    expect(crashed.instanceId).toBe(id);
    const other = await open(tempDir());
    expect(other.instanceId).not.toBe(id);
  });

  it('names the instance holding the folder to a second process it refuses', async () => {
    const dir = tempDir();
    const first = await open(dir);
    const lock = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { owner: string };
    expect(lock.owner).toBe(first.instanceId);
    // Another process with our host name: the lock's pid is the test runner's parent, alive.
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ ...lock, pid: process.ppid }));
    await expect(Journal.open({ dir, maxBytes: 1 << 20 })).rejects.toThrow(
      new RegExp(`in use by instance ${first.instanceId} \\(pid ${process.ppid}`),
    );
  });

  it('refuses a folder that a live process on this host holds', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ owner: 'other', pid: process.ppid, host: hostname() }),
    );
    await expect(Journal.open({ dir, maxBytes: 1 << 20 })).rejects.toThrow(/in use by instance other/);
  });

  it("reports a write that failed in its own end-of-turn commit at the caller's next commit", async () => {
    const journal = await open(tempDir());
    journal.append(record(0));
    expect(journal.commit()).toBe(true);
    // The disk fails under the journal (here: its open segment is closed behind its back).
    const files = (journal as unknown as { files: { list: { fd: number }[] } }).files;
    closeSync(files.list[0]!.fd);
    journal.append(record(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.stats().failed).toBe(1);
    // The caller's commit for that turn must not answer the event as stored.
    expect(journal.commit()).toBe(false);
    expect(journal.problem()).toMatch(/cannot write/);
  });
});
