export type { ClientEvent, EventFlags, JsonValue, RequestHeaders, SourceType } from './event.js';
export {
  ACCEPTED,
  OutcomeCounter,
  type DroppedReason,
  type InvalidReason,
  type Outcome,
  type OutcomeKind,
} from './outcomes.js';
export {
  dispatch,
  type Destination,
  type EncodedRecord,
  type Encoder,
  type MappingRoute,
} from './dispatch.js';
export { DuplicateMemory, computeFlags } from './flags.js';
export { processEvent, type PipelineContext } from './process.js';
export {
  Ingest,
  type EventReader,
  type EventReading,
  type IngestErrorHook,
  type RefusalReason,
  type Taken,
} from './ingest.js';
export type { Mapper, MapperContext, MappedRecord } from './map/mapper.js';
export { EventContext, parseCookies, valueAt } from './map/context.js';
export { mapDivolte } from './map/divolte.js';
export { mapFootfall, scalarParameters } from './map/footfall.js';
export { BUILTIN_MAPPERS, MappingError, verifyMapper, type VerifyResult } from './map/verify.js';
export { SYNTHETIC_EVENTS, syntheticEnrichment, type SyntheticEvent } from './map/synthetic.js';
export { parseEventDescription, type EventDescription } from './map/event-file.js';
export * from './enrich/index.js';
