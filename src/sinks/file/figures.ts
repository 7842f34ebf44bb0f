/**
 * The file sink's metric families (its journal's come from the journal).
 */
import { counter, type SinkFigure } from '../figures.js';
import type { FileSinkStats } from './options.js';

const WRITTEN_BYTES = counter(
  'footfall_file_sink_written_bytes_total',
  'Bytes of Avro blocks written to files (after compression, headers excluded).',
);
const FILES_PUBLISHED = counter(
  'footfall_file_sink_files_published_total',
  'Files moved into the publish folder, including those recovered from an earlier run.',
);
const IO_ERRORS = counter(
  'footfall_file_sink_io_errors_total',
  'Failed file operations (writes, publishes): operations, not records.',
);
const RECOVERED_RECORDS = counter(
  'footfall_file_sink_recovered_records_total',
  'Records published from partial files that an earlier run left behind.',
);

export function fileSinkFigures(stats: FileSinkStats): SinkFigure[] {
  return [
    { family: WRITTEN_BYTES, value: stats.bytesWritten },
    { family: FILES_PUBLISHED, value: stats.filesPublished },
    { family: IO_ERRORS, value: stats.ioErrors },
    { family: RECOVERED_RECORDS, value: stats.recoveredRecords },
  ];
}
