// The Kafka sink against a real broker (the run-wide one), through the compiled CLI as a child process.
import { afterAll, describe, expect, it } from 'vitest';
import { Partitioners } from 'kafkajs';
import { runCli, startCli, type CliProcess } from '../support/cli.js';
import { tempDir } from '../support/collector.js';
import { uniqueTopic, useKafka, type KafkaForTests } from '../support/kafka.js';
import { byParty, consumeAll, eventId, partyId, sendEvents, writeKafkaConfig } from './kafka-sink-support.js';

const kafka = await useKafka();
const skipReason = 'skip' in kafka ? kafka.skip : undefined;
const children: CliProcess[] = [];

function available(): KafkaForTests {
  if ('skip' in kafka) throw new Error(kafka.skip);
  return kafka;
}

afterAll(async () => {
  for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  await ('skip' in kafka ? undefined : kafka.stop?.());
});

async function collector(configFile: string, dir: string): Promise<CliProcess> {
  const cli = await startCli(
    ['serve', '--config', configFile],
    { FOOTFALL_KAFKA_BROKERS: available().brokers.join(','), FOOTFALL_LOG_LEVEL: 'info' },
    dir,
  );
  children.push(cli);
  return cli;
}

describe.skipIf(skipReason !== undefined)(`the Kafka sink${skipReason ? ` — ${skipReason}` : ''}`, () => {
  it('delivers 10,000 JSON events exactly once, in order per party, keyed by party id', async () => {
    const topic = uniqueTopic('sink-10k');
    await available().createTopic(topic, 3);
    const dir = tempDir();
    const cli = await collector(writeKafkaConfig(dir, topic), dir);
    const startedAt = Date.now();
    const load = await sendEvents(cli.address, 40, 250);
    expect(load.statuses).toEqual(new Map([[204, 10_000]]));

    const records = await consumeAll(available().brokers, topic, 10_000);
    expect(records).toHaveLength(10_000);
    expect(new Set(records.map((r) => r.eventId)).size).toBe(10_000);
    const seen = byParty(records);
    for (let party = 0; party < 40; party++) {
      expect(seen.get(partyId(party))).toEqual(Array.from({ length: 250 }, (_, seq) => eventId(party, seq)));
    }
    // Three partitions, not a power of two: where a partitioner that is not Java's murmur2 goes astray.
    // kafkajs's default partitioner is Java's and shares no code with the collector's.
    const javaPartition = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
    }));
    for (const record of records) {
      expect(record.key).toBe(record.partyId);
      expect(record.partition).toBe(
        javaPartition({ topic, partitionMetadata, message: { key: record.key, value: null } }),
      );
      expect(record.timestamp).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(record.timestamp).toBeLessThanOrEqual(Date.now());
    }

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toMatch(/"outcomes":\{"accepted":10000\}/);
  }, 120_000);

  it('loses nothing on SIGTERM: records still waiting for their batch are sent before exit', async () => {
    const topic = uniqueTopic('sink-sigterm');
    await available().createTopic(topic, 3);
    const dir = tempDir();
    // A linger far beyond the test: only the shutdown drain can send these records.
    const cli = await collector(
      writeKafkaConfig(dir, topic, ', batch: { maxRecords: 100000, linger: 10m }'),
      dir,
    );
    const load = await sendEvents(cli.address, 10, 50);
    expect(load.statuses).toEqual(new Map([[204, 500]]));
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toMatch(/"written":500,"journaled":0,"dropped":0/);

    const records = await consumeAll(available().brokers, topic, 500);
    expect(new Set(records.map((r) => r.eventId)).size).toBe(500);
    expect(records).toHaveLength(500);
  }, 120_000);

  it('creates a missing topic when createTopic is set, and frames values for Druid', async () => {
    const topic = uniqueTopic('sink-create');
    const dir = tempDir();
    const cli = await collector(
      writeKafkaConfig(dir, topic, ', createTopic: true, framing: druid-inline, schemaId: 7'),
      dir,
    );
    const load = await sendEvents(cli.address, 2, 5);
    expect(load.statuses).toEqual(new Map([[204, 10]]));
    const records = await consumeAll(available().brokers, topic, 10, { framingBytes: 5 });
    expect(records.map((r) => r.eventId).sort()).toEqual(
      [0, 1].flatMap((p) => [0, 1, 2, 3, 4].map((s) => eventId(p, s))).sort(),
    );
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 120_000);

  it('refuses to start on a missing topic with FOOTFALL_ERR_KAFKA_TOPIC and exit code 1', async () => {
    const topic = uniqueTopic('sink-missing');
    const dir = tempDir();
    const file = writeKafkaConfig(dir, topic);
    const { code, output } = await runCli(
      ['serve', '--config', file],
      {
        FOOTFALL_KAFKA_BROKERS: available().brokers.join(','),
        FOOTFALL_HOST: '127.0.0.1',
        FOOTFALL_PORT: '0',
      },
      dir,
    );
    expect(code).toBe(1);
    expect(output).toContain('FOOTFALL_ERR_KAFKA_TOPIC');
    expect(output).toContain(`topic \\"${topic}\\" does not exist on ${available().brokers.join(',')}`);
  }, 60_000);
});

describe('the JSON source in front of a Kafka sink whose memory and spool are full', () => {
  it('answers 503 so apps retry, turns readiness red and logs the drops once per burst', async () => {
    const dir = tempDir();
    const file = writeKafkaConfig(
      dir,
      'never-reached',
      ', queue: { maxRecords: 5 }, spool: { maxBytes: 8kb }',
    );
    // Nothing listens on the discard port: Kafka is unreachable from the start.
    const cli = await startCli(['serve', '--config', file], { FOOTFALL_KAFKA_BROKERS: '127.0.0.1:9' }, dir);
    children.push(cli);
    const load = await sendEvents(cli.address, 1, 60);
    expect(load.statuses.get(204)).toBeGreaterThan(5);
    expect(load.statuses.get(503)).toBeGreaterThan(0);
    expect((load.statuses.get(204) ?? 0) + (load.statuses.get(503) ?? 0)).toBe(60);
    const ready = await fetch(`${cli.address}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
    // Why is for operators: the checks are on the admin listener only.
    const admin = /"admin":"(http:\/\/[^"]+)"/.exec(cli.output())?.[1];
    const details = await fetch(`${admin}/health/ready`);
    expect(details.status).toBe(503);
    expect(JSON.stringify(await details.json())).toMatch(/unreachable/);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    // The first drop at once, the rest of the burst summed into one more line (at the latest at exit).
    expect(load.statuses.get(503)).toBeGreaterThan(10);
    expect(cli.output().match(/records dropped/g)?.length).toBeLessThanOrEqual(2);
    expect(cli.output()).toMatch(/records left in the journal are sent at the next start/);
  }, 60_000);
});
