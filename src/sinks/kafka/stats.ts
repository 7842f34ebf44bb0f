/**
 * The Kafka sink's counters, kept in one place so `stats()` and the metric figures read them at once.
 * Send latency is a cumulative histogram (Prometheus style) plus sum, count and max.
 */
import { counter, gauge, type SinkFigure, type SinkHistogramFamily } from '../figures.js';
import type { SinkStats } from '../sink.js';

/** Upper bounds in ms of the latency buckets; the last bucket is everything above. */
const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000] as const;

export interface SendLatency {
  readonly count: number;
  readonly sumMs: number;
  readonly maxMs: number;
  /** Cumulative counts per bound of LATENCY_BUCKETS_MS, then +Inf (equal to count). */
  readonly buckets: readonly number[];
}

const BATCHES = counter('footfall_kafka_batches_total', 'Produce requests Kafka acknowledged.');
const SEND_ERRORS = counter(
  'footfall_kafka_send_errors_total',
  'Failed sends and connection attempts (each is retried; the records stay in the journal).',
);
const REPLAYED = counter(
  'footfall_kafka_replayed_records_total',
  'Records sent again after a failed or unsettled send (at least once delivery).',
);
const BROKER_REACHABLE = gauge(
  'footfall_kafka_broker_reachable',
  '1 while sends succeed, 0 while Kafka is unreachable or the sink is not running.',
  'min',
);
const SEND_DURATION: SinkHistogramFamily = {
  name: 'footfall_kafka_send_duration_seconds',
  help: 'Time from handing a batch to the Kafka client until Kafka acknowledged it.',
  type: 'histogram',
  bounds: LATENCY_BUCKETS_MS.map((ms) => ms / 1000),
};

export class KafkaStats {
  offered = 0;
  /** Refused by offer(): memory and spool full, or not running. */
  refused = 0;
  /** Accepted but neither sent nor spooled by shutdown (spool unwritable). */
  lost = 0;
  /** Refused by the broker for good (too large, invalid). */
  rejected = 0;
  written = 0;
  batches = 0;
  sendErrors = 0;
  replayed = 0;
  private latencyCount = 0;
  private latencySum = 0;
  private latencyMax = 0;
  private readonly buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);

  sent(records: number, ms: number): void {
    this.written += records;
    this.batches++;
    this.latencyCount++;
    this.latencySum += ms;
    if (ms > this.latencyMax) this.latencyMax = ms;
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > (LATENCY_BUCKETS_MS[i] as number)) i++;
    this.buckets[i] = (this.buckets[i] as number) + 1;
  }

  snapshot(): Omit<SinkStats, 'queued'> & {
    batches: number;
    sendErrors: number;
    replayed: number;
    sendLatency: SendLatency;
  } {
    let running = 0;
    const cumulative = this.buckets.map((n) => (running += n));
    return {
      offered: this.offered,
      written: this.written,
      dropped: this.refused + this.lost,
      failed: this.rejected,
      batches: this.batches,
      sendErrors: this.sendErrors,
      replayed: this.replayed,
      sendLatency: {
        count: this.latencyCount,
        sumMs: this.latencySum,
        maxMs: this.latencyMax,
        buckets: cumulative,
      },
    };
  }

  /** The Kafka families of /metrics (the journal's come from the journal). */
  figures(brokerReachable: boolean): SinkFigure[] {
    const { batches, sendErrors, replayed, sendLatency } = this.snapshot();
    return [
      { family: BATCHES, value: batches },
      { family: SEND_ERRORS, value: sendErrors },
      { family: REPLAYED, value: replayed },
      { family: BROKER_REACHABLE, value: brokerReachable ? 1 : 0 },
      {
        family: SEND_DURATION,
        value: { cumulative: sendLatency.buckets, sum: sendLatency.sumMs / 1000, count: sendLatency.count },
      },
    ];
  }
}
