/**
 * A private Kafka broker per test file (never the run-wide one: faults kill, hang and stop it), started
 * as test/integration/kafka-sink-outage.test.ts does. The folder is `.cache/kafka/test-<pid>`, the
 * name reapOrphans() knows, so a run that dies before its teardown leaves no JVM behind for long.
 * A missing java fails the file: a fault suite that skips itself would look green.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
// Registers lz4 and zstd, the collector's compressions, with kafkajs.
import '../../../scripts/kafka/kafkajs-codecs.mjs';
import { cacheRoot, isAlive, startBroker, type BrokerHandle } from '../../../scripts/kafka/broker.mjs';
import { TEST_JVM_OPTIONS } from '../../support/kafka-global-setup.js';

export interface FaultBroker {
  readonly handle: BrokerHandle;
  readonly brokers: string[];
  createTopic(topic: string, partitions?: number): Promise<void>;
  /** SIGCONT (a hung broker ignores SIGTERM), stop, and delete its folder. */
  close(): Promise<void>;
}

let current: BrokerHandle | undefined;
process.on('exit', () => {
  if (current && isAlive(current.pid)) {
    try {
      process.kill(current.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
});

export async function privateBroker(): Promise<FaultBroker> {
  const dir = join(cacheRoot, `test-${process.pid}`);
  const handle = await startBroker({ dir, owner: process.pid, fresh: true, jvmOptions: TEST_JVM_OPTIONS });
  current = handle;
  console.info(`faults: private broker on ${handle.brokers} (pid ${handle.pid})`);
  const brokers = [handle.brokers];
  return {
    handle,
    brokers,
    async createTopic(topic, partitions = 3) {
      const admin = new Kafka({ clientId: 'faults-admin', brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        await admin.createTopics({
          topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
          waitForLeaders: true,
        });
      } finally {
        await admin.disconnect();
      }
    },
    async close() {
      handle.kill('SIGCONT');
      await handle.stop();
      current = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
