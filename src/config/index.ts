export {
  loadConfig,
  formatIssues,
  ENV_OVERRIDES,
  type ConfigIssue,
  type ConfigResult,
  type LoadOptions,
} from './load.js';
export type * from './schema.js';
export { parseDuration, parseSize, formatDuration, formatSize } from './units.js';
