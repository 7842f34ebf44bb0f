/**
 * Prometheus metrics (prom-client). The two counters every request touches are kept as plain numbers
 * and handed to prom-client when Prometheus scrapes (see TallyByLabels); everything about sinks is read
 * from their stats() at scrape time too, not pushed per event.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Outcome, OutcomeCounter } from '../pipeline/index.js';
import type { Sink } from '../sinks/index.js';

export interface CollectorMetrics {
  readonly registry: Registry;
  /** Counts one answered request. `route` is the route pattern, never the raw URL (bounded labels). */
  countRequest(route: string, status: number): void;
}

const STANDARD_STATS = new Set(['offered', 'written', 'dropped', 'failed', 'queued']);

/** What the live inspector reports (src/inspector/); absent when it is off. */
export interface InspectorFigures {
  stats(): {
    readonly watchers: number;
    readonly shown: number;
    readonly sampledOut: number;
    readonly droppedForSlowClients: number;
  };
}

export function createMetrics(
  sinks: ReadonlyMap<string, Sink>,
  outcomes: OutcomeCounter,
  inspector?: InspectorFigures,
): CollectorMetrics {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds, heap and GC figures, open handles, CPU and RSS.
  collectDefaultMetrics({ register: registry, prefix: 'footfall_' });

  const requests = new TallyByLabels(registry, {
    name: 'footfall_http_requests_total',
    help: 'Requests answered, by route pattern and HTTP status.',
    labelNames: ['route', 'status'],
  });
  const events = new TallyByLabels(registry, {
    name: 'footfall_events_total',
    help: 'Events by source and outcome (accepted, invalid, discarded, dropped, failed) and reason.',
    labelNames: ['source', 'outcome', 'reason'],
  });
  outcomes.onOutcome((outcome: Outcome, source: string, count: number) => {
    events.add(source, outcome.kind, outcome.kind === 'accepted' ? '' : outcome.reason, count);
  });

  const sinkCounter = (name: string, help: string, stat: 'offered' | 'written' | 'dropped' | 'failed') =>
    new Gauge({
      // Gauges fed from monotonic stats: prom-client counters cannot be set to an absolute value.
      name,
      help,
      labelNames: ['sink'],
      registers: [registry],
      collect() {
        for (const sink of sinks.values()) this.set({ sink: sink.name }, sink.stats()[stat]);
      },
    });
  sinkCounter(
    'footfall_sink_offered_records',
    'Records offered to the sink since start (monotonic).',
    'offered',
  );
  sinkCounter(
    'footfall_sink_written_records',
    'Records the sink has durably written or delivered (monotonic).',
    'written',
  );
  sinkCounter('footfall_sink_dropped_records', 'Records the sink refused or lost (monotonic).', 'dropped');
  sinkCounter(
    'footfall_sink_failed_records',
    'Records whose write failed at least once (monotonic).',
    'failed',
  );
  new Gauge({
    name: 'footfall_sink_queue_depth',
    help: 'Records waiting in the sink’s in-memory queue.',
    labelNames: ['sink'],
    registers: [registry],
    collect() {
      for (const sink of sinks.values()) this.set({ sink: sink.name }, sink.stats().queued);
    },
  });
  new Gauge({
    name: 'footfall_sink_ready',
    help: '1 when the sink can take records, 0 when it reports a problem.',
    labelNames: ['sink'],
    registers: [registry],
    collect() {
      for (const sink of sinks.values()) this.set({ sink: sink.name }, sink.health().ready ? 1 : 0);
    },
  });
  // Sink-specific figures (file-sink I/O errors, spool bytes, Kafka batches and send latency, ...)
  // without a metric per sink type: every other numeric stat, labelled by its name.
  new Gauge({
    name: 'footfall_sink_stat',
    help: 'Sink-specific statistics by name, e.g. ioErrors, filesPublished, spoolBytes, batches.',
    labelNames: ['sink', 'stat'],
    registers: [registry],
    collect() {
      for (const sink of sinks.values()) {
        for (const [stat, value] of Object.entries(sink.stats())) {
          if (!STANDARD_STATS.has(stat) && typeof value === 'number' && Number.isFinite(value)) {
            this.set({ sink: sink.name, stat }, value);
          }
        }
      }
    },
  });

  if (inspector) {
    new Gauge({
      name: 'footfall_inspector_watchers',
      help: 'Pages and `footfall tail` processes watching the live inspector.',
      registers: [registry],
      collect() {
        this.set(inspector.stats().watchers);
      },
    });
    new Gauge({
      name: 'footfall_inspector_events',
      help: 'Events the inspector showed, sampled out (over maxEventsPerSecond) or dropped for a slow client (monotonic).',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        const stats = inspector.stats();
        this.set({ result: 'shown' }, stats.shown);
        this.set({ result: 'sampled_out' }, stats.sampledOut);
        this.set({ result: 'dropped_slow_client' }, stats.droppedForSlowClients);
      },
    });
  }

  return {
    registry,
    countRequest(route, status) {
      requests.add(route, status, '', 1);
    },
  };
}

/**
 * A prom-client counter whose counts live in plain numbers until a scrape. prom-client's own inc()
 * builds a label string and checks the labels on every call: about 0.4 µs, and a pixel made two such
 * calls (request and event). Here a count is three Map look-ups by values the callers reuse (route
 * and status, or source, outcome kind and reason) and builds no string. Up to three label values;
 * `third` is '' when the metric has two labels.
 */
class TallyByLabels {
  private readonly counts = new Map<string, Map<string | number, Map<string, number>>>();

  constructor(
    registry: Registry,
    options: { readonly name: string; readonly help: string; readonly labelNames: readonly string[] },
  ) {
    const counts = this.counts;
    const names = options.labelNames;
    new Counter({
      ...options,
      labelNames: [...names],
      registers: [registry],
      // Totals since start: reset and set again at each scrape, so the counter stays monotonic.
      collect() {
        this.reset();
        for (const [first, bySecond] of counts) {
          for (const [second, byThird] of bySecond) {
            for (const [third, count] of byThird) {
              const values = [first, String(second), third];
              this.inc(Object.fromEntries(names.map((name, i) => [name, values[i]!])), count);
            }
          }
        }
      },
    });
  }

  add(first: string, second: string | number, third: string, count: number): void {
    let bySecond = this.counts.get(first);
    if (bySecond === undefined) this.counts.set(first, (bySecond = new Map()));
    let byThird = bySecond.get(second);
    if (byThird === undefined) bySecond.set(second, (byThird = new Map()));
    byThird.set(third, (byThird.get(third) ?? 0) + count);
  }
}
