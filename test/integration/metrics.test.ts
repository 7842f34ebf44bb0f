import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTY, SESSION, tempDir } from '../support/collector.js';
import { ROOT, startCli, type CliProcess } from '../support/cli.js';
import { uniqueTopic, useKafka, type KafkaForTests } from '../support/kafka.js';
import { pixelQuery } from '../support/pixel.js';
import { findPromtool, parseExposition, promtoolCheck, type Family } from '../support/prometheus-text.js';
import { waitFor } from '../support/wait.js';

const adminOf = (cli: CliProcess): string => {
  const admin = /"admin":"(http:\/\/[^"]+)"/.exec(cli.output())?.[1];
  if (!admin) throw new Error(`no admin address in the output:\n${cli.output()}`);
  return admin;
};

const postJson = (address: string, eventId: string): Promise<Response> =>
  fetch(`${address}/json?p=${encodeURIComponent(PARTY)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      session_id: SESSION,
      event_id: eventId,
      is_new_party: false,
      is_new_session: false,
      client_timestamp_iso: '2026-11-26T10:00:00Z',
    }),
  });

describe('metrics on the admin listener', () => {
  it('count requests by route and status, events by outcome, and sink figures, never on the public port', async () => {
    const cli = await startCli(['serve'], {}, tempDir());
    try {
      const admin = adminOf(cli);
      await fetch(`${cli.address}/csc-event?${pixelQuery()}`);
      await fetch(`${cli.address}/csc-event?p=broken`);
      await postJson(cli.address, 'm-1');
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
      expect(text).toContain('footfall_sink_offered_records_total{sink="files"} 2');
      expect(text).toContain('footfall_sink_ready{sink="files"} 1');
      expect(text).toMatch(/footfall_sink_queued_records\{sink="files"\} \d+/);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
      expect((await fetch(`${admin}/health/ready`)).status).toBe(200);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });
});

const kafka = await useKafka();
const kafkaSkip = 'skip' in kafka ? kafka.skip : undefined;
const promtool = findPromtool();
// CI installs promtool (.ci/run); without it there the promtool test runs and fails, never skips.
const promtoolSkip =
  promtool === null && !process.env.CI
    ? ' — skipped: promtool is not installed (Debian package `prometheus`, as .ci/run installs it)'
    : '';

/**
 * The whole exposition of a collector with a file sink and a Kafka sink on a real broker, after real
 * events went through both, read by an independent Prometheus text parser.
 */
describe.skipIf(kafkaSkip !== undefined)(
  `the exposition, named the Prometheus way${kafkaSkip ? ` — ${kafkaSkip}` : ''}`,
  () => {
    let cli: CliProcess | undefined;
    let text = '';
    let families: Family[] = [];
    const family = (name: string): Family => {
      const found = families.find((f) => f.name === name);
      if (!found) throw new Error(`no family ${name} in the exposition`);
      return found;
    };
    const valueOf = (name: string, labels: Record<string, string>): number | undefined =>
      family(name).samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

    beforeAll(async () => {
      const broker = kafka as KafkaForTests;
      const topic = uniqueTopic('metrics');
      await broker.createTopic(topic, 3);
      const dir = tempDir();
      const file = path.join(dir, 'footfall.yaml');
      writeFileSync(
        file,
        [
          'server: { shutdownDelay: 0 }',
          'sources: { browser: { type: browser }, app: { type: json } }',
          `sinks: { files: { type: file }, kafka: { type: kafka, topic: ${topic} } }`,
          'mappings: { clicks: { sources: [browser, app], sinks: [files, kafka] } }',
          // On, so its families are in the exposition too (the admin listener is on loopback: no token).
          'inspector: { enabled: true }',
          '',
        ].join('\n'),
      );
      cli = await startCli(
        ['serve', '--config', file],
        { FOOTFALL_KAFKA_BROKERS: broker.brokers.join(',') },
        dir,
      );
      const admin = adminOf(cli);
      expect((await fetch(`${cli.address}/csc-event?${pixelQuery()}`)).status).toBe(200);
      expect((await postJson(cli.address, 'x-1')).status).toBe(204);
      expect((await postJson(cli.address, 'x-2')).status).toBe(204);
      await fetch(`${cli.address}/csc-event?p=broken`);
      // Kafka acknowledged all three records: the send histogram has observations to show.
      text = await waitFor(
        async () => {
          const scraped = await (await fetch(`${admin}/metrics`)).text();
          return scraped.includes('footfall_sink_written_records_total{sink="kafka"} 3') ? scraped : '';
        },
        { timeout: 20_000, interval: 100, message: 'the Kafka sink to have written 3 records' },
      );
      families = parseExposition(text);
    });

    afterAll(async () => {
      cli?.child.kill('SIGTERM');
      await cli?.exited;
    });

    it('gives every family a help text and a type, and counters, and only counters, a _total suffix', () => {
      expect(families.length).toBeGreaterThan(40);
      for (const f of families) {
        expect(f.help, f.name).not.toBe('');
        expect(['counter', 'gauge', 'histogram'], f.name).toContain(f.type);
        expect(f.name, `${f.name} (${f.type})`).toMatch(f.type === 'counter' ? /_total$/ : /^(?!.*_total$)/);
        expect(f.name).toMatch(/^[a-z][a-z0-9_]*$/);
      }
      const counters = families.filter((f) => f.type === 'counter').map((f) => f.name);
      expect(counters).toEqual(
        expect.arrayContaining([
          'footfall_events_total',
          'footfall_sink_written_records_total',
          'footfall_kafka_batches_total',
          'footfall_journal_fsyncs_total',
          'footfall_file_sink_io_errors_total',
          'process_cpu_seconds_total',
        ]),
      );
    });

    it('shows histograms as _bucket lines up to +Inf, _sum and _count, buckets cumulative', () => {
      const histograms = families.filter((f) => f.type === 'histogram');
      expect(histograms.map((f) => f.name)).toEqual(
        expect.arrayContaining(['footfall_kafka_send_duration_seconds', 'nodejs_gc_duration_seconds']),
      );
      for (const h of histograms) {
        expect(h.name).toMatch(/_(seconds|bytes)$/);
        for (const sample of h.samples) {
          const buckets = sample.buckets ?? [];
          expect(buckets.at(-1)?.[0], h.name).toBe('+Inf');
          expect(buckets.at(-1)?.[1], h.name).toBe(sample.count);
          for (let i = 1; i < buckets.length; i++) {
            expect(buckets[i]![1], `${h.name} le=${buckets[i]![0]}`).toBeGreaterThanOrEqual(
              buckets[i - 1]![1],
            );
          }
          expect(sample.sum, h.name).toBeGreaterThanOrEqual(0);
        }
      }
      for (const suffix of [
        '_bucket{sink="kafka",le="+Inf"} ',
        '_sum{sink="kafka"} ',
        '_count{sink="kafka"} ',
      ]) {
        expect(text).toContain(`footfall_kafka_send_duration_seconds${suffix}`);
      }
      const sends = family('footfall_kafka_send_duration_seconds').samples.find(
        (s) => s.labels.sink === 'kafka',
      );
      const batches = valueOf('footfall_kafka_batches_total', { sink: 'kafka' }) ?? 0;
      expect(batches).toBeGreaterThanOrEqual(1);
      expect(sends?.count).toBe(batches);
      expect(sends?.sum).toBeGreaterThan(0);
      // Seconds, not milliseconds: a local broker acknowledges a batch well within 10 s.
      expect(sends!.sum! / sends!.count!).toBeLessThan(10);
    });

    it('names units in base units, and gauges without one are 0/1 states or build info', () => {
      for (const f of families) {
        expect(f.name, 'no milli-, kilo- or percent units').not.toMatch(
          /_(ms|milliseconds|millis|us|microseconds|kb|kilobytes|mb|megabytes|percent|minutes|hours)(_|$)/,
        );
      }
      const footfallGauges = families.filter((f) => f.name.startsWith('footfall_') && f.type === 'gauge');
      for (const g of footfallGauges) {
        // A count of things names the things: records, segments, connected watchers.
        if (/_(seconds|bytes|records|segments|watchers)$/.test(g.name)) continue;
        if (g.name.endsWith('_info')) {
          expect(g.samples.map((s) => s.value)).toEqual([1]);
          continue;
        }
        expect(g.name).toMatch(/_(ready|reachable)$/);
        for (const s of g.samples) expect([0, 1], g.name).toContain(s.value);
      }
    });

    it('reads what the events did: outcomes, both sinks, the journal and the broker', () => {
      expect(valueOf('footfall_events_total', { source: 'app', outcome: 'accepted' })).toBe(2);
      expect(valueOf('footfall_events_total', { source: 'browser', outcome: 'accepted' })).toBe(1);
      expect(valueOf('footfall_events_total', { source: 'browser', outcome: 'invalid' })).toBe(1);
      expect(valueOf('footfall_sink_offered_records_total', { sink: 'files' })).toBe(3);
      expect(valueOf('footfall_sink_written_records_total', { sink: 'kafka' })).toBe(3);
      expect(valueOf('footfall_kafka_broker_reachable', { sink: 'kafka' })).toBe(1);
      expect(valueOf('footfall_kafka_send_errors_total', { sink: 'kafka' })).toBe(0);
      expect(valueOf('footfall_sink_ready', { sink: 'kafka' })).toBe(1);
      expect(valueOf('footfall_journal_records', { sink: 'kafka' })).toBe(0);
      expect(valueOf('footfall_journal_write_errors_total', { sink: 'kafka' })).toBe(0);
      expect(valueOf('footfall_journal_write_errors_total', { sink: 'files' })).toBe(0);
      expect(valueOf('footfall_file_sink_io_errors_total', { sink: 'files' })).toBe(0);
    });

    it('shows build info and the default process and Node.js metrics without a footfall_ prefix', () => {
      const version = (
        JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
      ).version;
      expect(family('footfall_build_info').samples).toEqual([
        { labels: { version, node_version: process.versions.node }, value: 1 },
      ]);
      expect(family('process_cpu_seconds_total').type).toBe('counter');
      expect(family('process_resident_memory_bytes').type).toBe('gauge');
      expect(family('nodejs_eventloop_lag_seconds').type).toBe('gauge');
      expect(families.filter((f) => /^footfall_(process|nodejs)_/.test(f.name))).toEqual([]);
      const prefixes = new Set(families.map((f) => f.name.split('_')[0]));
      expect([...prefixes].sort()).toEqual(['footfall', 'nodejs', 'process']);
    });

    it('is exactly what docs/metrics.md lists, with the documented types', () => {
      const documented = [
        ...readFileSync(path.join(ROOT, 'docs', 'metrics.md'), 'utf8').matchAll(
          /^\| `(footfall_[a-z0-9_]+)` \| (counter|gauge|histogram) \|/gm,
        ),
      ].map(([, name, type]) => `${name} ${type}`);
      const exposed = families
        .filter((f) => f.name.startsWith('footfall_'))
        .map((f) => `${f.name} ${f.type}`);
      expect(exposed.sort()).toEqual(documented.sort());
    });

    it.skipIf(promtoolSkip !== '')(`passes promtool check metrics${promtoolSkip}`, () => {
      if (promtool === null) throw new Error('promtool is not installed: apt-get install -y prometheus');
      expect(promtoolCheck(promtool, text)).toEqual({ status: 0, output: '' });
    });
  },
);
