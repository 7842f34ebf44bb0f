// The export's dashboard: the grid of charts (rows and widths from charts.mjs) and the native filters
// with the charts each one leaves alone. Separate from the charts, whose content it does not look at.
import { CHARTS, FILTERS } from './charts.mjs';
import { SESSION_COLUMNS } from './dataset.mjs';
import { DASHBOARD_UUID, DATASET_UUID, stableUuid } from './export-ids.mjs';

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

export function dashboard() {
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
