/**
 * Reading journal segments that may be damaged: a record carries its own length and CRC-32, so after a
 * record that fails its check the reader looks for the next offset where a whole, valid record starts
 * and goes on from there. A false match would need a length that fits and a CRC-32 that matches by
 * chance (about one in four billion per offset tried), so what follows a flipped byte is delivered.
 */
import { fstatSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import {
  MAX_BODY_BYTES,
  parseRecords,
  RECORD_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  SEGMENT_MAGIC,
  type JournalRecord,
} from './format.js';

/** A segment file of the journal, open for as long as it holds records not yet acknowledged. */
export interface JournalSegment {
  readonly seq: number;
  path: string;
  /** Kept open until the segment is deleted: a folder deleted under us is rebuilt from these. */
  fd: number;
  /** Still appended to; sealed segments only shrink (acknowledgements) until they go. */
  active: boolean;
  /** Offset of the first record not yet acknowledged. */
  start: number;
  /** End of the written records. */
  end: number;
  /** Size on disk, counted against the budget even where it is unreadable. */
  fileBytes: number;
  /** Bytes found damaged in this segment: it is quarantined, never deleted, once acknowledged. */
  damagedBytes: number;
}

/** Reads `length` bytes at `position` (fewer at the end of the file). */
export function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const got = readSync(fd, buf, filled, length - filled, position + filled);
    if (got === 0) break;
    filled += got;
  }
  return filled === length ? buf : buf.subarray(0, filled);
}

/** Whether a whole, valid record starts at `at` in `buf[…, end)`. */
function validRecordAt(buf: Buffer, at: number, end: number): boolean {
  if (end - at < RECORD_HEADER_BYTES) return false;
  const length = buf.readUInt32LE(at);
  if (length < 12 || length > MAX_BODY_BYTES || at + RECORD_HEADER_BYTES + length > end) return false;
  const body = buf.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length);
  if (crc32(body) !== buf.readUInt32LE(at + 4)) return false;
  const keyLength = body.readInt32LE(8);
  return keyLength >= -1 && keyLength <= length - 12;
}

/** The next offset after `from` where a valid record starts, or -1. */
function resync(buf: Buffer, from: number, end: number): number {
  for (let at = from; at + RECORD_HEADER_BYTES <= end; at++) {
    if (validRecordAt(buf, at, end)) return at;
  }
  return -1;
}

export interface WalkResult {
  readonly records: JournalRecord[];
  /** Offsets just past each record in `records` (relative to the buffer). */
  readonly ends: number[];
  readonly count: number;
  /** Just past the last valid record. */
  readonly end: number;
  /** Bytes skipped between valid records (damage), not counting a torn tail. */
  readonly damagedBytes: number;
}

/**
 * Walks `buf[from, end)` record by record, stepping over damage. What follows the last valid record
 * and holds no valid record is a torn tail (a crash mid-write), not damage.
 */
export function walkRecords(
  buf: Buffer,
  from: number,
  end: number,
  options: { maxRecords?: number; maxBytes?: number; decode?: boolean } = {},
): WalkResult {
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const records: JournalRecord[] = [];
  const ends: number[] = [];
  let count = 0;
  let at = from;
  let damagedBytes = 0;
  while (at < end && count < maxRecords) {
    const parsed = parseRecords(buf, at, end, {
      maxRecords: maxRecords - count,
      maxBytes: count === 0 ? maxBytes : maxBytes - (at - from),
      countOnly: options.decode === false,
    });
    if (options.decode !== false) {
      let recordEnd = at;
      for (const record of parsed.records) {
        records.push(record);
        recordEnd += encodedLength(buf, recordEnd);
        ends.push(recordEnd);
      }
    }
    count += parsed.count;
    at = parsed.next;
    if (parsed.stop === 'end' || parsed.stop === 'limit') break;
    const next = resync(buf, at + 1, end);
    if (next === -1) break; // torn tail
    damagedBytes += next - at;
    at = next;
  }
  return { records, ends, count, end: at, damagedBytes };
}

function encodedLength(buf: Buffer, at: number): number {
  return RECORD_HEADER_BYTES + buf.readUInt32LE(at);
}

export interface SegmentScan {
  /** The file starts with the journal's magic. */
  readonly ours: boolean;
  readonly fileBytes: number;
  readonly end: number;
  readonly records: number;
  readonly damagedBytes: number;
}

/** Takes stock of a segment left by an earlier run, from `from` on (the acknowledged position). */
export function scanSegment(fd: number, from: number): SegmentScan {
  const fileBytes = fstatSync(fd).size;
  const magic = readAt(fd, 0, SEGMENT_HEADER_BYTES);
  if (!magic.equals(SEGMENT_MAGIC)) return { ours: false, fileBytes, end: 0, records: 0, damagedBytes: 0 };
  const start = Math.min(Math.max(from, SEGMENT_HEADER_BYTES), fileBytes);
  const data = readAt(fd, start, fileBytes - start);
  const walk = walkRecords(data, 0, data.length, { decode: false });
  return {
    ours: true,
    fileBytes,
    end: start + walk.end,
    records: walk.count,
    damagedBytes: walk.damagedBytes,
  };
}
