// The Kafka sink's client adapter (@platformatic/kafka behind KafkaClientPort) against the run-wide
// broker, read back by kafkajs, an independent client: every compression the config offers, keys,
// timestamps, values byte for byte, and the partition Java's murmur2 picks for each key.
import { Kafka, Partitioners, logLevel, type PartitionMetadata } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
// Registers lz4 and zstd, the collector's compressions, with kafkajs.
import '../../scripts/kafka/kafkajs-codecs.mjs';
import { kafkaClient, type KafkaCompression } from '../../src/sinks/kafka/client.js';
import type { JournalRecord } from '../../src/sinks/journal/format.js';
import { uniqueTopic, useKafka, type KafkaForTests } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const kafka = await useKafka();
const skipReason = 'skip' in kafka ? kafka.skip : undefined;

function available(): KafkaForTests {
  if ('skip' in kafka) throw new Error(kafka.skip);
  return kafka;
}

afterAll(async () => {
  await ('skip' in kafka ? undefined : kafka.stop?.());
});

interface Read {
  partition: number;
  key: string | null;
  value: Buffer;
  timestamp: number;
}

async function readAll(topic: string, expected: number): Promise<Read[]> {
  const reader = new Kafka({
    clientId: 'footfall-client-test',
    brokers: available().brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = reader.consumer({ groupId: `check-${topic}`, maxWaitTimeInMs: 100 });
  const read: Read[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        read.push({
          partition,
          key: message.key?.toString() ?? null,
          value: message.value as Buffer,
          timestamp: Number(message.timestamp),
        });
      },
    });
    await waitFor(() => read.length >= expected, {
      timeout: 30_000,
      message: `${expected} records on ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return read;
}

/** Five records per key over 60 keys, then a few without a key; values unique, timestamps distinct. */
function records(): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (let i = 0; i < 300; i++) {
    out.push({
      key: `0:party-${i % 60}`,
      value: Buffer.from(`value ${i} ${'x'.repeat(i % 97)}`),
      timestamp: 1_780_000_000_000 + i,
    });
  }
  for (let i = 0; i < 6; i++)
    out.push({ key: null, value: Buffer.from(`keyless ${i}`), timestamp: 1_780_000_001_000 + i });
  return out;
}

describe.skipIf(skipReason !== undefined)(
  `the Kafka client adapter${skipReason ? ` — ${skipReason}` : ''}`,
  () => {
    it.each(['none', 'gzip', 'lz4', 'zstd'] as KafkaCompression[])(
      'produces with %s compression: keys, values, timestamps intact, each key on its Java partition',
      async (compression) => {
        const topic = uniqueTopic(`client-${compression}`);
        // Three partitions, not a power of two: where a partitioner that is not Java's murmur2 goes astray.
        await available().createTopic(topic, 3);
        const client = kafkaClient({
          brokers: available().brokers,
          clientId: 'footfall-client-test',
          topic,
          acks: 'all',
          compression,
          idempotent: true,
        });
        expect(await client.checkTopic(topic, false)).toBe('exists');
        const producer = client.producer();
        await producer.connect();
        const sent = records();
        try {
          // In two requests, as the sink's batches go.
          await producer.send(sent.slice(0, 150));
          await producer.send(sent.slice(150));
        } finally {
          await producer.disconnect();
        }

        const read = await readAll(topic, sent.length);
        expect(read).toHaveLength(sent.length);
        const byValue = new Map(read.map((r) => [r.value.toString(), r]));
        const java = Partitioners.DefaultPartitioner();
        const partitionMetadata: PartitionMetadata[] = [0, 1, 2].map((partitionId) => ({
          partitionErrorCode: 0,
          partitionId,
          leader: 0,
          replicas: [0],
          isr: [0],
        }));
        for (const record of sent) {
          const got = byValue.get(record.value.toString());
          expect(got, record.value.toString()).toBeDefined();
          expect(got!.value.equals(record.value)).toBe(true);
          expect(got!.key).toBe(record.key);
          expect(got!.timestamp).toBe(record.timestamp);
          if (record.key !== null) {
            expect(got!.partition).toBe(
              java({ topic, partitionMetadata, message: { key: record.key, value: null } }),
            );
          }
        }
        // A party's records in the order they were sent.
        const order = read.filter((r) => r.key === '0:party-7').map((r) => r.timestamp);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      },
    );

    it('reports a missing topic, and creates it when asked', async () => {
      const topic = uniqueTopic('client-create');
      const client = kafkaClient({
        brokers: available().brokers,
        clientId: 'footfall-client-test',
        topic,
        acks: 'all',
        compression: 'lz4',
        idempotent: true,
      });
      expect(await client.checkTopic(topic, false)).toBe('missing');
      expect(await client.checkTopic(topic, true)).toBe('created');
      expect(await client.checkTopic(topic, false)).toBe('exists');
    });
  },
);
