/**
 * The Kafka partitioner: the partition Java's default partitioner picks for a key
 * (`toPositive(murmur2(utf8(key))) % partitions`), so a party's events land where any Java or kafkajs
 * producer would put them, at a fraction of the cost. kafkajs's own DefaultPartitioner hashes every
 * message again and copies the partition list for each one; a party sends many events, so the hash is
 * kept per key (a bounded memory, emptied when full). Messages without a key go to kafkajs's
 * partitioner, which spreads them round-robin over the available partitions.
 */
import { Partitioners, type ICustomPartitioner } from 'kafkajs';

/** Kafka's murmur2 (Java's `Utils.murmur2`, seed 0x9747b28c) of these bytes, as a signed int32. */
export function kafkaMurmur2(bytes: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = bytes.length;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The one to three bytes left over, mixed in as Java's falling-through switch does.
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= bytes[whole + 2]! << 16;
    if (rest >= 2) h ^= bytes[whole + 1]! << 8;
    h ^= bytes[whole]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  return h ^ (h >>> 15);
}

/** Keys whose hash is kept; past this the memory starts over (a clear is cheaper than an LRU). */
const REMEMBERED_KEYS = 65_536;

export const keyHashPartitioner: ICustomPartitioner = () => {
  const spread = Partitioners.DefaultPartitioner();
  const hashes = new Map<string, number>();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    const key = message.key;
    if (key === null || key === undefined) return spread(args);
    let positive: number | undefined;
    if (typeof key === 'string') {
      positive = hashes.get(key);
      if (positive === undefined) {
        if (hashes.size >= REMEMBERED_KEYS) hashes.clear();
        positive = kafkaMurmur2(Buffer.from(key, 'utf8')) & 0x7fffffff;
        hashes.set(key, positive);
      }
    } else {
      positive = kafkaMurmur2(key) & 0x7fffffff;
    }
    return positive % partitionMetadata.length;
  };
};
