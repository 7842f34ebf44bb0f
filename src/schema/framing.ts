/**
 * Framing of Avro payloads in Kafka message values.
 *
 * - `naked`: the Avro binary as is. What Divolte writes, and what Druid reads with `schema_inline`.
 * - `confluent`: 0x00, a 4-byte big-endian schema registry id, the Avro binary (Confluent's wire format).
 * - `druid-inline`: 0x01, a 4-byte big-endian schema id, the Avro binary: what Druid's
 *   `multiple_schemas_inline` decoder reads (it does not read Confluent framing without a registry).
 */
import { FramingError } from './errors.js';

export type Framing = 'naked' | 'confluent' | 'druid-inline';

export const FRAMINGS: readonly Framing[] = ['naked', 'confluent', 'druid-inline'];

export interface Unframed {
  /** The schema id of the frame; null for naked payloads, which carry none. */
  readonly schemaId: number | null;
  /** The Avro binary; shares memory with the input buffer. */
  readonly payload: Buffer;
}

const HEADER_BYTES = 5;
const MAGIC: Record<Exclude<Framing, 'naked'>, number> = { confluent: 0x00, 'druid-inline': 0x01 };
// Both Confluent and Druid read the id as a signed Java int; larger ids would come out negative.
const MAX_SCHEMA_ID = 0x7fffffff;

/**
 * Frames an Avro payload. Returns the payload itself for `naked` (the schema id is then ignored), and
 * otherwise one new buffer holding header and payload.
 */
export function frame(payload: Buffer, framing: Framing, schemaId: number): Buffer {
  if (framing === 'naked') return payload;
  const magic = magicOf(framing);
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > MAX_SCHEMA_ID) {
    throw new FramingError(
      `${framing} framing needs a schema id from 0 to ${MAX_SCHEMA_ID}, got ${schemaId}`,
    );
  }
  const framed = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  framed[0] = magic;
  framed.writeUInt32BE(schemaId, 1);
  payload.copy(framed, HEADER_BYTES);
  return framed;
}

/** Splits a framed message into schema id and payload, without copying. */
export function unframe(buf: Buffer, framing: Framing): Unframed {
  if (framing === 'naked') return { schemaId: null, payload: buf };
  const magic = magicOf(framing);
  if (buf.length < HEADER_BYTES) {
    throw new FramingError(
      `${framing} framing needs at least ${HEADER_BYTES} bytes (magic byte and schema id), got ${buf.length}`,
    );
  }
  if (buf[0] !== magic) {
    throw new FramingError(
      `${framing} framing starts with magic byte ${hex(magic)}, got ${hex(buf[0] as number)}` + hint(buf[0]),
    );
  }
  return { schemaId: buf.readInt32BE(1), payload: buf.subarray(HEADER_BYTES) };
}

function magicOf(framing: Framing): number {
  const magic = (MAGIC as Record<string, number | undefined>)[framing];
  if (magic === undefined) {
    throw new FramingError(`unknown framing "${String(framing)}"; known: ${FRAMINGS.join(', ')}`);
  }
  return magic;
}

// Mixing up the two framed formats is the likely mistake, so say which one the bytes look like.
function hint(first: number | undefined): string {
  const other = (Object.keys(MAGIC) as (keyof typeof MAGIC)[]).find((f) => MAGIC[f] === first);
  return other ? ` (the bytes look like ${other} framing)` : '';
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}
