import { describe, expect, it } from 'vitest';
import { PARTY, SESSION, tempDir } from '../support/collector.js';
import { startCli } from '../support/cli.js';
import { pixelQuery } from '../support/pixel.js';

describe('metrics on the admin listener', () => {
  it('count requests by route and status, events by outcome, and sink figures, never on the public port', async () => {
    const cli = await startCli(['serve'], {}, tempDir());
    try {
      const admin = /"admin":"(http:\/\/[^"]+)"/.exec(cli.output())?.[1];
      expect(admin).toBeDefined();
      await fetch(`${cli.address}/csc-event?${pixelQuery()}`);
      await fetch(`${cli.address}/csc-event?p=broken`);
      await fetch(`${cli.address}/json?p=${encodeURIComponent(PARTY)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          session_id: SESSION,
          event_id: 'm-1',
          is_new_party: false,
          is_new_session: false,
          client_timestamp_iso: '2026-11-26T10:00:00Z',
        }),
      });
      await fetch(`${cli.address}/no/such/page`);

      expect((await fetch(`${cli.address}/metrics`)).status).toBe(404);
      const response = await fetch(`${admin}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      expect(text).toContain('footfall_http_requests_total{route="/csc-event",status="200"} 2');
      expect(text).toContain('footfall_http_requests_total{route="/json",status="204"} 1');
      expect(text).toContain('footfall_http_requests_total{route="unmatched",status="404"} 2');
      expect(text).toContain('footfall_events_total{source="browser",outcome="accepted",reason=""} 1');
      expect(text).toContain(
        'footfall_events_total{source="browser",outcome="invalid",reason="bad_identifier"} 1',
      );
      expect(text).toContain('footfall_events_total{source="app",outcome="accepted",reason=""} 1');
      expect(text).toMatch(/footfall_sink_offered_records\{sink="files"\} 2/);
      expect(text).toMatch(/footfall_sink_ready\{sink="files"\} 1/);
      expect(text).toMatch(/footfall_sink_queue_depth\{sink="files"\} \d+/);
      expect(text).toMatch(/footfall_nodejs_eventloop_lag_seconds \d/);
      expect((await fetch(`${admin}/health/ready`)).status).toBe(200);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });
});
