import { describe, expect, it } from 'vitest';
import {
  encodedSize,
  SEGMENT_HEADER_BYTES,
  writeRecord,
  type JournalRecord,
} from '../../../src/sinks/journal/format.js';
import { TailCache } from '../../../src/sinks/journal/tail-cache.js';

const record = (i: number): JournalRecord => ({
  key: i % 4 === 0 ? null : `party-${i}-ü`,
  value: Buffer.from(`value ${i} `.repeat(1 + (i % 3))),
  timestamp: 1_700_000_000_000 + i,
});

/** The bytes one commit of these records writes, as the journal lays them out. */
function commitBytes(records: readonly JournalRecord[]): { bytes: Buffer; sizes: number[] } {
  const sizes = records.map(encodedSize);
  const bytes = Buffer.alloc(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  records.forEach((r, i) => {
    writeRecord(r, bytes, at, sizes[i] as number);
    at += sizes[i] as number;
  });
  return { bytes, sizes };
}

const ids = (records: readonly JournalRecord[]): number[] =>
  records.map((r) => Number(r.value.toString().split(' ')[1]));

/** Three commits in segment 1, then one in segment 2; returns the cache and every record's position. */
function filled(maxBytes = 1 << 20) {
  const cache = new TailCache(maxBytes);
  const positions: { seq: number; start: number; end: number }[] = [];
  const commits = [
    { seq: 1, records: [0, 1, 2] },
    { seq: 1, records: [3] },
    { seq: 1, records: [4, 5, 6, 7] },
    { seq: 2, records: [8, 9] },
  ];
  let seq = 1;
  let at = SEGMENT_HEADER_BYTES;
  for (const commit of commits) {
    if (commit.seq !== seq) {
      seq = commit.seq;
      at = SEGMENT_HEADER_BYTES;
    }
    const { bytes, sizes } = commitBytes(commit.records.map(record));
    cache.push(bytes, seq, at);
    for (const size of sizes) {
      positions.push({ seq, start: at, end: at + size });
      at += size;
    }
  }
  return { cache, positions };
}

describe('the journal tail cache', () => {
  it('gives back the committed records intact, across commits and into the next segment', () => {
    const { cache, positions } = filled();
    const all = cache.readFrom(1, SEGMENT_HEADER_BYTES, 100, 1 << 20);
    expect(all?.records).toEqual(Array.from({ length: 10 }, (_, i) => record(i)));
    expect({ seq: all?.seq, end: all?.end }).toEqual({ seq: 2, end: positions[9]?.end });
  });

  it('starts in the middle of a commit and stops at the record or byte limit, always with one record', () => {
    const { cache, positions } = filled();
    const from = positions[1]!;
    const three = cache.readFrom(from.seq, from.start, 3, 1 << 20);
    expect(ids(three!.records)).toEqual([1, 2, 3]);
    expect(three!.end).toBe(positions[3]!.end);
    const budget = positions[3]!.end - positions[1]!.start - 1; // one byte short of three records
    expect(ids(cache.readFrom(from.seq, from.start, 100, budget)!.records)).toEqual([1, 2]);
    expect(ids(cache.readFrom(from.seq, from.start, 100, 1)!.records)).toEqual([1]);
  });

  it('has nothing for a position it does not hold: past the end, evicted, or not a record start of its own', () => {
    const { cache, positions } = filled(200);
    expect(cache.readFrom(2, positions[9]!.end, 10, 1 << 20)).toBeNull();
    // Only the newest commits fit in 200 bytes; the first ones are read from disk instead.
    expect(cache.readFrom(1, SEGMENT_HEADER_BYTES, 10, 1 << 20)).toBeNull();
    const kept = cache.readFrom(2, SEGMENT_HEADER_BYTES, 10, 1 << 20);
    expect(ids(kept!.records)).toEqual([8, 9]);
  });

  it('stops at a gap between commits instead of reading past it', () => {
    const cache = new TailCache(1 << 20);
    const first = commitBytes([record(0)]).bytes;
    const later = commitBytes([record(1)]).bytes;
    cache.push(first, 1, SEGMENT_HEADER_BYTES);
    cache.push(later, 1, SEGMENT_HEADER_BYTES + first.length + 10);
    expect(ids(cache.readFrom(1, SEGMENT_HEADER_BYTES, 10, 1 << 20)!.records)).toEqual([0]);
  });

  it('forgets acknowledged commits whole, and tells the timestamp of a record it holds', () => {
    const { cache, positions } = filled();
    expect(cache.timestampAt(1, positions[5]!.start)).toBe(record(5).timestamp);
    // Acknowledged to the middle of the third commit: it stays, the two before it go.
    cache.dropThrough(1, positions[5]!.end);
    expect(cache.readFrom(1, positions[3]!.start, 10, 1 << 20)).toBeNull();
    expect(ids(cache.readFrom(1, positions[6]!.start, 10, 1 << 20)!.records)).toEqual([6, 7, 8, 9]);
    cache.dropThrough(2, positions[9]!.end);
    expect(cache.readFrom(2, positions[8]!.start, 10, 1 << 20)).toBeNull();
    expect(cache.timestampAt(2, positions[8]!.start)).toBeUndefined();
  });
});
