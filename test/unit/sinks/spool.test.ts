import { appendFileSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Spool, SpoolError, type SpoolOptions, type SpoolRecord } from '../../../src/sinks/spool/spool.js';
import {
  encodedSize,
  encodeRecord,
  parseRecords,
  SEGMENT_HEADER_BYTES,
} from '../../../src/sinks/spool/format.js';
import { captureLogger, tempDir } from './helpers.js';

let tmp: { path: string; remove: () => Promise<void> };
const open: Spool[] = [];

beforeEach(async () => {
  tmp = await tempDir();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((spool) => spool.close()));
  await tmp.remove();
});

async function spool(options: Partial<SpoolOptions> = {}): Promise<Spool> {
  const s = await Spool.open({
    dir: tmp.path,
    maxBytes: 64 * 1024 * 1024,
    segmentBytes: 16 * 1024 * 1024,
    fsync: 'never',
    fsyncIntervalMs: 1000,
    ...options,
  });
  open.push(s);
  return s;
}

async function reopen(previous: Spool, options: Partial<SpoolOptions> = {}): Promise<Spool> {
  await previous.close();
  return spool(options);
}

function record(n: number, party = `party-${n % 7}`): SpoolRecord {
  return {
    key: party,
    value: Buffer.from(`value-${n}-${'x'.repeat(n % 50)}`),
    timestamp: 1_700_000_000_000 + n,
  };
}

function numbers(records: readonly SpoolRecord[]): number[] {
  return records.map((r) => Number(/^value-(\d+)-/.exec(r.value.toString())?.[1]));
}

/** Reads and acknowledges everything readable, as the Kafka sink does, one batch at a time. */
async function drain(s: Spool, maxRecords = 100, maxBytes = 1 << 20): Promise<number[]> {
  const seen: number[] = [];
  for (;;) {
    const batch = await s.read(maxRecords, maxBytes);
    if (!batch) return seen;
    seen.push(...numbers(batch.records));
    await s.acknowledge(batch);
  }
}

function segmentFiles(): string[] {
  return readdirSync(tmp.path)
    .filter((name) => name.endsWith('.spool'))
    .sort();
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

describe('the spool record format', () => {
  it('round-trips keys, null keys, timestamps and binary values', () => {
    const records: SpoolRecord[] = [
      { key: 'ü-party', value: Buffer.from([0, 1, 2, 255]), timestamp: 1_700_000_000_123 },
      { key: null, value: Buffer.alloc(0), timestamp: 0 },
    ];
    const buf = Buffer.concat(records.map((r) => encodeRecord(r)));
    expect(buf.length).toBe(records.reduce((sum, r) => sum + encodedSize(r), 0));
    const parsed = parseRecords(buf, 0, buf.length);
    expect(parsed.stop).toBe('end');
    expect(parsed.records).toEqual(records);
  });

  it('tells a torn record from a complete one and a flipped bit from either', () => {
    const one = encodeRecord(record(1));
    const two = encodeRecord(record(2));
    const torn = Buffer.concat([one, two.subarray(0, two.length - 3)]);
    expect(parseRecords(torn, 0, torn.length)).toMatchObject({ stop: 'incomplete', next: one.length });
    const flipped = Buffer.concat([one, two]);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0x01;
    expect(parseRecords(flipped, 0, flipped.length)).toMatchObject({ stop: 'corrupt', next: one.length });
  });
});

describe('the disk spool', () => {
  it('gives records back in append order across segments and deletes a segment once acknowledged', async () => {
    const s = await spool({ segmentBytes: 1024 });
    for (const n of range(0, 300)) {
      expect(s.append(record(n))).toBe(true);
      // A segment is sealed after the write that takes it past its size, so write in small turns.
      if (n % 10 === 9) s.flush();
    }
    expect(segmentFiles().length).toBeGreaterThan(5);
    expect(s.stats()).toMatchObject({ records: 300, appended: 300 });

    expect(await drain(s, 17)).toEqual(range(0, 300));
    expect(s.isEmpty()).toBe(true);
    expect(s.stats()).toMatchObject({ records: 0, acknowledged: 300, segments: 0 });
    expect(segmentFiles()).toEqual([]);
  });

  it('writes appended records at the end of the event-loop turn, not one write per record', async () => {
    const s = await spool();
    for (const n of range(0, 50)) s.append(record(n));
    expect(segmentFiles()).toEqual([]);
    expect(s.hasReadable()).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(segmentFiles()).toHaveLength(1);
    expect(s.hasReadable()).toBe(true);
  });

  it('keeps records that are read but not acknowledged, and replays them after a restart', async () => {
    let s = await spool({ segmentBytes: 2048 });
    for (const n of range(0, 100)) s.append(record(n));
    s.flush();
    const first = await s.read(30, 1 << 20);
    await s.acknowledge(first!);
    await s.read(30, 1 << 20); // sent, never acknowledged: must come back
    s = await reopen(s, { segmentBytes: 2048 });
    expect(s.stats().recovered).toBe(70);
    expect(await drain(s)).toEqual(range(30, 70));
  });

  it('resumes after a restart from the acknowledged position inside a segment, without repeats', async () => {
    let s = await spool();
    for (const n of range(0, 40)) s.append(record(n));
    s.flush();
    await s.acknowledge((await s.read(25, 1 << 20))!);
    s = await reopen(s);
    for (const n of range(40, 10)) s.append(record(n));
    s.flush();
    expect(await drain(s)).toEqual(range(25, 25));
  });

  it('skips a torn last record left by a crash mid-write and keeps every record before it', async () => {
    const { logger, lines } = captureLogger();
    let s = await spool();
    for (const n of range(0, 20)) s.append(record(n));
    s.flush();
    await s.close();
    const [file] = segmentFiles();
    const path = join(tmp.path, file!);
    truncateSync(path, statSync(path).size - 5);

    s = await spool({ logger });
    expect(s.stats()).toMatchObject({ recovered: 19 });
    expect(s.stats().skippedBytes).toBeGreaterThan(0);
    expect(lines.some((line) => line.level === 'warn' && /torn or corrupt/.test(line.msg))).toBe(true);
    // New records go to a new segment, after the survivors.
    for (const n of range(100, 5)) s.append(record(n));
    s.flush();
    expect(await drain(s)).toEqual([...range(0, 19), ...range(100, 5)]);
  });

  it('finds every record at open when a record header straddles the boundary of a read', async () => {
    let s = await spool();
    // The start-up scan reads 1 MiB at a time: put the second record's header across that boundary.
    // Reads start after the segment header, so the second record's header starts 4 bytes before
    // the end of the first read.
    const first: SpoolRecord = { key: null, value: Buffer.alloc(1024 * 1024 - 24, 7), timestamp: 1 };
    expect(SEGMENT_HEADER_BYTES + encodedSize(first)).toBe(SEGMENT_HEADER_BYTES + 1024 * 1024 - 4);
    s.append(first);
    for (const n of range(1, 20)) s.append(record(n));
    s.flush();
    s = await reopen(s);
    expect(s.stats()).toMatchObject({ recovered: 21, skippedBytes: 0 });
    const batch = await s.read(1, 1);
    expect(batch?.records[0]?.value.length).toBe(first.value.length);
    await s.acknowledge(batch!);
    expect(await drain(s)).toEqual(range(1, 20));
  });

  it('skips a last record whose bytes were damaged, caught by its checksum', async () => {
    let s = await spool();
    for (const n of range(0, 10)) s.append(record(n));
    s.flush();
    await s.close();
    const path = join(tmp.path, segmentFiles()[0]!);
    const bytes = readFileSync(path);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 0xff;
    writeFileSync(path, bytes);
    s = await spool();
    expect(await drain(s)).toEqual(range(0, 9));
  });

  it('ignores a segment holding only a torn header and a half-written length', async () => {
    let s = await spool();
    s.append(record(1));
    s.flush();
    await s.close();
    const path = join(tmp.path, 'segment-0000000000000001.spool');
    writeFileSync(path, Buffer.from('FFSPOOL1'));
    appendFileSync(path, Buffer.from([7, 0]));
    s = await spool();
    expect(await drain(s)).toEqual([1]);
  });

  it('refuses appends past its byte budget, takes forced ones, and has room again once acknowledged', async () => {
    const size = encodedSize(record(1));
    const s = await spool({ maxBytes: SEGMENT_HEADER_BYTES + size * 10 + 5 });
    let taken = 0;
    for (let i = 0; i < 20; i++) if (s.append(record(1))) taken++;
    expect(taken).toBe(10);
    expect(s.isFull()).toBe(false);
    expect(s.append(record(1), true)).toBe(true);
    expect(s.isFull()).toBe(true);
    s.flush();
    await drain(s);
    expect(s.append(record(1))).toBe(true);
  });

  it('puts prepended records before everything spooled, also across a restart', async () => {
    let s = await spool();
    for (const n of range(10, 5)) s.append(record(n));
    s.flush();
    s.prepend(range(0, 10).map((n) => record(n)));
    for (const n of range(15, 5)) s.append(record(n));
    s.flush();
    s = await reopen(s);
    expect(await drain(s, 3)).toEqual(range(0, 20));
  });

  it('prepends into an empty spool and then appends after it', async () => {
    const s = await spool();
    s.prepend([record(0), record(1)]);
    s.append(record(2));
    s.flush();
    expect(await drain(s)).toEqual([0, 1, 2]);
  });

  it('limits a read by record count and by bytes, but always returns at least one record', async () => {
    const s = await spool();
    for (const n of range(0, 10)) s.append(record(n));
    s.flush();
    expect((await s.read(4, 1 << 20))?.records).toHaveLength(4);
    const size = encodedSize(record(4));
    const byBytes = await s.read(100, size * 2 + 1);
    expect(byBytes!.records.length).toBeLessThanOrEqual(2);
    expect((await s.read(100, 1))?.records).toHaveLength(1);
  });

  it('syncs after every write with fsync always, never with fsync never', async () => {
    const always = await spool({ fsync: 'always' });
    always.append(record(1));
    always.flush();
    always.append(record(2));
    always.flush();
    // Two writes, plus the cursor written at open.
    expect(always.stats().fsyncs).toBeGreaterThanOrEqual(2);
    await always.close();

    const never = await spool({ fsync: 'never' });
    never.append(record(3));
    never.flush();
    await never.close();
    expect(never.stats().fsyncs).toBe(0);
  });

  it('syncs once per interval with fsync interval, and only when something was written', async () => {
    // Only the interval's clock is fake: the end-of-turn writes (setImmediate) and file I/O stay real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const s = await spool({ fsync: 'interval', fsyncIntervalMs: 20 });
      vi.advanceTimersByTime(60);
      const idle = s.stats().fsyncs;
      s.append(record(1));
      s.flush();
      expect(s.stats().fsyncs).toBe(idle);
      vi.advanceTimersByTime(19);
      expect(s.stats().fsyncs).toBe(idle);
      vi.advanceTimersByTime(1);
      expect(s.stats().fsyncs).toBeGreaterThan(idle);
      const after = s.stats().fsyncs;
      vi.advanceTimersByTime(60);
      expect(s.stats().fsyncs).toBe(after);
      await s.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a folder locked by another live process', async () => {
    writeFileSync(join(tmp.path, 'spool.lock'), `${process.ppid}\n${(await import('node:os')).hostname()}\n`);
    await expect(spool()).rejects.toBeInstanceOf(SpoolError);
    await expect(spool()).rejects.toThrow(/in use by process/);
  });

  it('takes over the lock of a process that is gone', async () => {
    writeFileSync(join(tmp.path, 'spool.lock'), `999999999\n${(await import('node:os')).hostname()}\n`);
    const s = await spool();
    s.append(record(1));
    s.flush();
    expect(await drain(s)).toEqual([1]);
  });
});
