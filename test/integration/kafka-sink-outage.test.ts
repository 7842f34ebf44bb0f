// Zero loss through outages: a private broker (the shared one must not be killed under other tests)
// is SIGKILLed and restarted under load, and a collector is SIGKILLed while its events sit in the spool.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
// Registers lz4 and zstd, the collector's compressions, with kafkajs.
import '../../scripts/kafka/kafkajs-codecs.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolMissingError, cacheRoot, startBroker, type BrokerHandle } from '../../scripts/kafka/broker.mjs';
import { startCli, type CliProcess } from '../support/cli.js';
import { tempDir } from '../support/collector.js';
import { TEST_JVM_OPTIONS } from '../support/kafka-global-setup.js';
import { uniqueTopic } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';
import {
  byParty,
  consumeAll,
  eventId,
  firstSightings,
  partyId,
  sendEvents,
  writeKafkaConfig,
} from './kafka-sink-support.js';

const brokerDir = join(cacheRoot, `test-outage-${process.pid}`);
let broker: BrokerHandle | undefined;
let skipReason: string | undefined;
try {
  broker = await startBroker({
    dir: brokerDir,
    owner: process.pid,
    fresh: true,
    jvmOptions: TEST_JVM_OPTIONS,
  });
} catch (error) {
  if (!(error instanceof ToolMissingError) || process.env.CI) throw error;
  skipReason = `Kafka outage tests skipped: ${error.message}`;
  console.warn(skipReason);
}
const children: CliProcess[] = [];

function running(): BrokerHandle {
  if (!broker) throw new Error(skipReason);
  return broker;
}

beforeAll(() => {
  if (broker) console.info(`private broker for outage tests on ${broker.brokers}`);
});

afterAll(async () => {
  for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  await broker?.stop();
  rmSync(brokerDir, { recursive: true, force: true });
});

async function createTopic(topic: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'outage-admin',
    brokers: [running().brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

async function collector(configFile: string, dir: string): Promise<CliProcess> {
  const cli = await startCli(
    ['serve', '--config', configFile],
    { FOOTFALL_KAFKA_BROKERS: running().brokers, FOOTFALL_LOG_LEVEL: 'info' },
    dir,
  );
  children.push(cli);
  return cli;
}

async function readiness(cli: CliProcess): Promise<number> {
  const response = await fetch(`${cli.address}/health/ready`);
  await response.arrayBuffer();
  return response.status;
}

/** Every accepted event arrived, and each party's events arrived in sending order (repeats aside). */
function expectAllInOrder(accepted: Map<number, string[]>, received: ReturnType<typeof byParty>): void {
  for (const [party, ids] of accepted) {
    expect(firstSightings(received.get(partyId(party)) ?? [])).toEqual(ids);
  }
}

describe.skipIf(skipReason !== undefined)(
  `the Kafka sink through outages${skipReason ? ` — ${skipReason}` : ''}`,
  () => {
    it('loses nothing when the broker is killed mid-stream and restarted', async () => {
      const topic = uniqueTopic('outage-broker');
      await createTopic(topic);
      const dir = tempDir();
      const cli = await collector(writeKafkaConfig(dir, topic), dir);
      let killed = false;
      const load = sendEvents(cli.address, 20, 200, (answered) => {
        if (answered === 1000 && !killed) {
          killed = true;
          running().kill('SIGKILL');
        }
      });
      await waitFor(() => killed, { timeout: 30_000, interval: 50, message: 'the kill' });
      await waitFor(async () => (await readiness(cli)) === 503, {
        timeout: 30_000,
        interval: 50,
        message: 'readiness to turn red',
      });
      await running().restart();
      const { accepted, statuses } = await load;
      expect(statuses).toEqual(new Map([[204, 4000]]));
      await waitFor(async () => (await readiness(cli)) === 200, {
        timeout: 60_000,
        interval: 50,
        message: 'readiness to turn green',
      });

      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      // Shutdown sends the spool too while Kafka takes it.
      expect(readdirSync(join(dir, 'data', 'spool', 'kafka')).filter((f) => f.endsWith('.spool'))).toEqual(
        [],
      );
      const records = await consumeAll([running().brokers], topic, 4000);
      expect(new Set(records.map((r) => r.eventId)).size).toBe(4000);
      expectAllInOrder(accepted, byParty(records));
      // At least once, and only a broker crash can cause repeats: a handful of batches at most.
      expect(records.length - 4000).toBeLessThanOrEqual(2000);
    }, 180_000);

    it('replays the spool of a collector killed while the broker was down, exactly once and in order', async () => {
      const topic = uniqueTopic('outage-collector');
      await createTopic(topic);
      await running().stop();
      const dir = tempDir();
      const config = writeKafkaConfig(dir, topic);

      // Starts without a broker: not ready, but taking events into its spool.
      const first = await collector(config, dir);
      expect(await readiness(first)).toBe(503);
      const before = await sendEvents(first.address, 10, 100);
      expect(before.statuses).toEqual(new Map([[204, 1000]]));
      // Spool writes happen at the end of the event-loop turn; give the last turn a moment.
      await new Promise((resolve) => setTimeout(resolve, 200));
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      const spoolDir = join(dir, 'data', 'spool', 'kafka');
      expect(readdirSync(spoolDir).some((name) => name.endsWith('.spool'))).toBe(true);

      await running().restart();
      const second = await collector(config, dir);
      // New events queue behind the replayed ones.
      const after = await sendEvents(second.address, 10, 1);
      expect(after.statuses).toEqual(new Map([[204, 10]]));
      const records = await consumeAll([running().brokers], topic, 1010);
      expect(await readiness(second)).toBe(200);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(second.output()).toMatch(/journal holds records from an earlier run/);

      expect(records).toHaveLength(1010);
      const received = byParty(records);
      for (let party = 0; party < 10; party++) {
        // The replayed 100, then the one sent after the restart (it reuses sequence number 0).
        expect(received.get(partyId(party))).toEqual([
          ...Array.from({ length: 100 }, (_, seq) => eventId(party, seq)),
          eventId(party, 0),
        ]);
      }
      expect(readdirSync(spoolDir).filter((name) => name.endsWith('.spool'))).toEqual([]);
    }, 180_000);
  },
);
