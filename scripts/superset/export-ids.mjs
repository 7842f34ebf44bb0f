// The export's fixed identities, shared by its datasets, charts and dashboard: the uuids Superset
// matches on re-import, the dataset id a fresh Superset gives, the charts' default time range, and
// the file names. Separate so that each part of the export refers to the others by these alone.
import { createHash } from 'node:crypto';

export const DATABASE_UUID = '2c8a498b-43aa-4ed8-b7ee-93b3ec43eb75';
export const DATASET_UUID = 'c7da1211-8961-402b-ae4b-54d1ec673d98';
export const DASHBOARD_UUID = 'ce973823-3d53-4a37-a014-07c54fcdea24';
export const SESSIONS_DATASET_UUID = '7d0c43a4-1a8e-5b7e-9c55-3f3b1e0d2a61';
export const datasetUuid = (chart) => (chart.dataset === 'sessions' ? SESSIONS_DATASET_UUID : DATASET_UUID);
/** The dataset's id in a fresh Superset; the import rewrites it in params, and the e2e in queries. */
export const DATASOURCE = { id: 1, type: 'table' };
/**
 * A chart's own time range, which the dashboard's time filter replaces: the last seven days up to now
 * (Superset's "Last week" ends at today's midnight). Time comparison needs a closed range like this.
 */
export const DEFAULT_TIME_RANGE = 'Last 7 days : now';

/** A stable uuid (version 5 layout) from a name, so rebuilding never changes one. */
export function stableUuid(name) {
  const hex = createHash('sha1').update(`footfall-superset:${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const fileName = (title) => `${title.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}.yaml`;
