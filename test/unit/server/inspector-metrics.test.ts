import { describe, expect, it } from 'vitest';
import { OutcomeCounter } from '../../../src/pipeline/index.js';
import { createMetrics } from '../../../src/server/metrics.js';

describe('the inspector metrics', () => {
  it('are absent while the inspector is off', async () => {
    const text = await createMetrics(new Map(), new OutcomeCounter()).registry.metrics();
    expect(text).not.toContain('footfall_inspector');
  });

  it('read the inspector at scrape time: watchers, and a counter by result', async () => {
    let stats = { watchers: 1, shown: 3, sampledOut: 40, droppedForSlowClients: 5 };
    const { registry } = createMetrics(new Map(), new OutcomeCounter(), { stats: () => stats });
    let text = await registry.metrics();
    expect(text).toContain('footfall_inspector_watchers 1');
    expect(text).toContain('# TYPE footfall_inspector_events_total counter');
    expect(text).toContain('footfall_inspector_events_total{result="shown"} 3');
    expect(text).toContain('footfall_inspector_events_total{result="sampled_out"} 40');
    expect(text).toContain('footfall_inspector_events_total{result="dropped_slow_client"} 5');
    stats = { watchers: 0, shown: 7, sampledOut: 40, droppedForSlowClients: 5 };
    text = await registry.metrics();
    expect(text).toContain('footfall_inspector_watchers 0');
    expect(text).toContain('footfall_inspector_events_total{result="shown"} 7');
  });
});
