/**
 * The sink port. Everything the pipeline knows about a destination is here: it offers an encoded
 * record and learns at once whether the sink took it. Sinks own their batching, retries and I/O.
 */

/** One record on its way to a sink: Avro binary without any framing, plus routing facts. */
export interface SinkRecord {
  /** Partition key (the party id); null when the event has none. */
  readonly key: string | null;
  /** Naked Avro binary of the record, encoded with the schema the sink was built for. */
  readonly value: Buffer;
  /** Server receive time in ms since the epoch; Kafka uses it as the record timestamp. */
  readonly timestamp: number;
}

export interface SinkHealth {
  /** False while the sink cannot currently deliver (folder unwritable, broker away with no spool...). */
  readonly ready: boolean;
  /** A short human-readable reason, shown on /health/ready. */
  readonly detail?: string;
}

/** Counters every sink keeps; exposed through metrics and tests. Monotonic except `queued`. */
export interface SinkStats {
  readonly offered: number;
  readonly written: number;
  readonly dropped: number;
  readonly failed: number;
  readonly queued: number;
}

export interface Sink {
  readonly name: string;
  /**
   * Hands one record to the sink without waiting. Returns false when the sink could not take it
   * (queue full and no spool room, or shutting down); the caller counts that as `dropped`.
   */
  offer(record: SinkRecord): boolean;
  health(): SinkHealth;
  stats(): SinkStats;
  /** Starts I/O (open files, connect). Rejects with a clear error when the sink cannot work at all. */
  start(): Promise<void>;
  /** Drains what it holds within the deadline, then releases everything. Idempotent. */
  shutdown(deadlineMs: number): Promise<void>;
}
