// Types for charts.mjs, which the export unit test reads.

export interface ChartFilter {
  readonly col: string;
  readonly op: '==' | '!=' | 'IN' | 'IS NOT NULL';
  readonly val?: string | readonly string[];
}

export interface ChartDefinition {
  readonly row: string;
  readonly name: string;
  readonly question: string;
  readonly viz: 'big_number_total' | 'echarts_timeseries_line' | 'pie' | 'bar' | 'funnel' | 'table';
  readonly metric?: string;
  readonly metrics?: readonly string[];
  readonly groupby?: string | readonly string[];
  readonly filters?: readonly ChartFilter[];
  readonly width: number;
  readonly height: number;
}

export interface FilterDefinition {
  readonly id: string;
  readonly name: string;
  readonly type: 'filter_time' | 'filter_timegrain' | 'filter_select';
  readonly column?: string;
}

export declare const CHARTS: readonly ChartDefinition[];
export declare const FILTERS: readonly FilterDefinition[];
