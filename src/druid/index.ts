/** Public API of the Druid side: the Kafka supervisor specs (events, sessions) generated from a record schema. */
export {
  DEFAULT_SPEC_OPTIONS,
  SPEC_FRAMINGS,
  SpecError,
  buildSupervisorSpec,
  renderSupervisorSpec,
  type SpecFraming,
} from './supervisor-spec.js';
export { buildSessionSupervisorSpec, renderSessionSupervisorSpec } from './session-spec.js';
