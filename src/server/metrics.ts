/**
 * Prometheus metrics (prom-client), named the Prometheus way: counters end in `_total`, units in the
 * name (seconds, bytes, records), one family per meaning; docs/metrics.md lists them all. The two
 * counters every request touches are kept as plain numbers and handed to prom-client when Prometheus
 * scrapes (see TallyByLabels); everything about sinks is read from the sinks at scrape time too
 * (sink-metrics.ts), not pushed per event.
 */
import { readFileSync } from 'node:fs';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Outcome, OutcomeCounter } from '../pipeline/index.js';
import type { Sink } from '../sinks/index.js';
import { registerSinkMetrics } from './sink-metrics.js';

export interface CollectorMetrics {
  readonly registry: Registry;
  /** Counts one answered request. `route` is the route pattern, never the raw URL (bounded labels). */
  countRequest(route: string, status: number): void;
}

/**
 * prom-client's default gauges that end in `_total`, which promtool rejects ("non-counter metrics
 * should not have _total suffix"); `sum(nodejs_active_handles)` and the like give the same totals.
 */
const NOT_PROMETHEUS_NAMED = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

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
  // Unprefixed, as standard Node.js dashboards expect: process_cpu_seconds_total,
  // nodejs_eventloop_lag_seconds, heap and GC figures, open handles, RSS.
  collectDefaultMetrics({ register: registry });
  for (const name of NOT_PROMETHEUS_NAMED) registry.removeSingleMetric(name);

  new Gauge({
    name: 'footfall_build_info',
    help: 'Always 1; the labels say which Footfall and which Node.js run.',
    labelNames: ['version', 'node_version'],
    registers: [registry],
    aggregator: 'first',
  }).set({ version: footfallVersion(), node_version: process.versions.node }, 1);

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

  registerSinkMetrics(registry, sinks);

  if (inspector) {
    new Gauge({
      name: 'footfall_inspector_watchers',
      help: 'Pages and `footfall tail` processes watching the live inspector.',
      registers: [registry],
      collect() {
        this.set(inspector.stats().watchers);
      },
    });
    new Counter({
      name: 'footfall_inspector_events_total',
      help: 'Events the inspector showed, sampled out (over maxEventsPerSecond) or dropped for a slow client.',
      labelNames: ['result'],
      registers: [registry],
      // Totals the inspector keeps, set again at each scrape so the counter stays monotonic.
      collect() {
        const stats = inspector.stats();
        this.reset();
        this.inc({ result: 'shown' }, stats.shown);
        this.inc({ result: 'sampled_out' }, stats.sampledOut);
        this.inc({ result: 'dropped_slow_client' }, stats.droppedForSlowClients);
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

/** The version in package.json, which the container image ships beside dist/ as well. */
function footfallVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
