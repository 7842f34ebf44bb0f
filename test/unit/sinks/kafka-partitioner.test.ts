import fc from 'fast-check';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaMurmur2, keyHashPartitioner } from '../../../src/sinks/kafka/partitioner.js';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));

describe('the key-hash partitioner', () => {
  it("matches Java's murmur2 on known values", () => {
    // Values of org.apache.kafka.common.utils.Utils.murmur2, as Kafka's own tests list them.
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [text, hash] of cases) expect(kafkaMurmur2(Buffer.from(text))).toBe(hash);
  });

  // kafkajs's DefaultPartitioner is Java-compatible and shares no code with ours: an independent oracle.
  // Ours answers the positive hash; the client takes it modulo the partition count.
  it("picks the partition kafkajs's default (Java-compatible) partitioner picks, for any key", () => {
    const ours = keyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.integer({ min: 1, max: 64 }),
        (key, count) => {
          const args = { topic: 't', partitionMetadata: metadata(count), message: { key, value: null } };
          const message = { topic: 't', key };
          // Twice: the second answer comes from the remembered hash.
          expect(ours(message, Buffer.from(key)) % count).toBe(theirs(args));
          expect(ours(message, Buffer.from(key)) % count).toBe(theirs(args));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('spreads keyless messages over all partitions', () => {
    const ours = keyHashPartitioner();
    const seen = new Set<number>();
    for (let i = 0; i < 8; i++) seen.add(ours({ topic: 't' }, undefined) % 4);
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });

  it('follows a change in the partition count', () => {
    const ours = keyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const count of [3, 6, 12]) {
      const args = {
        topic: 't',
        partitionMetadata: metadata(count),
        message: { key: 'party-1', value: null },
      };
      expect(ours({ topic: 't', key: 'party-1' }, Buffer.from('party-1')) % count).toBe(theirs(args));
    }
  });
});
