/**
 * The sink wings Footfall knows, by config type. The mapped type makes a sink type that config
 * accepts but no wing builds a compile error rather than a start-up surprise.
 */
import type { SinkConfig } from '../config/index.js';
import type { AvroRecordSchema } from '../schema/index.js';
import { fileSinkWing } from './file/index.js';
import { kafkaSinkWing } from './kafka/index.js';
import type { SinkLogger } from './sink-logger.js';
import type { Sink } from './sink.js';
import type { SinkWing } from './wing.js';

const WINGS: { readonly [Type in SinkConfig['type']]: SinkWing<Extract<SinkConfig, { type: Type }>> } = {
  file: fileSinkWing,
  kafka: kafkaSinkWing,
};

// Each wing reads only its own type's entries, which is what the lookup by `type` hands it.
const wingOf = (config: SinkConfig): SinkWing => WINGS[config.type] as SinkWing;

/** Builds the sink one config entry describes; see SinkWing.create. */
export function createSink(
  name: string,
  config: SinkConfig,
  schema: AvroRecordSchema,
  logger: SinkLogger,
): Sink {
  return wingOf(config).create(name, config, schema, logger);
}

/** The entry as cluster worker `workerId` sees it; see SinkWing.forWorker. */
export function sinkConfigForWorker(config: SinkConfig, workerId: number): SinkConfig {
  return wingOf(config).forWorker?.(config, workerId) ?? config;
}

/** See SinkWing.check. */
export function checkSink(name: string, config: SinkConfig): void {
  wingOf(config).check?.(name, config);
}
