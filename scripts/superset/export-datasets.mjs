// The export's database and its two datasets: the events datasource, whose physical columns are the
// Druid supervisor spec's dimensions (so they follow the record), plus the calculated columns and
// metrics of dataset.mjs; and the virtual sessions dataset. Separate from the charts and dashboard,
// which only refer to the datasets by uuid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CALCULATED_COLUMNS,
  DIMENSION_LABELS,
  METRICS,
  SESSION_COLUMNS,
  SESSION_METRICS,
  SESSIONS_SQL,
} from './dataset.mjs';
import { DATABASE_UUID, DATASET_UUID, SESSIONS_DATASET_UUID } from './export-ids.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const SPEC_FILE = join(repoRoot, 'docker', 'druid', 'supervisor-spec.json');

function specDimensions() {
  const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));
  return spec.spec.dataSchema.dimensionsSpec.dimensions.map((d) => d.name);
}

function column(name, { label, type = 'STRING', expression = null, description = null, isDttm = false }) {
  return {
    column_name: name,
    verbose_name: label,
    is_dttm: isDttm,
    is_active: true,
    type,
    groupby: true,
    filterable: true,
    expression,
    description,
    python_date_format: null,
    extra: null,
  };
}

export function eventDataset() {
  const columns = [
    column('__time', {
      label: 'Time',
      type: 'TIMESTAMP',
      isDttm: true,
      description: 'Server receive time, floored to the minute.',
    }),
    ...specDimensions().map((name) => column(name, { label: DIMENSION_LABELS[name] ?? name })),
    ...CALCULATED_COLUMNS.map(([name, label, expression, description]) =>
      column(name, { label, type: 'STRING', expression, description }),
    ),
  ];
  return {
    table_name: 'footfall',
    main_dttm_col: '__time',
    description: 'Clickstream events collected by Footfall, rolled up per minute.',
    default_endpoint: null,
    offset: 0,
    cache_timeout: null,
    schema: 'druid',
    catalog: null,
    sql: null,
    params: null,
    template_params: null,
    filter_select_enabled: true,
    fetch_values_predicate: null,
    extra: null,
    uuid: DATASET_UUID,
    database_uuid: DATABASE_UUID,
    version: '1.0.0',
    metrics: metricDocs(METRICS),
    columns,
  };
}

function metricDocs(metrics) {
  return metrics.map(([name, label, expression, format, description]) => ({
    metric_name: name,
    verbose_name: label,
    metric_type: null,
    expression,
    description,
    d3format: format,
    extra: null,
    warning_text: null,
  }));
}

/** The virtual dataset over footfall_sessions: one row per visit (see dataset.mjs). */
export function sessionsDataset() {
  return {
    table_name: 'footfall_sessions',
    main_dttm_col: '__time',
    description: 'Visits from the session datasource footfall_sessions, one row per session.',
    default_endpoint: null,
    offset: 0,
    cache_timeout: null,
    schema: 'druid',
    catalog: null,
    sql: SESSIONS_SQL,
    params: null,
    template_params: null,
    filter_select_enabled: true,
    fetch_values_predicate: null,
    extra: null,
    uuid: SESSIONS_DATASET_UUID,
    database_uuid: DATABASE_UUID,
    version: '1.0.0',
    metrics: metricDocs(SESSION_METRICS),
    columns: SESSION_COLUMNS.map(([name, label, type]) =>
      column(name, { label, type, isDttm: type === 'TIMESTAMP' }),
    ),
  };
}

export function database() {
  return {
    database_name: 'Footfall Druid',
    sqlalchemy_uri: 'druid://broker:8082/druid/v2/sql/',
    cache_timeout: null,
    expose_in_sqllab: true,
    allow_run_async: false,
    allow_ctas: false,
    allow_cvas: false,
    allow_dml: false,
    allow_file_upload: false,
    extra: { allows_virtual_table_explore: true, metadata_params: {}, engine_params: {} },
    uuid: DATABASE_UUID,
    version: '1.0.0',
  };
}
