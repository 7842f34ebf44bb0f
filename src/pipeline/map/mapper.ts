/**
 * What a mapping is: a function from an event (and lazily computed helpers) to a plain record object
 * that the mapping's Avro schema then encodes. Builtin mappers and user mappings share this shape.
 */
import type { ClientEvent, EventFlags } from '../event.js';

export interface MapperContext {
  readonly flags: EventFlags;
}

export type MappedRecord = Record<string, unknown>;

export type Mapper = (event: ClientEvent, context: MapperContext) => MappedRecord;
