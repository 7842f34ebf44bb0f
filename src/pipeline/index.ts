export type { RequestHeaders } from './event.js';
export { ACCEPTED, OutcomeCounter, type InvalidReason, type Outcome } from './outcomes.js';
export type { MappingRoute } from './dispatch.js';
export { DuplicateMemory } from './flags.js';
export { processEvent, type PipelineContext } from './process.js';
export { Ingest, type EventReader, type EventReading, type RefusalReason, type Taken } from './ingest.js';
export type { Mapper } from './map/mapper.js';
export { EventContext } from './map/context.js';
export { mapDivolte } from './map/divolte.js';
export { mapFootfall } from './map/footfall.js';
export { BUILTIN_MAPPERS, MappingError, verifyMapper } from './map/verify.js';
export { SYNTHETIC_EVENTS, syntheticEnrichment } from './map/synthetic.js';
export { parseEventDescription } from './map/event-file.js';
export * from './enrich/index.js';
export {
  cookieNames,
  type EventObserver,
  type RequestView,
  type RouteSighting,
  type Sighting,
} from './inspect.js';
