/**
 * Prometheus metrics (prom-client). Counters on the request path are label children cached per
 * (route, status) so a request costs one Map look-up and one increment; everything about sinks is
 * read from their stats() when Prometheus scrapes, not pushed per event.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics, type Counter as CounterType } from 'prom-client';
import type { Outcome, OutcomeCounter } from '../pipeline/index.js';
import type { Sink } from '../sinks/index.js';

export interface CollectorMetrics {
  readonly registry: Registry;
  /** Counts one answered request. `route` is the route pattern, never the raw URL (bounded labels). */
  countRequest(route: string, status: number): void;
}

const STANDARD_STATS = new Set(['offered', 'written', 'dropped', 'failed', 'queued']);

export function createMetrics(sinks: ReadonlyMap<string, Sink>, outcomes: OutcomeCounter): CollectorMetrics {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds, heap and GC figures, open handles, CPU and RSS.
  collectDefaultMetrics({ register: registry, prefix: 'footfall_' });

  const requests = new Counter({
    name: 'footfall_http_requests_total',
    help: 'Requests answered, by route pattern and HTTP status.',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'footfall_events_total',
    help: 'Events by source and outcome (accepted, invalid, discarded, dropped, failed) and reason.',
    labelNames: ['source', 'outcome', 'reason'],
    registers: [registry],
  });
  const children = new Map<string, ReturnType<CounterType['labels']>>();
  outcomes.onOutcome((outcome: Outcome, source: string) => {
    const reason = outcome.kind === 'accepted' ? '' : outcome.reason;
    const key = `${source}\u0000${outcome.kind}\u0000${reason}`;
    let child = children.get(key);
    if (!child) {
      child = events.labels(source, outcome.kind, reason);
      children.set(key, child);
    }
    child.inc();
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

  const requestChildren = new Map<string, ReturnType<CounterType['labels']>>();
  return {
    registry,
    countRequest(route, status) {
      const key = `${route}\u0000${status}`;
      let child = requestChildren.get(key);
      if (!child) {
        child = requests.labels(route, String(status));
        requestChildren.set(key, child);
      }
      child.inc();
    },
  };
}
