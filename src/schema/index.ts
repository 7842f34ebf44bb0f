/**
 * Public API of the schema layer: builtin schemas and their resolution, record types, the Avro codec
 * and Kafka framing. A leaf: it imports nothing from the rest of Footfall.
 */
export { BUILTIN_SCHEMAS, loadBuiltinSchema, resolveSchema } from './builtin.js';
export { createCodec, type Codec } from './codec.js';
export { DecodeError, FramingError, RecordMismatchError, SchemaError } from './errors.js';
export { FRAMINGS, frame, unframe, type Framing } from './framing.js';
export type { AvroField, AvroRecordSchema, AvroSchema, DivolteRecord, FootfallRecord } from './types.js';
