/**
 * Helpers for the Kafka sink's integration tests: a collector config with a Kafka sink, a load of
 * JSON events whose order per party is known, and a consumer that reads the topic back and decodes
 * every record with the builtin footfall schema.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
// Registers lz4 and zstd, the collector's compressions, with kafkajs.
import '../../scripts/kafka/kafkajs-codecs.mjs';
import { createCodec, resolveSchema } from '../../src/schema/index.js';
import { ROOT } from '../support/cli.js';
import { SESSION } from '../support/collector.js';
import { WaitTimeoutError, waitFor } from '../support/wait.js';

export function partyId(i: number): string {
  return `0:i1t84hgy:party${String(i).padStart(5, '0')}AAAAAAAAAAAAAAAAAAAAAA`;
}

export function eventId(party: number, seq: number): string {
  return `p${party}-e${seq}`;
}

/** Writes footfall.yaml with one JSON source feeding one Kafka sink; returns the file's path. */
export function writeKafkaConfig(dir: string, topic: string, sinkExtra = '', serverExtra = ''): string {
  const file = path.join(dir, 'footfall.yaml');
  writeFileSync(
    file,
    [
      `server: { shutdownDelay: 0, shutdownTimeout: 20s${serverExtra} }`,
      'sources: { app: { type: json } }',
      `sinks: { kafka: { type: kafka, topic: ${topic}${sinkExtra} } }`,
      'mappings: { clicks: { sources: [app], sinks: [kafka] } }',
      '',
    ].join('\n'),
  );
  return file;
}

export interface LoadResult {
  /** Event ids answered with 204, per party in sending order. */
  readonly accepted: Map<number, string[]>;
  readonly statuses: Map<number, number>;
  readonly total: number;
}

/**
 * Posts `perParty` events for each of `parties` parties: parties in parallel, each party's events one
 * after the other (so their order is known), like many browsers each sending in sequence.
 * `onProgress` sees the running count of answered requests.
 */
export async function sendEvents(
  address: string,
  parties: number,
  perParty: number,
  onProgress?: (answered: number) => void | Promise<void>,
): Promise<LoadResult> {
  const accepted = new Map<number, string[]>();
  const statuses = new Map<number, number>();
  let answered = 0;
  await Promise.all(
    Array.from({ length: parties }, async (_, party) => {
      const ids: string[] = [];
      accepted.set(party, ids);
      const url = `${address}/json?p=${encodeURIComponent(partyId(party))}`;
      for (let seq = 0; seq < perParty; seq++) {
        const id = eventId(party, seq);
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            session_id: SESSION,
            event_id: id,
            is_new_party: seq === 0,
            is_new_session: seq === 0,
            client_timestamp_iso: new Date().toISOString(),
            event_type: 'tick',
            parameters: { seq },
          }),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 204) ids.push(id);
        answered++;
        await onProgress?.(answered);
      }
    }),
  );
  return { accepted, statuses, total: answered };
}

export interface Consumed {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly timestamp: number;
  readonly partyId: string;
  readonly eventId: string;
}

const codec = createCodec(resolveSchema('builtin:footfall', ROOT));

/**
 * Reads the topic from the beginning until `expected` records arrived and no more came for `settleMs`
 * (so duplicates beyond the expected count are seen too), decoding each value with the footfall schema.
 */
export async function consumeAll(
  brokers: string[],
  topic: string,
  expected: number,
  { timeoutMs = 60_000, settleMs = 1000, framingBytes = 0 } = {},
): Promise<Consumed[]> {
  const kafka = new Kafka({ clientId: 'footfall-test-consumer', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `check-${topic}-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  const records: Consumed[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let lastAt = Date.now();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const record = codec.decode((message.value as Buffer).subarray(framingBytes)) as {
          partyId: string;
          eventId: string;
        };
        records.push({
          partition,
          offset: Number(message.offset),
          key: message.key?.toString() ?? null,
          timestamp: Number(message.timestamp),
          partyId: record.partyId,
          eventId: record.eventId,
        });
        lastAt = Date.now();
      },
    });
    // Short of the expected count at the timeout, the caller's assertions say what is missing.
    await waitFor(() => records.length >= expected && Date.now() - lastAt >= settleMs, {
      timeout: timeoutMs,
      interval: 100,
    }).catch((error: unknown) => {
      if (!(error instanceof WaitTimeoutError)) throw error;
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Event ids per party in the order a consumer of the party's partition sees them. */
export function byParty(records: readonly Consumed[]): Map<string, string[]> {
  const sorted = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const out = new Map<string, string[]>();
  for (const record of sorted) {
    const list = out.get(record.partyId) ?? [];
    list.push(record.eventId);
    out.set(record.partyId, list);
  }
  return out;
}

/** Keeps the first sighting of each id: what an at-least-once consumer that drops repeats sees. */
export function firstSightings(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
