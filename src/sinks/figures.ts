/**
 * What a sink reports to /metrics beyond the five SinkStats every sink has: one Prometheus family per
 * meaning, declared next to the figure it reads (journal/figures.ts, kafka/stats.ts, file/figures.ts).
 * Nothing here knows prom-client: src/server/sink-metrics.ts turns the families into metrics and reads
 * the values at each scrape, labelled by sink name.
 */

/**
 * How a cluster primary combines its workers' values of one family: totals and amounts add up, an
 * age is the oldest worker's, a yes/no figure is the worst worker's.
 */
export type AcrossWorkers = 'sum' | 'max' | 'min';

export interface SinkFamily {
  /** The full family name, `footfall_<area>_<what>_<unit>`; a counter's ends in `_total`. */
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly acrossWorkers: AcrossWorkers;
}

export interface SinkHistogramFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  /** Upper bounds of the buckets in the family's unit (seconds), ascending; +Inf is implied. */
  readonly bounds: readonly number[];
}

/** A histogram's state since start: cumulative counts per bound, then +Inf (equal to `count`). */
export interface HistogramValue {
  readonly cumulative: readonly number[];
  readonly sum: number;
  readonly count: number;
}

export type SinkFigure =
  | { readonly family: SinkFamily; readonly value: number }
  | { readonly family: SinkHistogramFamily; readonly value: HistogramValue };

export const counter = (name: string, help: string): SinkFamily => {
  if (!name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
  return { name, help, type: 'counter', acrossWorkers: 'sum' };
};

export const gauge = (name: string, help: string, acrossWorkers: AcrossWorkers = 'sum'): SinkFamily => ({
  name,
  help,
  type: 'gauge',
  acrossWorkers,
});
