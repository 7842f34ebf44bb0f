/**
 * The image as an operator runs it: non-root on a read-only root file system, /ping and its own
 * HEALTHCHECK command, pixel and JSON events stored both to Avro files on its volume and to a Kafka
 * broker on the host, and `podman stop` draining it with exit code 0 and its files published. It also
 * prints the sizing figures docs/deployment.md quotes (CPU per event, peak RSS, bytes per event).
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podman } from '../../scripts/container/image.mjs';
import { PARTY, SESSION } from '../support/collector.js';
import { uniqueTopic, useKafka, type KafkaForTests } from '../support/kafka.js';
import { pixelParams, pixelQuery } from '../support/pixel.js';
import { startLoad } from '../faults/support/load.js';
import { readPublished, readTopic } from '../faults/support/readers.js';
import {
  exec,
  image,
  logs,
  removeAll,
  runContainer,
  state,
  stopContainer,
  tempFolder,
  usage,
  type Container,
} from './support/containers.js';

let kafka: KafkaForTests;
let container: Container;
const topic = uniqueTopic('container');
const pixelIds = Array.from({ length: 20 }, (_, i) => `image-pixel-${i}`);
const jsonIds = Array.from({ length: 20 }, (_, i) => `image-json-${i}`);
let loadIds: string[] = [];

beforeAll(async () => {
  const answer = await useKafka();
  if ('skip' in answer) throw new Error(answer.skip);
  kafka = answer;
  await kafka.createTopic(topic, 1);
  const dir = tempFolder('image-config');
  const config = path.join(dir, 'footfall.yaml');
  writeFileSync(
    config,
    [
      'dataDir: /data',
      'sinks:',
      '  files: { type: file }',
      `  kafka: { type: kafka, topic: ${topic}, brokers: [${kafka.brokers.join(', ')}] }`,
      'mappings:',
      '  clicks: { sources: [browser, app], sinks: [files, kafka] }',
      '',
    ].join('\n'),
  );
  container = await runContainer({ prefix: 'image', configFile: config });
}, 120_000);

afterAll(async () => {
  removeAll();
  await kafka?.stop?.();
});

describe('the collector image', () => {
  it('runs as the non-root node user on a read-only root file system', () => {
    expect(podman(['image', 'inspect', '--format', '{{.Config.User}}', image()]).trim()).toBe('node');
    expect(exec(container.name, ['id', '-u']).output.trim()).toBe('1000');
    const write = exec(container.name, ['touch', '/app/written']);
    expect(write.code).not.toBe(0);
    expect(write.output).toMatch(/Read-only file system/);
    // The volume is the one place it writes.
    expect(exec(container.name, ['touch', '/data/written']).code).toBe(0);
  });

  it('answers /ping and reports healthy through its own HEALTHCHECK command', async () => {
    const ping = await fetch(`${container.base}/ping`);
    expect(ping.status).toBe(200);
    expect(await ping.text()).toBe('pong');
    // The image carries the HEALTHCHECK (built with --format docker); podman runs it on request.
    const check = JSON.parse(
      podman(['image', 'inspect', '--format', '{{json .Config.Healthcheck}}', image()]),
    );
    expect(check.Test.join(' ')).toContain('/health/ready');
    podman(['healthcheck', 'run', container.name]);
  });

  it('stores pixel and JSON events, and a load of all three kinds', async () => {
    for (const id of pixelIds) {
      const res = await fetch(`${container.base}/csc-event?${pixelQuery(pixelParams({ e: id }))}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-footfall-stored')).not.toBe('false');
    }
    for (const id of jsonIds) {
      const res = await fetch(`${container.base}/json?p=${encodeURIComponent(PARTY)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          session_id: SESSION,
          event_id: id,
          is_new_party: false,
          is_new_session: false,
          client_timestamp_iso: new Date().toISOString(),
          event_type: 'container',
          parameters: {},
        }),
      });
      expect(res.status).toBe(204);
    }
    const before = usage(container.name);
    const load = startLoad({
      target: container.base,
      runId: 'image-load',
      clients: 8,
      maxEvents: 4000,
      maxMs: 60_000,
    });
    const result = await load.done;
    const after = usage(container.name);
    expect(result.unanswered).toBe(0);
    expect(result.refused.size).toBe(0);
    loadIds = [...result.answered.keys()];
    expect(loadIds.length).toBeGreaterThanOrEqual(4000);
    const cpu = after.cpuSeconds - before.cpuSeconds;
    console.log(
      `SIZING one container, file + Kafka sinks: ${loadIds.length} events in ${result.durationMs} ms, ` +
        `${cpu.toFixed(2)} CPU s (${Math.round(loadIds.length / cpu)} events per CPU second), ` +
        `peak RSS ${(after.peakRssBytes / 1e6).toFixed(0)} MB`,
    );
  }, 90_000);

  it('drains on podman stop with exit code 0, its files published and Kafka holding every event', async () => {
    const stopStarted = Date.now();
    expect(await stopContainer(container.name), logs(container.name).slice(-3000)).toBe(0);
    const stopMs = Date.now() - stopStarted;
    expect(state(container.name).status).toBe('exited');
    expect(logs(container.name)).toMatch(/"msg":"stopped"/);

    const expected = [...pixelIds, ...jsonIds, ...loadIds];
    const published = await readPublished(path.join(container.dataDir, 'published'));
    expect(published.damaged).toEqual([]);
    const inFiles = new Set(published.records.map((r) => r.eventId));
    expect(expected.filter((id) => !inFiles.has(id))).toEqual([]);
    // Nothing left behind unpublished in the working folder.
    const working = readdirSync(path.join(container.dataDir, 'working')).filter((n) => n.endsWith('.avro'));
    expect(working).toEqual([]);

    const stored = await readTopic(kafka.brokers, topic, expected.length);
    const inKafka = new Set(stored.records.map((r) => r.eventId));
    expect(expected.filter((id) => !inKafka.has(id))).toEqual([]);

    const bytes = readdirSync(path.join(container.dataDir, 'published'))
      .map((name) => statSync(path.join(container.dataDir, 'published', name)).size)
      .reduce((a, b) => a + b, 0);
    console.log(
      `SIZING published Avro: ${published.records.length} records in ${bytes} bytes ` +
        `(${(((bytes / published.records.length) * 1e6) / 1e9).toFixed(2)} GB per million events, codec null); ` +
        `podman stop took ${stopMs} ms`,
    );
  }, 120_000);
});
