export { loadConfig, formatIssues, ENV_OVERRIDES, type ConfigIssue, type ConfigResult } from './load.js';
export type * from './schema.js';
// Sinks derive the defaults of their directly built instances from these, so both sets are one.
export { fileSinkSpec, kafkaSinkSpec } from './schema.js';
