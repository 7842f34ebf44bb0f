/**
 * What was stored: every record of every published Avro file in a folder, or every record of a Kafka
 * topic from the beginning. Only the fields the verdict needs are kept.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import avsc from 'avsc';
import { Kafka, logLevel } from 'kafkajs';
// Registers lz4 and zstd, the collector's compressions, with kafkajs.
import '../../../scripts/kafka/kafkajs-codecs.mjs';
import { createCodec, resolveSchema } from '../../../src/schema/index.js';
import { ROOT } from '../../support/cli.js';
import { sleep } from './run.js';

interface StoredRecord {
  readonly eventId: string;
  readonly detectedDuplicate: boolean;
}

export interface Stored {
  readonly records: StoredRecord[];
  /** Where they came from: files read, or partitions. */
  readonly sources: number;
  /** Files that could not be read to their end (the records before the damage are kept). */
  readonly damaged: string[];
}

function decodeFile(file: string): Promise<{ records: StoredRecord[]; error?: string }> {
  return new Promise((resolve) => {
    const records: StoredRecord[] = [];
    avsc
      .createFileDecoder(file)
      .on('data', (r: { eventId: string; detectedDuplicate: boolean }) =>
        records.push({ eventId: r.eventId, detectedDuplicate: r.detectedDuplicate }),
      )
      .on('end', () => resolve({ records }))
      .on('error', (err: Error) => resolve({ records, error: err.message }));
  });
}

/** Decodes every `*.avro` file in `publishDir` (a missing folder holds nothing). */
export async function readPublished(publishDir: string): Promise<Stored> {
  let names: string[];
  try {
    names = readdirSync(publishDir)
      .filter((name) => name.endsWith('.avro'))
      .sort();
  } catch {
    return { records: [], sources: 0, damaged: [] };
  }
  const records: StoredRecord[] = [];
  const damaged: string[] = [];
  for (const name of names) {
    const decoded = await decodeFile(path.join(publishDir, name));
    records.push(...decoded.records);
    if (decoded.error) damaged.push(`${name}: ${decoded.error}`);
  }
  return { records, sources: names.length, damaged };
}

/** Files under `dir` (recursively) whose name matches `pattern`, with their paths. */
export function findFiles(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    let entries;
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (pattern.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

const codec = createCodec(resolveSchema('builtin:footfall', ROOT));

function kafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
}

/** Sum of the topic's high watermarks: records ever written to it, repeats included. */
export async function topicEnd(brokers: string[], topic: string): Promise<Map<number, number>> {
  const admin = kafka(brokers, 'faults-offsets').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

const total = (ends: Map<number, number>): number => [...ends.values()].reduce((a, b) => a + b, 0);

/**
 * Waits while a running collector delivers: until the topic holds at least `expected` records, or it
 * has not grown for `stallMs`, or `timeoutMs` passed. Returns the records it holds.
 */
export async function waitForTopic(
  brokers: string[],
  topic: string,
  expected: number,
  { timeoutMs = 60_000, stallMs = 10_000 } = {},
): Promise<number> {
  const end = Date.now() + timeoutMs;
  let last = -1;
  let grewAt = Date.now();
  for (;;) {
    let now = last;
    try {
      now = total(await topicEnd(brokers, topic));
    } catch {
      // The broker is restarting; try again.
    }
    if (now !== last) {
      last = now;
      grewAt = Date.now();
    }
    if (now >= expected || Date.now() > end || Date.now() - grewAt > stallMs) return now;
    await sleep(500);
  }
}

/**
 * Reads the topic from the beginning, decoding every value with the builtin footfall schema, until
 * `expected` records arrived and none came for `settleMs`, or `timeoutMs` passed. When nothing writes
 * to the topic any more (the collector is stopped) it also ends once every partition is read up to
 * its high watermark and `settleMs` passed: fewer than expected is then all there is.
 */
export async function readTopic(
  brokers: string[],
  topic: string,
  expected: number,
  { timeoutMs = 90_000, settleMs = 2000 } = {},
): Promise<Stored> {
  const ends = await topicEnd(brokers, topic);
  const consumer = kafka(brokers, 'faults-reader').consumer({
    groupId: `faults-${topic}-${Date.now()}`,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 4 << 20,
  });
  const records: StoredRecord[] = [];
  const next = new Map<number, number>();
  let lastAt = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const r = codec.decode(message.value as Buffer) as { eventId: string; detectedDuplicate: boolean };
          records.push({ eventId: r.eventId, detectedDuplicate: r.detectedDuplicate });
          next.set(batch.partition, Number(message.offset) + 1);
        }
        lastAt = Date.now();
      },
    });
    const caughtUp = (): boolean => [...ends].every(([partition, end]) => (next.get(partition) ?? 0) >= end);
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const idle = Date.now() - lastAt >= settleMs;
      if (idle && (records.length >= expected || caughtUp())) break;
      await sleep(100);
    }
  } finally {
    await consumer.disconnect();
  }
  return { records, sources: ends.size, damaged: [] };
}
