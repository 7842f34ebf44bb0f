import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KafkaClientPort, KafkaProducerPort, TopicCheck } from '../../../src/sinks/kafka/client.js';
import { KafkaSink, KafkaSinkError, type KafkaSinkOptions } from '../../../src/sinks/kafka/kafka-sink.js';
import type { SinkRecord } from '../../../src/sinks/sink.js';
import type { JournalRecord as SpoolRecord } from '../../../src/sinks/journal/journal.js';
import { waitFor } from '../../support/wait.js';
import { captureLogger, tempDir } from './helpers.js';

/** Stands in for kafkajs and a broker: it can be down, stalled, missing the topic, or refuse records. */
class FakeKafka implements KafkaClientPort {
  up = true;
  topicExists = true;
  /** Values the broker refuses for good, like an oversized record. */
  readonly poison = new Set<string>();
  readonly batches: SpoolRecord[][] = [];
  /** Resolves the sends that are held (see `hold`). */
  private held: Array<() => void> = [];
  /** While true, sends wait until `release()`: a broker that is slow to answer. */
  hold = false;
  /** Sends begun and not yet finished, held or not. */
  sending = 0;

  get delivered(): SpoolRecord[] {
    return this.batches.flat();
  }

  producer(): KafkaProducerPort {
    return {
      connect: async () => {
        if (!this.up) throw connectionError();
      },
      disconnect: async () => {},
      send: async (records) => {
        this.sending++;
        try {
          if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
          if (!this.up) throw connectionError();
          if (records.some((r) => this.poison.has(r.value.toString()))) {
            throw Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' });
          }
          this.batches.push([...records]);
        } finally {
          this.sending--;
        }
      },
    };
  }

  async checkTopic(_topic: string, create: boolean): Promise<TopicCheck> {
    if (!this.up) throw connectionError();
    if (this.topicExists) return 'exists';
    if (!create) return 'missing';
    this.topicExists = true;
    return 'created';
  }

  /** Sends waiting for `release()`. */
  get holding(): number {
    return this.held.length;
  }

  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

function connectionError(): Error {
  return Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9'), {
    name: 'KafkaJSConnectionError',
  });
}

/** One turn of the event loop: what the sink does at the end of a turn (spool writes, sends) happens. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function rec(n: number, parties = 5): SinkRecord {
  return { key: `party-${n % parties}`, value: Buffer.from(`event-${n}`), timestamp: 1_700_000_000_000 + n };
}

const seqOf = (r: SpoolRecord): number => Number(r.value.toString().replace(/^\D*/, ''));
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

let tmp: { path: string; remove: () => Promise<void> };
const sinks: KafkaSink[] = [];

beforeEach(async () => {
  tmp = await tempDir();
});

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.shutdown(500)));
  await tmp.remove();
});

function kafkaSink(kafka: FakeKafka, options: Partial<KafkaSinkOptions> = {}): KafkaSink {
  const sink = new KafkaSink({
    name: 'events',
    brokers: ['broker-1:9092', 'broker-2:9092'],
    topic: 'clicks',
    spoolDir: `${tmp.path}/spool`,
    client: kafka,
    lingerMs: 10,
    retryDelayMs: 10,
    maxRetryDelayMs: 50,
    fsync: 'never',
    ...options,
  });
  sinks.push(sink);
  return sink;
}

describe('the Kafka sink', () => {
  it('sends full batches at once and the rest after the linger time, in order, with key and timestamp', async () => {
    // The linger time on a fake clock (the sender measures it with performance.now()); the spool's
    // file I/O stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const kafka = new FakeKafka();
    const sink = kafkaSink(kafka, { batchMaxRecords: 100, lingerMs: 200 });
    try {
      await sink.start();
      for (const n of range(0, 250)) expect(sink.offer(rec(n))).toBe(true);
      await vi.advanceTimersByTimeAsync(199);
      await nextTurn();
      expect(kafka.batches.map((b) => b.length)).toEqual([100, 100]);
      await vi.advanceTimersByTimeAsync(1);
      await nextTurn();
    } finally {
      vi.useRealTimers();
    }
    expect(kafka.batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, 250));
    expect(kafka.delivered[7]).toMatchObject({ key: 'party-2', timestamp: 1_700_000_000_007 });
    expect(sink.stats()).toMatchObject({ offered: 250, written: 250, batches: 3, queued: 0, dropped: 0 });
    expect(sink.health()).toMatchObject({ ready: true });
  });

  it('cuts batches by bytes too', async () => {
    const kafka = new FakeKafka();
    const sink = kafkaSink(kafka, { batchMaxBytes: 200 });
    await sink.start();
    for (const n of range(0, 100)) sink.offer(rec(n));
    await waitFor(() => kafka.delivered.length === 100);
    for (const batch of kafka.batches) {
      expect(batch.reduce((sum, r) => sum + r.value.length + (r.key?.length ?? 0), 0)).toBeLessThanOrEqual(
        200,
      );
    }
  });

  it('frames values as configured', async () => {
    const kafka = new FakeKafka();
    const sink = kafkaSink(kafka, { framing: 'confluent', schemaId: 42 });
    await sink.start();
    sink.offer(rec(1));
    await waitFor(() => kafka.delivered.length === 1);
    const value = kafka.delivered[0]!.value;
    expect([...value.subarray(0, 5)]).toEqual([0, 0, 0, 0, 42]);
    expect(value.subarray(5).toString()).toBe('event-1');
  });

  it('refuses to start on a missing topic with an error naming topic and brokers', async () => {
    const kafka = new FakeKafka();
    kafka.topicExists = false;
    const sink = kafkaSink(kafka);
    const error = await sink.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(KafkaSinkError);
    expect(error).toMatchObject({ code: 'FOOTFALL_ERR_KAFKA_TOPIC' });
    expect((error as Error).message).toMatch(
      /FOOTFALL_ERR_KAFKA_TOPIC: topic "clicks".*broker-1:9092,broker-2:9092/,
    );
    expect(sink.offer(rec(1))).toBe(false);
  });

  it('creates a missing topic when told to', async () => {
    const kafka = new FakeKafka();
    kafka.topicExists = false;
    const { logger, lines } = captureLogger();
    const sink = kafkaSink(kafka, { createTopic: true, logger });
    await sink.start();
    expect(kafka.topicExists).toBe(true);
    expect(lines.map((l) => l.msg)).toContain('Kafka topic created');
  });

  it('starts without a broker, journals, turns ready and delivers everything once the broker is there', async () => {
    const kafka = new FakeKafka();
    kafka.up = false;
    const sink = kafkaSink(kafka);
    await sink.start();
    expect(sink.health()).toMatchObject({ ready: false });
    expect(sink.health().detail).toMatch(/unreachable/);
    for (const n of range(0, 500)) expect(sink.offer(rec(n))).toBe(true);
    expect(sink.commit()).toBe(true);
    expect(sink.stats()).toMatchObject({ journal: { records: 500 }, queued: 500 });

    kafka.up = true;
    await waitFor(() => kafka.delivered.length === 500);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, 500));
    await waitFor(() => sink.health().ready && sink.stats().journal.records === 0);
    expect(sink.stats()).toMatchObject({ journal: { records: 0 }, written: 500, brokerReachable: 1 });
  });

  it('keeps every record in the journal while the broker is away mid-stream, and loses nothing', async () => {
    const kafka = new FakeKafka();
    const sink = kafkaSink(kafka, { batchMaxRecords: 50 });
    await sink.start();
    for (const n of range(0, 200)) sink.offer(rec(n));
    sink.commit();
    await waitFor(() => kafka.delivered.length === 200 && sink.stats().journal.records === 0);
    kafka.up = false;
    for (const n of range(200, 100)) sink.offer(rec(n));
    sink.commit();
    await waitFor(() => !sink.health().ready);
    expect(sink.stats().journal.records).toBe(100);
    for (const n of range(300, 100)) sink.offer(rec(n));
    sink.commit();
    kafka.up = true;
    await waitFor(() => kafka.delivered.length === 400);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, 400));
    expect(sink.stats().journal.committed).toBe(400);
  });

  it('reads from disk what falls out of its memory cache while the broker stalls, keeping the order', async () => {
    const kafka = new FakeKafka();
    kafka.hold = true;
    const sink = kafkaSink(kafka, { maxQueueBytes: 2000, batchMaxRecords: 20 });
    await sink.start();
    const offer = async (from: number, count: number): Promise<void> => {
      for (const n of range(from, count)) {
        expect(sink.offer(rec(n))).toBe(true);
        if (n % 100 === 0) await nextTurn();
      }
    };
    // A send waits for the broker while records keep coming, far more than the cache holds.
    await offer(0, 500);
    expect(kafka.holding).toBe(1);
    kafka.release();
    await waitFor(() => kafka.delivered.length >= 100);
    kafka.hold = true;
    await offer(500, 500);
    kafka.release();
    await waitFor(() => kafka.delivered.length === 1000);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, 1000));
  });

  it('refuses records only when the journal is full, and says so', async () => {
    const kafka = new FakeKafka();
    kafka.up = false;
    const { logger, lines } = captureLogger();
    const sink = kafkaSink(kafka, { spoolMaxBytes: 600, logger });
    await sink.start();
    let taken = 0;
    for (const n of range(0, 100)) if (sink.offer(rec(n))) taken++;
    expect(sink.commit()).toBe(true);
    expect(taken).toBeGreaterThan(5);
    expect(taken).toBeLessThan(100);
    expect(sink.stats().dropped).toBe(100 - taken);
    expect(sink.health().ready).toBe(false);
    await waitFor(() => lines.some((l) => /records dropped/.test(l.msg)));
    expect(lines.filter((l) => /records dropped/.test(l.msg))).toHaveLength(1);

    kafka.up = true;
    await waitFor(() => kafka.delivered.length === taken);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, taken));
  });

  it('counts a send that never settles as failed within the delivery timeout, and sends the batch again', async () => {
    const kafka = new FakeKafka();
    const sink = kafkaSink(kafka, { deliveryTimeoutMs: 100 });
    await sink.start();
    kafka.hold = true;
    for (const n of range(0, 10)) sink.offer(rec(n));
    sink.commit();
    await waitFor(() => !sink.health().ready);
    expect(sink.health().detail).toMatch(/no answer within 100 ms/);
    kafka.release();
    await waitFor(
      () => new Set(kafka.delivered.map(seqOf)).size === 10 && sink.stats().journal.records === 0,
    );
    expect([...new Set(kafka.delivered.map(seqOf))]).toEqual(range(0, 10));
    await waitFor(() => sink.health().ready);
  });

  it('drains memory to Kafka on shutdown', async () => {
    const kafka = new FakeKafka();
    const sink = kafkaSink(kafka, { lingerMs: 60_000 });
    await sink.start();
    for (const n of range(0, 300)) sink.offer(rec(n));
    await sink.shutdown(2000);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, 300));
    expect(sink.offer(rec(1))).toBe(false);
    expect(readdirSync(`${tmp.path}/spool`).filter((f) => f.endsWith('.spool'))).toEqual([]);
  });

  it('sends the spool too on shutdown while Kafka takes it', async () => {
    const kafka = new FakeKafka();
    kafka.up = false;
    const sink = kafkaSink(kafka);
    await sink.start();
    for (const n of range(0, 300)) sink.offer(rec(n));
    sink.commit();
    expect(sink.stats().journal.records).toBe(300);
    kafka.up = true;
    await sink.shutdown(5000);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, 300));
    expect(readdirSync(`${tmp.path}/spool`).filter((f) => f.endsWith('.spool'))).toEqual([]);
  });

  it('spools memory on shutdown when the broker is away, and the next start sends it first', async () => {
    const kafka = new FakeKafka();
    const first = kafkaSink(kafka, { lingerMs: 60_000 });
    await first.start();
    kafka.up = false;
    for (const n of range(0, 300)) first.offer(rec(n));
    await first.shutdown(1000);
    expect(kafka.delivered).toEqual([]);

    kafka.up = true;
    const second = kafkaSink(kafka);
    await second.start();
    second.offer(rec(300));
    await waitFor(() => kafka.delivered.length === 301);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, 301));
  });

  it('spools a batch whose send is still running at the deadline, so it is replayed, not lost', async () => {
    const kafka = new FakeKafka();
    const first = kafkaSink(kafka, { batchMaxRecords: 10 });
    await first.start();
    kafka.hold = true;
    for (const n of range(0, 25)) first.offer(rec(n));
    await waitFor(() => kafka.holding > 0);
    await first.shutdown(300);
    kafka.release();
    await waitFor(() => kafka.sending === 0);
    const before = kafka.delivered.length;

    const second = kafkaSink(kafka);
    await second.start();
    await waitFor(() => kafka.delivered.length >= before + 25);
    // At least once: the held batch may arrive twice, but every record arrives, in order after the dedup.
    const firstSeen = [...new Set(kafka.delivered.map(seqOf))];
    expect(firstSeen).toEqual(range(0, 25));
  });

  it('drops only the record the broker refuses for good, and sends the rest of its batch', async () => {
    const kafka = new FakeKafka();
    kafka.poison.add('event-13');
    const sink = kafkaSink(kafka, { batchMaxRecords: 50 });
    await sink.start();
    for (const n of range(0, 50)) sink.offer(rec(n));
    await waitFor(() => kafka.delivered.length === 49);
    expect(kafka.delivered.map(seqOf)).toEqual(range(0, 50).filter((n) => n !== 13));
    expect(sink.stats()).toMatchObject({ failed: 1, written: 49 });
  });
});
