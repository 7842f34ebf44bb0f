// Builds docker/superset/export, the Superset dashboard export, from charts.mjs and dataset.mjs, and
// from the dimensions of docker/druid/supervisor-spec.json (itself generated from the schema, so the
// dataset's columns follow the record). test/unit/superset/export.test.ts fails when the committed
// files differ from what this builds.
//
//   node scripts/superset/export.mjs           rewrite docker/superset/export
//   node scripts/superset/export.mjs --check   exit 1 when the committed export is stale
//
// Chart uuids derive from chart names, so a rebuild keeps them and a re-import into an existing
// Superset updates the charts in place.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { CHARTS, FILTERS } from './charts.mjs';
import {
  CALCULATED_COLUMNS,
  DIMENSION_LABELS,
  METRICS,
  SESSION_COLUMNS,
  SESSION_METRICS,
  SESSIONS_SQL,
} from './dataset.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const EXPORT_DIR = join(repoRoot, 'docker', 'superset', 'export');
const SPEC_FILE = join(repoRoot, 'docker', 'druid', 'supervisor-spec.json');

const DATABASE_UUID = '2c8a498b-43aa-4ed8-b7ee-93b3ec43eb75';
const DATASET_UUID = 'c7da1211-8961-402b-ae4b-54d1ec673d98';
const DASHBOARD_UUID = 'ce973823-3d53-4a37-a014-07c54fcdea24';
const SESSIONS_DATASET_UUID = '7d0c43a4-1a8e-5b7e-9c55-3f3b1e0d2a61';
const datasetUuid = (chart) => (chart.dataset === 'sessions' ? SESSIONS_DATASET_UUID : DATASET_UUID);
/** The dataset's id in a fresh Superset; the import rewrites it in params, and the e2e in queries. */
const DATASOURCE = { id: 1, type: 'table' };
/**
 * A chart's own time range, which the dashboard's time filter replaces: the last seven days up to now
 * (Superset's "Last week" ends at today's midnight). Time comparison needs a closed range like this.
 */
const DEFAULT_TIME_RANGE = 'Last 7 days : now';

/** A stable uuid (version 5 layout) from a name, so rebuilding never changes one. */
export function stableUuid(name) {
  const hex = createHash('sha1').update(`footfall-superset:${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const fileName = (title) => `${title.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}.yaml`;

const metricByName = new Map([...METRICS, ...SESSION_METRICS].map(([name, , , format]) => [name, format]));
const yamlText = (header, doc) =>
  `${header
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;

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

function eventDataset() {
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
function sessionsDataset() {
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

function database() {
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

const OPERATORS = { '==': '==', '!=': '!=', IN: 'IN', 'IS NOT NULL': 'IS NOT NULL' };

function adhocFilter({ col, op, val }) {
  return {
    clause: 'WHERE',
    subject: col,
    operator: OPERATORS[op],
    ...(val === undefined ? {} : { comparator: val }),
    expressionType: 'SIMPLE',
  };
}

const numberFormat = (metric) => metricByName.get(metric) ?? ',d';

/** What Superset's explore view would save as params for this chart. */
function params(chart) {
  const timeRange = chart.timeRange ?? DEFAULT_TIME_RANGE;
  const filters = [
    {
      clause: 'WHERE',
      subject: '__time',
      operator: 'TEMPORAL_RANGE',
      comparator: timeRange,
      expressionType: 'SIMPLE',
    },
    ...(chart.filters ?? []).map(adhocFilter),
  ];
  const common = { datasource: `${DATASOURCE.id}__table`, viz_type: vizType(chart), adhoc_filters: filters };
  const tail = { extra_form_data: {}, dashboards: [] };
  switch (chart.viz) {
    case 'big_number_total':
      return {
        ...common,
        metric: chart.metric,
        header_font_size: 0.4,
        subheader_font_size: 0.15,
        y_axis_format: numberFormat(chart.metric),
        time_format: 'smart_date',
        ...tail,
      };
    case 'echarts_timeseries_line':
      return {
        ...common,
        x_axis: '__time',
        time_grain_sqla: chart.timeGrain,
        metrics: chart.metrics,
        groupby: [],
        time_compare: [chart.timeCompare],
        comparison_type: 'values',
        row_limit: 10000,
        order_desc: true,
        show_legend: true,
        legendType: 'plain',
        legendOrientation: 'top',
        rich_tooltip: true,
        markerEnabled: true,
        markerSize: 4,
        x_axis_time_format: 'smart_date',
        y_axis_format: ',d',
        truncateYAxis: false,
        y_axis_bounds: [0, null],
        ...tail,
      };
    case 'pie':
      // Names in a legend under the donut and percentages beside the slices: long names beside the
      // slices get cut in a third-width tile.
      return {
        ...common,
        groupby: [chart.groupby],
        metric: chart.metric,
        row_limit: 25,
        sort_by_metric: true,
        color_scheme: 'supersetColors',
        show_legend: true,
        legendType: 'plain',
        legendOrientation: 'bottom',
        show_labels: true,
        labels_outside: true,
        label_line: true,
        show_labels_threshold: 3,
        label_type: 'percent',
        number_format: numberFormat(chart.metric),
        donut: true,
        innerRadius: 35,
        outerRadius: 65,
        ...tail,
      };
    case 'bar':
      return {
        ...common,
        x_axis: chart.groupby,
        metrics: [chart.metric],
        groupby: [],
        x_axis_sort: chart.metric,
        x_axis_sort_asc: true,
        orientation: 'horizontal',
        row_limit: 25,
        show_legend: false,
        show_value: true,
        rich_tooltip: true,
        y_axis_format: numberFormat(chart.metric),
        truncateYAxis: false,
        y_axis_bounds: [0, null],
        color_scheme: 'supersetColors',
        ...tail,
      };
    case 'funnel':
      return {
        ...common,
        groupby: [chart.groupby],
        metric: chart.metric,
        row_limit: 10,
        sort_by_metric: true,
        show_legend: false,
        show_labels: true,
        label_type: 'key_value',
        number_format: numberFormat(chart.metric),
        color_scheme: 'supersetColors',
        ...tail,
      };
    case 'table':
      return {
        ...common,
        query_mode: 'aggregate',
        groupby: chart.groupby,
        metrics: chart.metrics,
        all_columns: [],
        percent_metrics: [],
        timeseries_limit_metric: chart.metrics[0],
        order_desc: true,
        row_limit: 100,
        server_page_length: 10,
        page_length: 10,
        include_search: false,
        show_cell_bars: true,
        table_timestamp_format: 'smart_date',
        column_config: Object.fromEntries(chart.metrics.map((m) => [m, { d3NumberFormat: numberFormat(m) }])),
        ...tail,
      };
    default:
      throw new Error(`${chart.name}: unknown viz ${chart.viz}`);
  }
}

const vizType = (chart) => (chart.viz === 'bar' ? 'echarts_timeseries_bar' : chart.viz);
const chartMetrics = (chart) => chart.metrics ?? [chart.metric];
const chartColumns = (chart) => (chart.groupby === undefined ? [] : [chart.groupby].flat());

/**
 * The saved query GET /api/v1/chart/<id>/data runs: the chart's grouping, metrics and fixed filters,
 * without the rendering's post-processing, so its rows can be compared with what was sent.
 */
function queryContext(chart) {
  const timeRange = chart.timeRange ?? DEFAULT_TIME_RANGE;
  const columns =
    chart.viz === 'echarts_timeseries_line'
      ? [
          {
            columnType: 'BASE_AXIS',
            sqlExpression: '__time',
            label: '__time',
            expressionType: 'SQL',
            timeGrain: chart.timeGrain,
          },
        ]
      : chartColumns(chart);
  const metrics = chartMetrics(chart);
  const query = {
    filters: [{ col: '__time', op: 'TEMPORAL_RANGE', val: timeRange }, ...(chart.filters ?? [])],
    extras: { having: '', where: '', ...(chart.timeGrain ? { time_grain_sqla: chart.timeGrain } : {}) },
    applied_time_extras: {},
    columns,
    metrics,
    orderby: chart.viz === 'echarts_timeseries_line' ? [] : [[metrics[0], false]],
    annotation_layers: [],
    row_limit: chart.viz === 'echarts_timeseries_line' ? 10000 : 100,
    series_limit: 0,
    order_desc: true,
    url_params: {},
    custom_params: {},
    custom_form_data: {},
    time_range: timeRange,
    ...(chart.timeCompare ? { time_offsets: [chart.timeCompare] } : {}),
  };
  return JSON.stringify(
    { datasource: DATASOURCE, force: false, queries: [query], result_format: 'json', result_type: 'full' },
    null,
    2,
  );
}

function chartDoc(chart) {
  return {
    slice_name: chart.name,
    description: chart.question,
    certified_by: null,
    certification_details: null,
    viz_type: vizType(chart),
    params: params(chart),
    query_context: `${queryContext(chart)}\n`,
    cache_timeout: null,
    uuid: stableUuid(`chart:${chart.name}`),
    version: '1.0.0',
    dataset_uuid: datasetUuid(chart),
  };
}

/** The chart ids the export's layout uses; the import maps them, and filter scopes, to the new ids. */
const chartId = (chart) => CHARTS.indexOf(chart) + 1;

function position() {
  const rows = [...new Set(CHARTS.map((c) => c.row))];
  const layout = {
    DASHBOARD_VERSION_KEY: 'v2',
    ROOT_ID: { type: 'ROOT', id: 'ROOT_ID', children: ['GRID_ID'] },
    GRID_ID: { type: 'GRID', id: 'GRID_ID', children: rows.map((r) => `ROW-${r}`), parents: ['ROOT_ID'] },
    HEADER_ID: { id: 'HEADER_ID', type: 'HEADER', meta: { text: 'Footfall' } },
  };
  for (const row of rows) {
    const charts = CHARTS.filter((c) => c.row === row);
    const ids = charts.map((c) => `CHART-${stableUuid(`chart:${c.name}`).slice(0, 8)}`);
    layout[`ROW-${row}`] = {
      type: 'ROW',
      id: `ROW-${row}`,
      children: ids,
      parents: ['ROOT_ID', 'GRID_ID'],
      meta: { background: 'BACKGROUND_TRANSPARENT' },
    };
    charts.forEach((chart, i) => {
      layout[ids[i]] = {
        type: 'CHART',
        id: ids[i],
        children: [],
        parents: ['ROOT_ID', 'GRID_ID', `ROW-${row}`],
        meta: {
          width: chart.width,
          height: chart.height,
          chartId: chartId(chart),
          uuid: stableUuid(`chart:${chart.name}`),
          sliceName: chart.name,
        },
      };
    });
  }
  return layout;
}

export const nativeFilterId = (id) => `NATIVE_FILTER-${id}`;

function nativeFilter(filter) {
  const sessionColumns = new Set(SESSION_COLUMNS.map(([name]) => name));
  const excluded = CHARTS.filter(
    (c) =>
      (filter.type === 'filter_time' && c.ignoresTimeFilter) ||
      (filter.id === 'traffic' && c.ignoresTrafficFilter) ||
      // A filter on a column the sessions dataset lacks would fail its charts' queries.
      (c.dataset === 'sessions' &&
        (filter.type === 'filter_timegrain' || (filter.column && !sessionColumns.has(filter.column)))),
  ).map(chartId);
  const base = {
    id: nativeFilterId(filter.id),
    name: filter.name,
    filterType: filter.type,
    type: 'NATIVE_FILTER',
    description: '',
    cascadeParentIds: [],
    scope: { rootPath: ['ROOT_ID'], excluded },
  };
  if (filter.type === 'filter_time') {
    return {
      ...base,
      targets: [{}],
      controlValues: {},
      defaultDataMask: {
        extraFormData: { time_range: filter.default },
        filterState: { value: filter.default },
        ownState: {},
      },
    };
  }
  if (filter.type === 'filter_timegrain') {
    return {
      ...base,
      targets: [{ datasetUuid: DATASET_UUID }],
      controlValues: {},
      defaultDataMask: {
        extraFormData: { time_grain_sqla: filter.default },
        filterState: { value: [filter.default] },
        ownState: {},
      },
    };
  }
  return {
    ...base,
    targets: [{ datasetUuid: DATASET_UUID, column: { name: filter.column } }],
    controlValues: {
      enableEmptyFilter: false,
      defaultToFirstItem: false,
      multiSelect: filter.multi ?? true,
      searchAllOptions: false,
      inverseSelection: false,
    },
    defaultDataMask:
      filter.default === undefined
        ? { extraFormData: {}, filterState: {}, ownState: {} }
        : {
            extraFormData: { filters: [{ col: filter.column, op: 'IN', val: filter.default }] },
            filterState: { value: filter.default },
            ownState: {},
          },
  };
}

function dashboard() {
  return {
    dashboard_title: 'Footfall',
    description: null,
    css: '',
    slug: 'footfall',
    certified_by: null,
    certification_details: null,
    published: true,
    uuid: DASHBOARD_UUID,
    position: position(),
    metadata: {
      color_scheme: 'supersetColors',
      refresh_frequency: 60,
      expanded_slices: {},
      label_colors: {},
      timed_refresh_immune_slices: [],
      cross_filters_enabled: true,
      default_filters: '{}',
      chart_configuration: {},
      shared_label_colors: [],
      color_scheme_domain: [],
      filter_bar_orientation: 'HORIZONTAL',
      native_filter_configuration: FILTERS.map(nativeFilter),
    },
    version: '1.0.0',
  };
}

const GENERATED =
  'Generated by scripts/superset/export.mjs from charts.mjs and dataset.mjs: edit those, not this file.';

/** Every file of the export, by path relative to docker/superset/export. */
export function buildExport() {
  const files = new Map();
  // Written out: the yaml package leaves the timestamp unquoted, and PyYAML would read it as a date.
  files.set(
    'metadata.yaml',
    `# ${GENERATED}\nversion: 1.0.0\ntype: Dashboard\ntimestamp: '2026-11-26T00:00:00.000000+00:00'\n`,
  );
  files.set(
    'databases/Footfall_Druid.yaml',
    yamlText(
      `${GENERATED}\nThe Druid broker's SQL endpoint through pydruid. \`broker\` is the compose service; the zip script\n(scripts/superset/zip_export.py --druid-uri ...) writes another host into the zip for other setups.`,
      database(),
    ),
  );
  files.set(
    'datasets/Footfall_Druid/footfall.yaml',
    yamlText(
      `${GENERATED}\nThe Druid datasource the supervisor spec fills. Physical columns are the spec's dimensions; the\ncalculated ones (with an expression) are SQL Druid runs at query time, see dataset.mjs.`,
      eventDataset(),
    ),
  );
  files.set(
    'datasets/Footfall_Druid/footfall_sessions.yaml',
    yamlText(
      `${GENERATED}\nA virtual dataset: one row per visit from footfall_sessions, which the session supervisor fills.`,
      sessionsDataset(),
    ),
  );
  for (const chart of CHARTS)
    files.set(`charts/${fileName(chart.name)}`, yamlText(GENERATED, chartDoc(chart)));
  files.set('dashboards/Footfall.yaml', yamlText(GENERATED, dashboard()));
  return files;
}

function committedFiles(dir = EXPORT_DIR) {
  const files = new Map();
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (name.endsWith('.yaml')) files.set(name.split('\\').join('/'), readFileSync(join(dir, name), 'utf8'));
  }
  return files;
}

/** Paths whose committed text differs from the build, or that one side lacks. */
export function staleFiles(dir = EXPORT_DIR) {
  const built = buildExport();
  const committed = committedFiles(dir);
  const paths = new Set([...built.keys(), ...committed.keys()]);
  return [...paths].filter((p) => built.get(p) !== committed.get(p)).sort();
}

function write(dir = EXPORT_DIR) {
  rmSync(dir, { recursive: true, force: true });
  for (const [relative, text] of buildExport()) {
    mkdirSync(dirname(join(dir, relative)), { recursive: true });
    writeFileSync(join(dir, relative), text);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length > 0) {
      process.stderr.write(
        `docker/superset/export is stale: ${stale.join(', ')}\nrun: node scripts/superset/export.mjs\n`,
      );
      process.exit(1);
    }
  } else {
    write();
    process.stderr.write(`wrote ${EXPORT_DIR}\n`);
  }
}
