export type { Sink, SinkHealth, SinkRecord, SinkStats } from './sink.js';
export type { SinkWing } from './wing.js';
export { createSink, sinkConfigForWorker } from './registry.js';
export {
  FILE_SINK_DEFAULTS,
  FileSink,
  FileSinkConfigError,
  FileSinkIoError,
  type FileSinkOptions,
  type FileSinkStats,
} from './file/file-sink.js';
export type { AvroCodec } from './file/avro-container.js';
export { LocalFolderTarget, type LocalFolderOptions } from './file/local-folder.js';
export type { FileTarget, PartialFile, ReopenedPartial } from './file/target.js';
export { MemorySink, type MemorySinkOptions } from './memory-sink.js';
export { DropLog, silentLogger, type SinkLogger } from './sink-logger.js';
export {
  KAFKA_SINK_DEFAULTS,
  KafkaSink,
  KafkaSinkError,
  type KafkaSinkOptions,
  type KafkaSinkStats,
} from './kafka/kafka-sink.js';
export { LATENCY_BUCKETS_MS, type SendLatency } from './kafka/stats.js';
export {
  JOURNAL_DEFAULTS,
  Journal,
  JournalError,
  type JournalOptions,
  type JournalStats,
} from './journal/journal.js';
export type { FsyncPolicy } from './journal/policy.js';
