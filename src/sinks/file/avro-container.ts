/**
 * Avro object container framing for records that arrive already encoded. avsc's BlockEncoder always
 * re-encodes values through a Type (there is no "raw bytes" mode), so the framing is written here:
 * header = magic `Obj\x01`, metadata map (avro.schema, avro.codec), 16-byte sync marker; then blocks of
 * (record count: long, byte size: long, data, sync). avsc still encodes and decodes the header record.
 */
import { randomBytes } from 'node:crypto';
import avsc from 'avsc';

export type AvroCodec = 'null' | 'deflate';

const SYNC_SIZE = 16;
const MAGIC = Buffer.from('Obj\x01', 'latin1');

// The same record the Avro specification (and avsc's own containers.js) uses for the header.
const HEADER_TYPE = avsc.Type.forSchema({
  type: 'record',
  name: 'org.apache.avro.file.Header',
  fields: [
    { name: 'magic', type: { type: 'fixed', name: 'Magic', size: 4 } },
    { name: 'meta', type: { type: 'map', values: 'bytes' } },
    { name: 'sync', type: { type: 'fixed', name: 'Sync', size: SYNC_SIZE } },
  ],
});

export function newSyncMarker(): Buffer {
  return randomBytes(SYNC_SIZE);
}

export function encodeHeader(schemaJson: string, codec: AvroCodec, sync: Buffer): Buffer {
  return HEADER_TYPE.toBuffer({
    magic: MAGIC,
    meta: { 'avro.schema': Buffer.from(schemaJson, 'utf8'), 'avro.codec': Buffer.from(codec, 'latin1') },
    sync,
  });
}

/** Zig-zag varint, as Avro encodes `long`; arithmetic instead of bit operations keeps it exact past 2^31. */
export function encodeLong(value: number): Buffer {
  let n = value >= 0 ? value * 2 : -value * 2 - 1;
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** Reads a zig-zag varint; undefined when the bytes end first or the value is not a safe integer. */
export function decodeLong(buf: Buffer, pos: number): { value: number; next: number } | undefined {
  let n = 0;
  let scale = 1;
  for (let i = pos; i < buf.length && i - pos < 10; i++) {
    const byte = buf[i] as number;
    n += (byte & 0x7f) * scale;
    if (!Number.isSafeInteger(n)) return undefined;
    if ((byte & 0x80) === 0) {
      const value = n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      return { value, next: i + 1 };
    }
    scale *= 0x80;
  }
  return undefined;
}

/** Blocks up to this size keep their buffer for the next block; a larger one is let go after use. */
const MAX_KEPT_BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Writes container blocks — record count, byte size, data, sync marker — from the parts of the data
 * (the records' encoded bytes, or the one deflated buffer) into a buffer kept from block to block: the
 * bytes are copied once and no new 0.75 MB buffer is allocated per block of 1000 footfall records, where
 * joining the records and then the block's pieces copied everything twice into two fresh buffers.
 * A block returned is only valid until the next build() (the file sink writes one block at a time).
 */
export class BlockBuilder {
  private kept = Buffer.alloc(0);

  build(count: number, parts: readonly Uint8Array[], sync: Buffer): Buffer {
    let dataLength = 0;
    for (const part of parts) dataLength += part.length;
    const countBytes = encodeLong(count);
    const lengthBytes = encodeLong(dataLength);
    const size = countBytes.length + lengthBytes.length + dataLength + sync.length;
    const target = this.kept.length >= size ? this.kept : Buffer.allocUnsafeSlow(size);
    if (target !== this.kept && size <= MAX_KEPT_BLOCK_BYTES) this.kept = target;
    target.set(countBytes, 0);
    target.set(lengthBytes, countBytes.length);
    let at = countBytes.length + lengthBytes.length;
    for (const part of parts) {
      target.set(part, at);
      at += part.length;
    }
    target.set(sync, at);
    return target.subarray(0, size);
  }
}

interface ContainerHeader {
  readonly schema: string;
  readonly codec: string;
  readonly sync: Buffer;
  /** Bytes the header occupies; the first block starts here. */
  readonly size: number;
}

export type ScanResult =
  /** The file does not start with Avro's magic bytes: not ours to touch. */
  | { readonly kind: 'foreign' }
  /** The header itself is cut short, so the file cannot hold a single record. */
  | { readonly kind: 'no-header' }
  | {
      readonly kind: 'container';
      readonly header: ContainerHeader;
      /** End of the last block whose length and trailing sync marker are intact. */
      readonly validEnd: number;
      readonly blocks: number;
      readonly records: number;
    };

/** What scanning needs of a file: positional reads (a FileHandle has them). */
export interface RandomReader {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

async function readAt(handle: RandomReader, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buf : buf.subarray(0, filled);
}

/**
 * Finds the longest prefix of a container file that an Avro reader accepts. A block counts only when
 * its declared size fits in the file and the sync marker after it matches the header's: a crash can
 * leave a torn block or a zero-filled tail, and neither carries the (random) marker. Only the header and
 * the few bytes around each block boundary are read, so a large file costs little memory.
 */
export async function scanContainer(handle: RandomReader, fileSize: number): Promise<ScanResult> {
  if (fileSize < MAGIC.length) return { kind: 'no-header' };
  let want = Math.min(fileSize, 64 * 1024);
  let header: ContainerHeader | undefined;
  for (;;) {
    const buf = await readAt(handle, 0, want);
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return { kind: 'foreign' };
    let decoded: { value: unknown; offset: number };
    try {
      decoded = HEADER_TYPE.decode(buf, 0);
    } catch {
      return { kind: 'no-header' };
    }
    if (decoded.offset >= 0) {
      const value = decoded.value as { meta: Record<string, Buffer>; sync: Buffer };
      const schema = value.meta['avro.schema'];
      if (!schema) return { kind: 'no-header' };
      header = {
        schema: schema.toString('utf8'),
        codec: value.meta['avro.codec']?.toString('latin1') ?? 'null',
        sync: Buffer.from(value.sync),
        size: decoded.offset,
      };
      break;
    }
    if (want >= fileSize) return { kind: 'no-header' };
    want = Math.min(fileSize, want * 4);
  }

  let pos = header.size;
  let blocks = 0;
  let records = 0;
  while (pos < fileSize) {
    const prefix = await readAt(handle, pos, 20);
    const count = decodeLong(prefix, 0);
    if (!count || count.value < 1) break;
    const size = decodeLong(prefix, count.next);
    if (!size || size.value < 0) break;
    const end = pos + size.next + size.value + SYNC_SIZE;
    if (end > fileSize) break;
    const marker = await readAt(handle, end - SYNC_SIZE, SYNC_SIZE);
    if (!marker.equals(header.sync)) break;
    pos = end;
    blocks++;
    records += count.value;
  }
  return { kind: 'container', header, validEnd: pos, blocks, records };
}
