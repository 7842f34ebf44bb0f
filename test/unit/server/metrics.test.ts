/**
 * The request and event counters count in plain numbers and reach prom-client only when scraped
 * (src/server/metrics.ts); these tests hold the scraped text to what prom-client's own counters said.
 */
import { describe, expect, it } from 'vitest';
import { ACCEPTED, OutcomeCounter } from '../../../src/pipeline/index.js';
import { createMetrics } from '../../../src/server/metrics.js';

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
