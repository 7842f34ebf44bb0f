/**
 * A wing's way in. Each sink type (src/sinks/<wing>/) exports one SinkWing from its index.ts, and
 * registry.ts lists them: the collector builds sinks and cluster workers adjust their config through
 * that list, so a new sink type touches its own wing and one line there, never the collector.
 */
import type { SinkConfig } from '../config/index.js';
import type { AvroRecordSchema } from '../schema/index.js';
import type { SinkLogger } from './sink-logger.js';
import type { Sink } from './sink.js';

export interface SinkWing<Config extends SinkConfig = SinkConfig> {
  /** The `type` of the config entries this wing builds. */
  readonly type: Config['type'];
  /**
   * Builds the sink for one entry of the frozen config (paths already resolved). `schema` is the
   * writer schema of the mappings feeding it. Throws on options the sink cannot work with; I/O
   * starts only with the sink's start().
   */
  create(name: string, config: Config, schema: AvroRecordSchema, logger: SinkLogger): Sink;
  /**
   * A cluster worker's copy of the entry, for sinks that must not share state between worker
   * processes (a folder only one process may append to). Absent: every worker uses the entry as is.
   */
  forWorker?(config: Config, workerId: number): Config;
  /**
   * What `check-config` checks beyond the schema without opening anything: that the files and
   * secrets the entry names can be read. Throws as create() would.
   */
  check?(name: string, config: Config): void;
}
