import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTY, readPublished, SESSION, tempDir } from '../support/collector.js';
import { startCli } from '../support/cli.js';
import { findPromtool, parseExposition, promtoolCheck } from '../support/prometheus-text.js';
import { waitFor } from '../support/wait.js';

describe('server.workers', () => {
  it(
    'spreads requests over worker processes, sums their metrics and drains them all on SIGTERM',
    { timeout: 60_000 },
    async () => {
      const dir = tempDir();
      const cli = await startCli(['serve'], { FOOTFALL_WORKERS: '2' }, dir);
      // Give the second worker time to listen too: connections only go to listening workers.
      await waitFor(() => (cli.output().match(/footfall listening on/g) ?? []).length >= 2, {
        timeout: 15_000,
        interval: 100,
        message: 'both workers to listen',
      });
      const url = `${cli.address}/json?p=${encodeURIComponent(PARTY)}`;
      const sent: string[] = [];
      for (let batch = 0; batch < 30; batch++) {
        const statuses = await Promise.all(
          Array.from({ length: 10 }, (_, i) => {
            const eventId = `w-${batch}-${i}`;
            sent.push(eventId);
            // A fresh connection per request, so the round-robin reaches both workers.
            return fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', connection: 'close' },
              body: JSON.stringify({
                session_id: SESSION,
                event_id: eventId,
                is_new_party: false,
                is_new_session: false,
                client_timestamp_iso: '2026-11-26T10:00:00Z',
              }),
            }).then((r) => r.status);
          }),
        );
        expect(new Set(statuses)).toEqual(new Set([204]));
      }

      const admin = /"admin":"(http:\/\/[^"]+)","msg":"footfall primary/.exec(cli.output())?.[1];
      expect(admin).toBeDefined();
      const metrics = await (await fetch(`${admin}/metrics`)).text();
      expect(metrics).toContain('footfall_events_total{source="app",outcome="accepted",reason=""} 300');
      // Summed counters stay counters; a yes/no gauge is the worst worker's, not the sum.
      const families = parseExposition(metrics);
      const typeOf = (name: string) => families.find((f) => f.name === name)?.type;
      expect(typeOf('footfall_sink_offered_records_total')).toBe('counter');
      expect(typeOf('footfall_journal_fsyncs_total')).toBe('counter');
      expect(typeOf('footfall_file_sink_written_bytes_total')).toBe('counter');
      expect(metrics).toContain('footfall_sink_offered_records_total{sink="files"} 300');
      expect(metrics).toContain('footfall_sink_ready{sink="files"} 1');
      expect(metrics).toMatch(/^footfall_build_info\{version="[^"]+",node_version="[^"]+"\} 1$/m);
      const promtool = findPromtool();
      if (promtool) expect(promtoolCheck(promtool, metrics)).toEqual({ status: 0, output: '' });
      const ready = await fetch(`${admin}/health/ready`);
      expect(ready.status).toBe(200);
      const checks = ((await ready.json()) as { checks: { name: string }[] }).checks.map((c) => c.name);
      expect(checks).toEqual(expect.arrayContaining(['worker:0:sink:files', 'worker:1:sink:files']));

      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      const published = path.join(dir, 'data', 'published');
      const pids = new Set(readdirSync(published).map((name) => name.split('-').at(-2)));
      expect(pids.size).toBe(2);
      const records = await readPublished(published);
      expect(records.map((r) => r.eventId).sort()).toEqual([...sent].sort());
    },
  );
});
