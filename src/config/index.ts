export { loadConfig, type ConfigResult } from './load.js';
export { formatIssues, type ConfigIssue } from './issues.js';
export { ENV_OVERRIDES } from './read.js';
export type * from './schema.js';
// Sinks derive the defaults of their directly built instances from these, so both sets are one.
export { fileSinkSpec, kafkaSinkSpec } from './schema.js';
