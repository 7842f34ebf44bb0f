/**
 * The request and event counters count in plain numbers and reach prom-client only when scraped
 * (src/server/metrics.ts); these tests hold the scraped text to what prom-client's own counters said.
 * The sinks' families are read from the sinks at scrape time (src/server/sink-metrics.ts): here from
 * a memory sink that reports the Kafka sink's and the journal's real figures.
 */
import { AggregatorRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ACCEPTED, OutcomeCounter } from '../../../src/pipeline/index.js';
import { createMetrics } from '../../../src/server/metrics.js';
import type { SinkFigure } from '../../../src/sinks/figures.js';
import { MemorySink } from '../../../src/sinks/index.js';
import { journalFigures } from '../../../src/sinks/journal/figures.js';
import { journalStats } from '../../../src/sinks/journal/journal.js';
import { KafkaStats } from '../../../src/sinks/kafka/stats.js';

function setUp() {
  const outcomes = new OutcomeCounter();
  const metrics = createMetrics(new Map(), outcomes);
  const scrape = async (name: string): Promise<string[]> =>
    (await metrics.registry.getSingleMetricAsString(name))
      .split('\n')
      .filter((line) => !line.startsWith('#'));
  return { outcomes, metrics, scrape };
}

describe('collector metrics', () => {
  it('count events by source, outcome and reason', async () => {
    const { outcomes, scrape } = setUp();
    for (let i = 0; i < 3; i++) outcomes.record(ACCEPTED, 'browser');
    outcomes.record({ kind: 'invalid', reason: 'bad_identifier', detail: 'p is missing' }, 'browser');
    outcomes.record({ kind: 'invalid', reason: 'bad_identifier', detail: 'other words' }, 'browser');
    outcomes.record({ kind: 'dropped', reason: 'queue_full' }, 'browser');
    outcomes.record(ACCEPTED, 'app');
    // A request refused as a whole counts all its events at once.
    outcomes.record({ kind: 'invalid', reason: 'too_large' }, 'app', 65);

    expect((await scrape('footfall_events_total')).sort()).toEqual([
      'footfall_events_total{source="app",outcome="accepted",reason=""} 1',
      'footfall_events_total{source="app",outcome="invalid",reason="too_large"} 65',
      'footfall_events_total{source="browser",outcome="accepted",reason=""} 3',
      'footfall_events_total{source="browser",outcome="dropped",reason="queue_full"} 1',
      'footfall_events_total{source="browser",outcome="invalid",reason="bad_identifier"} 2',
    ]);
  });

  it('count requests by route and status', async () => {
    const { metrics, scrape } = setUp();
    metrics.countRequest('/csc-event', 200);
    metrics.countRequest('/csc-event', 200);
    metrics.countRequest('/csc-event', 304);
    metrics.countRequest('unmatched', 404);

    expect((await scrape('footfall_http_requests_total')).sort()).toEqual([
      'footfall_http_requests_total{route="/csc-event",status="200"} 2',
      'footfall_http_requests_total{route="/csc-event",status="304"} 1',
      'footfall_http_requests_total{route="unmatched",status="404"} 1',
    ]);
  });

  it('show totals since start at every scrape, never what came since the last one', async () => {
    const { outcomes, metrics, scrape } = setUp();
    outcomes.record(ACCEPTED, 'browser');
    metrics.countRequest('/csc-event', 200);
    await scrape('footfall_events_total');
    await scrape('footfall_http_requests_total');

    outcomes.record(ACCEPTED, 'browser');
    outcomes.record(ACCEPTED, 'browser');
    metrics.countRequest('/csc-event', 200);
    expect(await scrape('footfall_events_total')).toEqual([
      'footfall_events_total{source="browser",outcome="accepted",reason=""} 3',
    ]);
    // A second scrape with nothing new in between shows the same totals.
    expect(await scrape('footfall_events_total')).toEqual([
      'footfall_events_total{source="browser",outcome="accepted",reason=""} 3',
    ]);
    expect(await scrape('footfall_http_requests_total')).toEqual([
      'footfall_http_requests_total{route="/csc-event",status="200"} 2',
    ]);
  });

  it('keep the metric type a counter', async () => {
    const { metrics } = setUp();
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE footfall_events_total counter');
    expect(text).toContain('# TYPE footfall_http_requests_total counter');
  });
});

/** A memory sink that reports what a Kafka sink would: its send counters and a journal. */
class ReportingSink extends MemorySink {
  readonly kafka = new KafkaStats();
  reachable = true;
  journal = { ...journalStats(null) };

  figures(): SinkFigure[] {
    return [...this.kafka.figures(this.reachable), ...journalFigures(this.journal, 10_000)];
  }
}

function sinkMetrics(sink: ReportingSink) {
  const metrics = createMetrics(new Map([[sink.name, sink]]), new OutcomeCounter());
  const lines = async (name: string): Promise<string[]> =>
    (await metrics.registry.getSingleMetricAsString(name)).split('\n');
  return { metrics, lines };
}

describe('sink metrics', () => {
  it('give every figure its own family: counters as totals, gauges as they are, latency as a histogram', async () => {
    const sink = new ReportingSink({ name: 'kafka' });
    await sink.start();
    sink.offer({ key: null, value: Buffer.from('x'), timestamp: 0 });
    sink.kafka.sent(10, 3);
    sink.kafka.sent(5, 40);
    sink.kafka.sendErrors = 2;
    sink.journal = { ...sink.journal, records: 7, bytes: 700, oldestUnacknowledgedAt: 7_500 };
    const { lines } = sinkMetrics(sink);

    expect(await lines('footfall_sink_offered_records_total')).toEqual([
      '# HELP footfall_sink_offered_records_total Records offered to the sink.',
      '# TYPE footfall_sink_offered_records_total counter',
      'footfall_sink_offered_records_total{sink="kafka"} 1',
    ]);
    expect(await lines('footfall_kafka_batches_total')).toContain(
      'footfall_kafka_batches_total{sink="kafka"} 2',
    );
    expect(await lines('footfall_kafka_send_errors_total')).toContain(
      'footfall_kafka_send_errors_total{sink="kafka"} 2',
    );
    expect(await lines('footfall_journal_records')).toContain('# TYPE footfall_journal_records gauge');
    expect(await lines('footfall_journal_records')).toContain('footfall_journal_records{sink="kafka"} 7');
    expect(await lines('footfall_journal_oldest_unacknowledged_age_seconds')).toContain(
      'footfall_journal_oldest_unacknowledged_age_seconds{sink="kafka"} 2.5',
    );
    const histogram = await lines('footfall_kafka_send_duration_seconds');
    expect(histogram).toContain('# TYPE footfall_kafka_send_duration_seconds histogram');
    expect(histogram).toEqual(
      expect.arrayContaining([
        'footfall_kafka_send_duration_seconds_bucket{sink="kafka",le="0.002"} 0',
        'footfall_kafka_send_duration_seconds_bucket{sink="kafka",le="0.005"} 1',
        'footfall_kafka_send_duration_seconds_bucket{sink="kafka",le="0.025"} 1',
        'footfall_kafka_send_duration_seconds_bucket{sink="kafka",le="0.05"} 2',
        'footfall_kafka_send_duration_seconds_bucket{sink="kafka",le="+Inf"} 2',
        'footfall_kafka_send_duration_seconds_sum{sink="kafka"} 0.043',
        'footfall_kafka_send_duration_seconds_count{sink="kafka"} 2',
      ]),
    );
  });

  it('follow the sink between scrapes, and no old catch-all family remains', async () => {
    const sink = new ReportingSink({ name: 'kafka' });
    const { metrics, lines } = sinkMetrics(sink);
    expect(await lines('footfall_kafka_batches_total')).toContain(
      'footfall_kafka_batches_total{sink="kafka"} 0',
    );
    sink.kafka.sent(1, 1);
    sink.reachable = false;
    expect(await lines('footfall_kafka_batches_total')).toContain(
      'footfall_kafka_batches_total{sink="kafka"} 1',
    );
    expect(await lines('footfall_kafka_broker_reachable')).toContain(
      'footfall_kafka_broker_reachable{sink="kafka"} 0',
    );
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('footfall_sink_stat');
    expect(text).not.toMatch(/^# TYPE \S+_total gauge/m);
  });

  it('combine across cluster workers: totals and histograms add up, readiness is the worst, age the oldest', async () => {
    const workers = [new ReportingSink({ name: 'kafka' }), new ReportingSink({ name: 'kafka' })];
    const [first, second] = workers as [ReportingSink, ReportingSink];
    first.kafka.sent(10, 3);
    second.kafka.sent(10, 3);
    second.kafka.sent(10, 700);
    second.reachable = false;
    first.journal = { ...first.journal, records: 1, oldestUnacknowledgedAt: 9_000 };
    second.journal = { ...second.journal, records: 2, oldestUnacknowledgedAt: 4_000 };
    await first.start();
    const registries = workers.map((sink) => sinkMetrics(sink).metrics.registry);
    // What the cluster primary does with its workers' answers (src/collector/cluster.ts).
    const combined = AggregatorRegistry.aggregate(
      await Promise.all(registries.map((registry) => registry.getMetricsAsJSON())),
    );
    const text = await combined.metrics();
    expect(text).toContain('footfall_kafka_batches_total{sink="kafka"} 3');
    expect(text).toContain('footfall_kafka_broker_reachable{sink="kafka"} 0');
    expect(text).toContain('footfall_sink_ready{sink="kafka"} 0');
    expect(text).toContain('footfall_journal_records{sink="kafka"} 3');
    expect(text).toContain('footfall_journal_oldest_unacknowledged_age_seconds{sink="kafka"} 6');
    expect(text).toContain('# TYPE footfall_kafka_send_duration_seconds histogram');
    expect(text).toContain('footfall_kafka_send_duration_seconds_bucket{sink="kafka",le="0.005"} 2');
    expect(text).toContain('footfall_kafka_send_duration_seconds_bucket{sink="kafka",le="+Inf"} 3');
    expect(text).toContain('footfall_kafka_send_duration_seconds_count{sink="kafka"} 3');
    expect(text).toMatch(/^footfall_build_info\{version="[^"]+",node_version="[^"]+"\} 1$/m);
  });
});
