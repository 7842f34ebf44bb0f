/**
 * Public API of the schema layer: builtin schemas and their resolution, record types, the Avro codec
 * and Kafka framing. A leaf: it imports nothing from the rest of Footfall.
 */
export {
  BUILTIN_PREFIX,
  BUILTIN_SCHEMAS,
  loadBuiltinSchema,
  resolveSchema,
  type BuiltinSchemaName,
} from './builtin.js';
export { createCodec, type Codec, type CodecOptions } from './codec.js';
export { DecodeError, FramingError, RecordMismatchError, SchemaError, type FieldProblem } from './errors.js';
export { FRAMINGS, frame, unframe, type Framing, type Unframed } from './framing.js';
export type {
  AvroField,
  AvroRecordSchema,
  AvroSchema,
  AvroTypeObject,
  DivolteRecord,
  FootfallRecord,
} from './types.js';
