/**
 * The sink port. Everything the pipeline knows about a destination is here: it offers an encoded
 * record and learns at once whether the sink took it. Sinks own their batching, retries and I/O.
 */
import type { SinkFigure } from './figures.js';

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
  /** False while the sink cannot currently deliver (folder unwritable, broker away, journal full...). */
  readonly ready: boolean;
  /** A short human-readable reason, shown on /health/ready. */
  readonly detail?: string;
  /** The sink's journal as /health/ready shows it: what waits there, and for how long. */
  readonly journal?: JournalHealth;
}

export interface JournalHealth {
  /** The instance owning the journal folder (journal/identity.ts): tells replicas apart. */
  readonly instance: string;
  /** Records not yet stored downstream. */
  readonly records: number;
  readonly bytes: number;
  /** Age of the oldest record not yet stored downstream; 0 when none waits. */
  readonly oldestUnacknowledgedSeconds: number;
  readonly quarantinedSegments: number;
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
  /**
   * Makes every record offered since the last commit durable (written to the sink's journal or file:
   * a SIGKILL cannot lose it). The ingest seam calls it once per event-loop turn before any answer
   * leaves. False: those records are not stored, and their events must not be answered as stored.
   */
  commit(): boolean;
  health(): SinkHealth;
  stats(): SinkStats;
  /**
   * The sink's own /metrics families and their values now (journal, client, file figures), beside
   * the SinkStats families every sink has. A sink returns the same families at every call.
   */
  figures?(): readonly SinkFigure[];
  /** Starts I/O (open files, connect). Rejects with a clear error when the sink cannot work at all. */
  start(): Promise<void>;
  /** Drains what it holds within the deadline, then releases everything. Idempotent. */
  shutdown(deadlineMs: number): Promise<void>;
}
