/**
 * The journal's metric families, the same for every sink that keeps one (Kafka and file sinks).
 */
import { counter, gauge, type SinkFigure } from '../figures.js';
import type { JournalStats } from './journal.js';

const RECORDS = gauge(
  'footfall_journal_records',
  'Records in the sink’s journal not yet stored downstream (written to disk or about to be).',
);
const BYTES = gauge(
  'footfall_journal_bytes',
  'Bytes of the journal’s segment files plus bytes not yet written.',
);
const SEGMENTS = gauge('footfall_journal_segments', 'Segment files in the journal folder.');
const OLDEST_AGE = gauge(
  'footfall_journal_oldest_unacknowledged_age_seconds',
  'Age of the oldest record not yet stored downstream; 0 when none waits.',
  'max',
);
const FSYNCS = counter(
  'footfall_journal_fsyncs_total',
  'Data syncs (fdatasync) of journal segment and cursor files.',
);
const WRITE_ERRORS = counter(
  'footfall_journal_write_errors_total',
  'Failed journal writes and syncs (events whose records could not be journaled are answered 503).',
);
const DAMAGED_BYTES = counter(
  'footfall_journal_damaged_bytes_total',
  'Bytes of damaged records found in journal segments and stepped over.',
);
const QUARANTINED_SEGMENTS = counter(
  'footfall_journal_quarantined_segments_total',
  'Damaged journal segments moved aside (kept, never deleted).',
);
const RECOVERED_RECORDS = counter(
  'footfall_journal_recovered_records_total',
  'Records found in the journal at start, left by an earlier run, and delivered again.',
);

export function journalFigures(stats: JournalStats, now = Date.now()): SinkFigure[] {
  const oldest = stats.oldestUnacknowledgedAt;
  return [
    { family: RECORDS, value: stats.records },
    { family: BYTES, value: stats.bytes },
    { family: SEGMENTS, value: stats.segments },
    { family: OLDEST_AGE, value: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000) },
    { family: FSYNCS, value: stats.fsyncs },
    { family: WRITE_ERRORS, value: stats.writeErrors },
    { family: DAMAGED_BYTES, value: stats.damagedBytes },
    { family: QUARANTINED_SEGMENTS, value: stats.quarantinedSegments },
    { family: RECOVERED_RECORDS, value: stats.recovered },
  ];
}
