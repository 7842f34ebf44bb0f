/**
 * The spool's options, defaults and the shapes it hands out (batches, stats): what its users and its
 * parts share without reading the file handling.
 */
import type { SinkLogger } from '../sink-logger.js';
import type { SpoolRecord } from './format.js';

export type FsyncPolicy = 'always' | 'interval' | 'never';

/**
 * Only what config does not expose. Segment size and fsync are operators' settings (a Kafka sink's
 * `spool:` section); whoever opens a spool passes them, so their defaults live in the config schema
 * alone.
 */
export const SPOOL_DEFAULTS = {
  maxPendingBytes: 16 * 1024 * 1024,
  retryDelayMs: 1000,
};

export interface SpoolOptions {
  readonly dir: string;
  /** Disk budget: segment files plus records not yet written. */
  readonly maxBytes: number;
  readonly segmentBytes: number;
  readonly fsync: FsyncPolicy;
  readonly fsyncIntervalMs: number;
  /** Appended but not yet written; bounds memory while writes fail (a full or broken disk). */
  readonly maxPendingBytes?: number;
  /** Pause before a failed write is tried again. */
  readonly retryDelayMs?: number;
  readonly logger?: SinkLogger;
  /** Shown in log lines (the sink's name). */
  readonly name?: string;
  /** Called after records were written, so a waiting reader can look again. */
  readonly onWritten?: () => void;
}

export interface SpoolBatch {
  readonly records: SpoolRecord[];
  readonly seq: number;
  readonly end: number;
}

export interface SpoolStats {
  /** Records held and not yet acknowledged, written or not. */
  readonly records: number;
  /** Disk bytes of the segment files plus bytes waiting to be written. */
  readonly bytes: number;
  readonly segments: number;
  readonly pendingBytes: number;
  readonly appended: number;
  readonly acknowledged: number;
  readonly fsyncs: number;
  readonly writeErrors: number;
  /** Bytes found unreadable (torn or corrupt) and skipped. */
  readonly skippedBytes: number;
  /** Records found in the folder at open, left by an earlier run. */
  readonly recovered: number;
}
