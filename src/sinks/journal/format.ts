/**
 * The bytes of the journal, kept apart from the file handling so both can be tested on their own.
 *
 * A segment file is an 8-byte magic (`FFSPOOL1`, which also versions the layout: the journal keeps the
 * Kafka spool's format, so a spool left by an older version is read and delivered) followed by records:
 *
 *   u32 LE body length | u32 LE CRC-32 of the body | body
 *   body = f64 LE timestamp | i32 LE key length (-1 for no key) | key (UTF-8) | value
 *
 * The length comes first so a reader can step from record to record; the checksum is what tells a
 * complete record from one torn by a crash mid-write (or a length field that was itself torn), since a
 * torn tail can look like anything.
 */
import { crc32 } from 'node:zlib';

export const SEGMENT_MAGIC = Buffer.from('FFSPOOL1', 'latin1');
export const SEGMENT_HEADER_BYTES = SEGMENT_MAGIC.length;
export const RECORD_HEADER_BYTES = 8;
const BODY_FIXED_BYTES = 12;
/** A length above this is taken for garbage: no record the collector writes comes near it. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** What the journal keeps of a record: the value as the sink will store it, key and timestamp. */
export interface JournalRecord {
  readonly key: string | null;
  readonly value: Buffer;
  readonly timestamp: number;
}

/** Bytes one record takes in a segment, headers included. */
export function encodedSize(record: JournalRecord): number {
  const keyBytes = record.key === null ? 0 : Buffer.byteLength(record.key, 'utf8');
  return RECORD_HEADER_BYTES + BODY_FIXED_BYTES + keyBytes + record.value.length;
}

/** Writes one record of `size` (= `encodedSize(record)`) bytes into `buf` at `start`. */
export function writeRecord(record: JournalRecord, buf: Buffer, start: number, size: number): void {
  const body = start + RECORD_HEADER_BYTES;
  buf.writeDoubleLE(record.timestamp, body);
  let at = body + BODY_FIXED_BYTES;
  if (record.key === null) {
    buf.writeInt32LE(-1, body + 8);
  } else {
    const written = buf.write(record.key, at, 'utf8');
    buf.writeInt32LE(written, body + 8);
    at += written;
  }
  record.value.copy(buf, at);
  buf.writeUInt32LE(size - RECORD_HEADER_BYTES, start);
  buf.writeUInt32LE(crc32(buf.subarray(body, start + size)), start + 4);
}

/**
 * The record of `size` bytes (headers included) at `at`, laid out as writeRecord writes it; its key
 * length must already be known to fit. The value shares `buf`'s memory.
 */
export function readRecord(buf: Buffer, at: number, size: number): JournalRecord {
  const body = at + RECORD_HEADER_BYTES;
  const keyLength = buf.readInt32LE(body + 8);
  const keyStart = body + BODY_FIXED_BYTES;
  const keyEnd = keyStart + Math.max(0, keyLength);
  return {
    timestamp: buf.readDoubleLE(body),
    key: keyLength < 0 ? null : buf.toString('utf8', keyStart, keyEnd),
    value: buf.subarray(keyEnd, at + size),
  };
}

type ParseStop =
  /** The buffer ends inside a record: read more, or at the end of a file it is a torn tail. */
  | 'incomplete'
  /** A length field that cannot be right, or a checksum that does not match. */
  | 'corrupt'
  /** A limit (records or bytes) was reached. */
  | 'limit'
  | 'end';

export interface ParseResult {
  readonly records: JournalRecord[];
  /** Offset just past the last complete, valid record. */
  readonly next: number;
  readonly stop: ParseStop;
  /** For `incomplete`: bytes the next record needs in total (header and body), when its header was read. */
  readonly needed?: number;
}

export interface ParseLimits {
  readonly maxRecords?: number;
  /** Stop before the record that would take the summed encoded size past this (one record always fits). */
  readonly maxBytes?: number;
  /** Count records without decoding them (start-up scans). */
  readonly countOnly?: boolean;
}

/**
 * Parses records from `buf[start, end)`. Values share memory with `buf`. With `countOnly`, `records`
 * stays empty and only `count` in the result matters.
 */
export function parseRecords(
  buf: Buffer,
  start: number,
  end: number,
  limits: ParseLimits = {},
): ParseResult & { count: number } {
  const maxRecords = limits.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  const records: JournalRecord[] = [];
  let at = start;
  let count = 0;
  for (;;) {
    if (at === end) return { records, count, next: at, stop: 'end' };
    if (count >= maxRecords) return { records, count, next: at, stop: 'limit' };
    if (end - at < RECORD_HEADER_BYTES) return { records, count, next: at, stop: 'incomplete' };
    const length = buf.readUInt32LE(at);
    if (length < BODY_FIXED_BYTES || length > MAX_BODY_BYTES) {
      return { records, count, next: at, stop: 'corrupt' };
    }
    const total = RECORD_HEADER_BYTES + length;
    if (count > 0 && at + total - start > maxBytes) return { records, count, next: at, stop: 'limit' };
    if (end - at < total) return { records, count, next: at, stop: 'incomplete', needed: total };
    const body = buf.subarray(at + RECORD_HEADER_BYTES, at + total);
    if (crc32(body) !== buf.readUInt32LE(at + 4)) return { records, count, next: at, stop: 'corrupt' };
    const keyLength = body.readInt32LE(8);
    if (keyLength < -1 || keyLength > length - BODY_FIXED_BYTES) {
      return { records, count, next: at, stop: 'corrupt' };
    }
    if (!limits.countOnly) records.push(readRecord(buf, at, total));
    count++;
    at += total;
  }
}

/**
 * The acknowledged position: which segment, and the offset of its first record Kafka has not yet
 * acknowledged. 24 bytes rewritten in place, with their own checksum so a torn rewrite is ignored
 * (which costs duplicates on replay, never a loss).
 */
export interface Cursor {
  readonly seq: number;
  readonly offset: number;
}

export const CURSOR_BYTES = 24;
const CURSOR_MAGIC = 0x46464331; // "FFC1"

export function encodeCursor(cursor: Cursor): Buffer {
  const buf = Buffer.alloc(CURSOR_BYTES);
  buf.writeUInt32LE(CURSOR_MAGIC, 0);
  buf.writeDoubleLE(cursor.seq, 4);
  buf.writeDoubleLE(cursor.offset, 12);
  buf.writeUInt32LE(crc32(buf.subarray(0, 20)), 20);
  return buf;
}

export function decodeCursor(buf: Buffer): Cursor | null {
  if (buf.length < CURSOR_BYTES || buf.readUInt32LE(0) !== CURSOR_MAGIC) return null;
  if (crc32(buf.subarray(0, 20)) !== buf.readUInt32LE(20)) return null;
  const seq = buf.readDoubleLE(4);
  const offset = buf.readDoubleLE(12);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(offset) || offset < SEGMENT_HEADER_BYTES)
    return null;
  return { seq, offset };
}

const SEGMENT_NAME = /^segment-(\d{16})\.spool$/;

export function segmentName(seq: number): string {
  return `segment-${String(seq).padStart(16, '0')}.spool`;
}

export function segmentSeq(name: string): number | null {
  const match = SEGMENT_NAME.exec(name);
  return match ? Number(match[1]) : null;
}
