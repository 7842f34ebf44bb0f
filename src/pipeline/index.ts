export type { ClientEvent, EventFlags, JsonValue, RequestHeaders, SourceType } from './event.js';
export { ACCEPTED, OutcomeCounter, type InvalidReason, type Outcome, type OutcomeKind } from './outcomes.js';
export {
  dispatch,
  type Destination,
  type EncodedRecord,
  type Encoder,
  type MappingRoute,
} from './dispatch.js';
export { DuplicateMemory, computeFlags } from './flags.js';
export { processEvent, type PipelineContext } from './process.js';
export type { Mapper, MapperContext, MappedRecord } from './map/mapper.js';
export { mapDivolte } from './map/divolte.js';
export { mapFootfall, scalarParameters } from './map/footfall.js';
