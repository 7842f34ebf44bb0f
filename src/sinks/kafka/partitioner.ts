/**
 * The Kafka partitioner: the partition Java's default partitioner picks for a key
 * (`toPositive(murmur2(utf8(key))) % partitions`), so a party's events land where any Java producer
 * would put them. @platformatic/kafka's default partitioner takes `murmur2 >>> 0` instead of Java's
 * `& 0x7fffffff`, which picks another partition for half the keys when the count is not a power of
 * two; its Java-compatible one hashes every message again (1,001 ns against 38 ns here). A party sends
 * many events, so the hash is kept per key (a bounded memory, emptied when full).
 *
 * The partitioner answers the positive hash; the client takes it modulo the topic's partition count
 * from its current metadata, so a change in the partition count is followed as Java's client does.
 * Records without a key are spread round-robin.
 */
import type { MessageToProduce } from '@platformatic/kafka';

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

/** What the client hands a partitioner: the message as given (key a string here) and its serialized key. */
export type KeyHashPartitioner = (
  message: MessageToProduce<string, Buffer, string, string>,
  key: Buffer | undefined,
) => number;

/** A partitioner with its own memory of hashes; the client reduces its answer modulo the partition count. */
export function keyHashPartitioner(): KeyHashPartitioner {
  const hashes = new Map<string, number>();
  let next = 0;
  return (message, key) => {
    const text = message.key;
    if (typeof text === 'string') {
      let positive = hashes.get(text);
      if (positive === undefined) {
        if (hashes.size >= REMEMBERED_KEYS) hashes.clear();
        positive = kafkaMurmur2(key ?? Buffer.from(text, 'utf8')) & 0x7fffffff;
        hashes.set(text, positive);
      }
      return positive;
    }
    if (key !== undefined) return kafkaMurmur2(key) & 0x7fffffff;
    next = (next + 1) & 0x7fffffff;
    return next;
  };
}
