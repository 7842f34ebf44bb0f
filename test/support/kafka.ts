// How a test gets a Kafka broker. In order of preference:
//   1. KAFKA_BROKERS (comma-separated host:port) names a broker someone else runs;
//   2. the run-wide broker owned by kafka-global-setup.ts, when vitest.config.ts wires it in;
//   3. a private broker for this worker process under .cache/kafka/test-<pid>, stopped by `stop`.
// When java or mvn is missing the answer is { skip } so tests can `describe.skipIf`, except under CI,
// where a silently skipped integration suite would look like a green one: there it throws.
//
//   const kafka = await useKafka();
//   describe.skipIf('skip' in kafka)(`… ${'skip' in kafka ? kafka.skip : ''}`, () => { … });
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
// Registers lz4 and zstd, the collector's compressions, with kafkajs.
import '../../scripts/kafka/kafkajs-codecs.mjs';
import { inject } from 'vitest';
import {
  ToolMissingError,
  brokerStatus,
  cacheRoot,
  reapOrphans,
  startBroker,
  stopBroker,
} from '../../scripts/kafka/broker.mjs';
import { TEST_JVM_OPTIONS, type KafkaControlAnswer } from './kafka-global-setup.js';
import { secureBrokerOptionsIfPossible, type SecureKafka } from './secure-kafka.js';
import { waitFor } from './wait.js';

export interface KafkaForTests {
  brokers: string[];
  /** Undefined for an external broker, whose version we cannot see. */
  kafkaVersion: string | undefined;
  /** Creates the topic (replication factor 1) and waits until every partition has a leader. */
  createTopic(name: string, partitions?: number): Promise<void>;
  /** The SASL_SSL listeners; absent for an external broker (KAFKA_BROKERS), whose listeners we do not know. */
  secure?: SecureKafka;
  /** Present only for a private broker this process started; the run-wide one is stopped by teardown. */
  stop?: () => Promise<void>;
}

export type KafkaUnavailable = { skip: string };

/** A topic name no other test or earlier run has used, so tests never see each other's records. */
export function uniqueTopic(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function forBrokers(
  brokers: string[],
  kafkaVersion: string | undefined,
  secure?: SecureKafka,
): KafkaForTests {
  return {
    brokers,
    kafkaVersion,
    ...(secure ? { secure } : {}),
    async createTopic(name, partitions = 3) {
      const admin = new Kafka({ clientId: 'footfall-test-admin', brokers, logLevel: logLevel.WARN }).admin();
      await admin.connect();
      try {
        await admin.createTopics({
          topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
          waitForLeaders: true,
        });
      } catch (error) {
        // Created, but the broker's metadata did not list it yet when kafkajs first looked for the
        // leaders, and kafkajs gives up on that instead of asking again (seen once, on the first topic of a run).
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
        await waitFor(
          async () => {
            const { topics } = await admin
              .fetchTopicMetadata({ topics: [name] })
              .catch(() => ({ topics: [] }));
            return (
              topics[0]?.partitions.length === partitions && topics[0].partitions.every((p) => p.leader >= 0)
            );
          },
          { timeout: 10_000, interval: 100, message: `leaders for topic ${name}` },
        );
      } finally {
        await admin.disconnect();
      }
    },
  };
}

async function fromControl(url: string): Promise<KafkaForTests | KafkaUnavailable> {
  const answer = (await (await fetch(url)).json()) as KafkaControlAnswer;
  if ('error' in answer) throw new Error(answer.error);
  if ('skip' in answer) return answer;
  return forBrokers(answer.brokers, answer.kafkaVersion, answer.secure);
}

async function privateBroker(): Promise<KafkaForTests | KafkaUnavailable> {
  const dir = join(cacheRoot, `test-${process.pid}`);
  // A worker that runs several files re-imports this module per file, so the broker an earlier file
  // started (and did not stop) is still ours to use.
  const stop = async () => {
    await stopBroker({ dir });
    rmSync(dir, { recursive: true, force: true });
  };
  const running = brokerStatus({ dir });
  if (running.running && running.brokers)
    return { ...forBrokers([running.brokers], running.kafkaVersion), stop };
  await reapOrphans();
  try {
    const security = secureBrokerOptionsIfPossible(join(dir, 'pki'));
    const broker = await startBroker({
      dir,
      owner: process.pid,
      fresh: true,
      jvmOptions: TEST_JVM_OPTIONS,
      ...security?.options,
    });
    return {
      ...forBrokers([broker.brokers], broker.kafkaVersion, security?.describe(broker.listeners)),
      stop,
    };
  } catch (error) {
    if (error instanceof ToolMissingError && !process.env.CI) {
      return { skip: `Kafka tests skipped: ${error.message} (or set KAFKA_BROKERS to an existing broker)` };
    }
    throw error;
  }
}

let pending: Promise<KafkaForTests | KafkaUnavailable> | undefined;

/** Memoised per module instance, i.e. per test file under vitest's default isolation. */
export function useKafka(): Promise<KafkaForTests | KafkaUnavailable> {
  pending ??= (async () => {
    const external = process.env.KAFKA_BROKERS?.trim();
    if (external) {
      return forBrokers(
        external.split(',').map((broker) => broker.trim()),
        undefined,
      );
    }
    const control = inject('kafkaControl');
    const answer = await (control ? fromControl(control) : privateBroker());
    // Default reporters hide why a whole file was skipped; say it once per worker.
    if ('skip' in answer) console.warn(answer.skip);
    return answer;
  })();
  return pending;
}
