// One chart of the export: the params Superset's explore view would save for it, and the saved query
// its data endpoint runs, whose rows can be compared with what was sent. Separate from the dashboard,
// which only lays the charts out.
import { METRICS, SESSION_METRICS } from './dataset.mjs';
import { DATASOURCE, DEFAULT_TIME_RANGE, datasetUuid, stableUuid } from './export-ids.mjs';

const metricByName = new Map([...METRICS, ...SESSION_METRICS].map(([name, , , format]) => [name, format]));

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

export function chartDoc(chart) {
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
