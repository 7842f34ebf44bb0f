// Proves that kafkajs, the tests' independent Kafka reader (the collector produces with
// @platformatic/kafka), works against the Kafka release our scripts run.
// Kafka 4 dropped old protocol versions (KIP-896) and the v0/v1 message formats (KIP-724); kafkajs is
// unmaintained and negotiates from its own fixed list, so the requests of a plain and an idempotent
// producer, a consumer group and the admin client are exercised here, and the versions actually
// negotiated are checked rather than assumed.
import { createRequire } from 'node:module';
import {
  CompressionTypes,
  Kafka,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  Partitioners,
  logLevel,
  type Consumer,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueTopic, useKafka, type KafkaForTests } from '../support/kafka.js';

const kafkajsVersion = (createRequire(import.meta.url)('kafkajs/package.json') as { version: string })
  .version;
const kafka = await useKafka();
const skipReason = 'skip' in kafka ? kafka.skip : undefined;

function available(): KafkaForTests {
  if ('skip' in kafka) throw new Error(kafka.skip);
  return kafka;
}

/**
 * Every request kafkajs sent, as "ApiName vN", from its debug log; and every warning or error it logged
 * with the broker's error text (an UNSUPPORTED_VERSION answer would show up here).
 */
const negotiated = new Set<string>();
const warnings: string[] = [];
const REQUEST = /^Request (\w+)\(key: \d+, version: (\d+)\)/;
const recordingLogger = () => (entry: LogEntry) => {
  const request = REQUEST.exec(entry.log.message);
  if (request) negotiated.add(`${request[1]} v${request[2]}`);
  if (entry.level <= logLevel.WARN) {
    const detail = (entry.log as { error?: unknown }).error;
    warnings.push(`${entry.namespace}: ${entry.log.message}${detail ? ` → ${String(detail)}` : ''}`);
  }
};

const clients: Array<Producer | Consumer> = [];
function client(): Kafka {
  return new Kafka({
    clientId: 'footfall-kafka-broker-test',
    brokers: available().brokers,
    logLevel: logLevel.DEBUG,
    logCreator: recordingLogger,
  });
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.disconnect().catch(() => {})));
  await ('skip' in kafka ? undefined : kafka.stop?.());
});

describe.skipIf(skipReason !== undefined)(
  `kafkajs ${kafkajsVersion} against Kafka ${'skip' in kafka ? '(none)' : (kafka.kafkaVersion ?? '(external)')}` +
    (skipReason ? ` — ${skipReason}` : ''),
  () => {
    it('round-trips 1,000 gzip records with keys, timestamps and headers through a consumer group', async () => {
      const topic = uniqueTopic('kafkajs-roundtrip');
      await available().createTopic(topic, 3);
      const kafkaClient = client();

      // Java's murmur2 partitioner: the same key lands on the same partition as with any Java client.
      const producer = kafkaClient.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      clients.push(producer);
      await producer.connect();

      const count = 1000;
      const base = Date.now() - 3_600_000;
      const keyOf = (seq: number) => `party-${seq % 37}`;
      for (let start = 0; start < count; start += 100) {
        const messages = Array.from({ length: 100 }, (_, i) => {
          const seq = start + i;
          return {
            key: keyOf(seq),
            value: JSON.stringify({ seq, page: `/p/${seq}` }),
            timestamp: String(base + seq),
            headers: { seq: String(seq) },
          };
        });
        const written = await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.GZIP,
          messages,
        });
        expect(written.every((meta) => meta.errorCode === 0)).toBe(true);
      }

      const groupId = `group-${topic}`;
      const consumer = kafkaClient.consumer({ groupId, maxWaitTimeInMs: 100 });
      clients.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: Array<{ partition: number; message: KafkaMessage }> = [];
      const delivered = new Set<string>();
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`only ${received.length}/${count} consumed in 30s`)),
          30_000,
        );
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              // A group rebalance while consuming may hand a partition over before its offsets are
              // committed, and the new owner reads those messages again (at-least-once delivery).
              // Each (partition, offset) is one record; a redelivery is not a second one.
              const place = `${partition}:${message.offset}`;
              if (delivered.has(place)) return;
              delivered.add(place);
              received.push({ partition, message });
              if (received.length === count) {
                clearTimeout(timer);
                done();
              }
            },
          })
          .catch(fail);
      });
      // Disconnecting commits what was consumed, which is what the offset check below reads back.
      await consumer.disconnect();

      expect(received).toHaveLength(count);
      const seqs = new Set<number>();
      const partitionOfKey = new Map<string, number>();
      const byPartition = new Map<number, Array<{ offset: number; seq: number }>>();
      for (const { partition, message } of received) {
        const seq = (JSON.parse(message.value!.toString()) as { seq: number }).seq;
        seqs.add(seq);
        expect(message.key?.toString()).toBe(keyOf(seq));
        expect(message.timestamp).toBe(String(base + seq));
        expect(message.headers?.['seq']?.toString()).toBe(String(seq));
        const key = keyOf(seq);
        expect(partitionOfKey.get(key) ?? partition).toBe(partition);
        partitionOfKey.set(key, partition);
        byPartition.set(partition, [
          ...(byPartition.get(partition) ?? []),
          { offset: Number(message.offset), seq },
        ]);
      }
      expect(seqs.size).toBe(count);
      expect([...byPartition.keys()].sort()).toEqual([0, 1, 2]);
      for (const entries of byPartition.values()) {
        // One producer sending in sequence: within a partition, offsets are dense and follow send order.
        expect(entries.map((e) => e.offset)).toEqual(entries.map((_, i) => i));
        expect(entries.map((e) => e.seq)).toEqual(entries.map((e) => e.seq).sort((a, b) => a - b));
      }

      const admin = kafkaClient.admin();
      await admin.connect();
      try {
        const ends = await admin.fetchTopicOffsets(topic);
        expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(count);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        expect(committed!.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(count);
      } finally {
        await admin.disconnect();
      }
    }, 60_000);

    it('rejects a send to a missing topic when auto-creation is off, recognisably', async () => {
      const topic = uniqueTopic('kafkajs-missing');
      const kafkaClient = client();
      const producer = kafkaClient.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 },
      });
      clients.push(producer);
      await producer.connect();

      const error: unknown = await producer.send({ topic, acks: -1, messages: [{ value: 'x' }] }).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      // What the collector's Kafka sink has to recognise: kafkajs retries the metadata refresh (with the
      // default retry settings that takes ~13 s), then gives up with NumberOfRetriesExceeded — itself a
      // non-retriable error — whose cause is the broker's UNKNOWN_TOPIC_OR_PARTITION (code 3).
      expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
      expect(error).toBeInstanceOf(KafkaJSNonRetriableError);
      expect(error).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded', retriable: false });
      const cause = (error as { cause?: unknown }).cause;
      expect(cause).toBeInstanceOf(KafkaJSProtocolError);
      expect(cause).toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true });

      const admin = kafkaClient.admin();
      await admin.connect();
      try {
        expect(await admin.listTopics()).not.toContain(topic);
      } finally {
        await admin.disconnect();
      }
    }, 60_000);

    it('runs an idempotent producer (InitProducerId and sequence numbers)', async () => {
      const topic = uniqueTopic('kafkajs-idempotent');
      await available().createTopic(topic, 1);
      const producer = client().producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      clients.push(producer);
      await producer.connect();
      const first = await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'one' }] });
      const second = await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'two' }] });
      expect(first[0]?.baseOffset).toBe('0');
      expect(second[0]?.baseOffset).toBe('1');
    }, 60_000);

    it('negotiated only protocol versions the broker serves, without warnings', () => {
      const versions = [...negotiated].sort();
      console.info(
        `kafkajs ${kafkajsVersion} ↔ Kafka ${available().kafkaVersion ?? '(external)'}: ${versions.join(', ')}`,
      );
      if (warnings.length > 0) console.info(`kafkajs warnings:\n${warnings.join('\n')}`);
      // Kafka 4 serves Produce ≥ v3 and Fetch ≥ v4 only (record batch v2); older would have failed above.
      const produce = versions.find((v) => v.startsWith('Produce '));
      const fetch = versions.find((v) => v.startsWith('Fetch '));
      expect(Number(produce?.split(' v')[1])).toBeGreaterThanOrEqual(3);
      expect(Number(fetch?.split(' v')[1])).toBeGreaterThanOrEqual(4);
      expect(warnings.filter((w) => /→.*version/i.test(w))).toEqual([]);
    });
  },
);
