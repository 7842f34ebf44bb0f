/**
 * The sinks' metric families, read from the sinks at each scrape: the SinkStats families every sink
 * has, and one family per figure a sink declares in figures() (src/sinks/figures.ts), labelled by
 * sink. Sinks count in plain numbers; these classes only hand prom-client the totals at scrape time,
 * so a counter shows the sink's own total since start and a histogram the sink's own buckets.
 */
import { Counter, Gauge, Histogram, type Aggregator, type MetricValue, type Registry } from 'prom-client';
import type { HistogramValue, SinkFamily, SinkFigure, SinkHistogramFamily } from '../sinks/figures.js';
import type { Sink } from '../sinks/index.js';
import type { SinkStats } from '../sinks/sink.js';

type Values = MetricValue<string>[];

export function registerSinkMetrics(registry: Registry, sinks: ReadonlyMap<string, Sink>): void {
  const all = [...sinks.values()];
  const standard = (
    name: string,
    help: string,
    type: 'counter' | 'gauge',
    read: (stats: SinkStats) => number,
  ): void => {
    register(registry, { name, help, type, acrossWorkers: 'sum' }, () =>
      all.map((sink) => ({ labels: { sink: sink.name }, value: read(sink.stats()) })),
    );
  };
  standard(
    'footfall_sink_offered_records_total',
    'Records offered to the sink.',
    'counter',
    (s) => s.offered,
  );
  standard(
    'footfall_sink_written_records_total',
    'Records the sink has durably written or delivered.',
    'counter',
    (s) => s.written,
  );
  standard(
    'footfall_sink_dropped_records_total',
    'Records the sink refused or could not journal (their events were not answered as stored).',
    'counter',
    (s) => s.dropped,
  );
  standard(
    'footfall_sink_failed_records_total',
    'Records the destination refused for good (Kafka: too large or invalid).',
    'counter',
    (s) => s.failed,
  );
  standard(
    'footfall_sink_queued_records',
    'Records taken by the sink and not yet stored downstream.',
    'gauge',
    (s) => s.queued,
  );
  register(
    registry,
    {
      name: 'footfall_sink_ready',
      help: '1 when the sink can take records, 0 when it reports a problem.',
      type: 'gauge',
      acrossWorkers: 'min',
    },
    () => all.map((sink) => ({ labels: { sink: sink.name }, value: sink.health().ready ? 1 : 0 })),
  );

  // Every family any sink declares, in the order first seen; a sink reports the same ones each time.
  const families = new Map<string, SinkFigure['family']>();
  for (const sink of all) for (const { family } of sink.figures?.() ?? []) families.set(family.name, family);
  const figuresOf = (name: string): { sink: string; figure: SinkFigure }[] =>
    all.flatMap((sink) =>
      (sink.figures?.() ?? [])
        .filter((figure) => figure.family.name === name)
        .map((figure) => ({ sink: sink.name, figure })),
    );
  for (const family of families.values()) {
    if (family.type === 'histogram') {
      registerHistogram(registry, family, () =>
        figuresOf(family.name).flatMap(({ sink, figure }) =>
          typeof figure.value === 'number' ? [] : histogramValues(family, sink, figure.value),
        ),
      );
    } else {
      register(registry, family, () =>
        figuresOf(family.name).flatMap(({ sink, figure }) =>
          typeof figure.value === 'number' ? [{ labels: { sink }, value: figure.value }] : [],
        ),
      );
    }
  }
}

function register(registry: Registry, family: SinkFamily, read: () => Values): void {
  const options = {
    name: family.name,
    help: family.help,
    labelNames: ['sink'],
    registers: [registry],
    aggregator: family.acrossWorkers,
  };
  if (family.type === 'counter') new ScrapedCounter(options, read);
  else new ScrapedGauge(options, read);
}

/** A counter whose value is a sink's total since start, read at each scrape (never inc()'d). */
class ScrapedCounter extends Counter {
  constructor(
    options: ConstructorParameters<typeof Counter>[0],
    private readonly read: () => Values,
  ) {
    super(options);
  }

  override async get(): ReturnType<Counter['get']> {
    return { ...(await super.get()), values: this.read() };
  }
}

class ScrapedGauge extends Gauge {
  constructor(
    options: ConstructorParameters<typeof Gauge>[0],
    private readonly read: () => Values,
  ) {
    super(options);
  }

  override async get(): ReturnType<Gauge['get']> {
    return { ...(await super.get()), values: this.read() };
  }
}

/** A bucket, sum or count line; prom-client's Histogram merges `sharedLabels` into `labels`. */
type HistogramValues = (MetricValue<string> & { metricName: string; sharedLabels: object })[];

function histogramValues(family: SinkHistogramFamily, sink: string, value: HistogramValue): HistogramValues {
  const line = (suffix: string, labels: Record<string, string>, n: number) => ({
    labels,
    sharedLabels: {},
    value: n,
    metricName: `${family.name}_${suffix}`,
  });
  return [
    ...[...family.bounds.map(String), '+Inf'].map((le, i) =>
      line('bucket', { sink, le }, value.cumulative[i] ?? value.count),
    ),
    line('sum', { sink }, value.sum),
    line('count', { sink }, value.count),
  ];
}

function registerHistogram(
  registry: Registry,
  family: SinkHistogramFamily,
  read: () => HistogramValues,
): void {
  new ScrapedHistogram(
    {
      name: family.name,
      help: family.help,
      labelNames: ['sink'],
      buckets: [...family.bounds],
      registers: [registry],
      aggregator: 'sum',
    },
    read,
  );
}

/**
 * A histogram whose buckets, sum and count are a sink's own since start, read at each scrape. prom-client's
 * Histogram builds both the text (registry) and get() (cluster workers' JSON) from getForPromString().
 */
class ScrapedHistogram extends Histogram {
  private readonly head: { name: string; help: string; type: 'histogram'; aggregator: Aggregator };

  constructor(
    options: ConstructorParameters<typeof Histogram>[0],
    private readonly read: () => HistogramValues,
  ) {
    super(options);
    this.head = {
      name: options.name,
      help: options.help,
      type: 'histogram',
      aggregator: options.aggregator ?? 'sum',
    };
  }

  async getForPromString(): Promise<typeof this.head & { values: HistogramValues }> {
    return { ...this.head, values: this.read() };
  }
}
