/**
 * The Kafka wing's entry: a KafkaSink per config entry, and a journal folder per cluster worker (two
 * processes never share a journal, and a replacement worker sends what its predecessor journaled).
 */
import path from 'node:path';
import type { KafkaSinkConfig } from '../../config/index.js';
import type { SinkWing } from '../wing.js';
import { KafkaSink } from './kafka-sink.js';
import { kafkaSinkOptions } from './options.js';
import { resolveKafkaSecurity } from './security.js';

export const kafkaSinkWing: SinkWing<KafkaSinkConfig> = {
  type: 'kafka',
  // The schema is not needed: records arrive encoded, and framing only adds the configured schemaId.
  create: (name, config, _schema, logger) => new KafkaSink(kafkaSinkOptions(name, config, logger)),
  check: (name, config) => {
    resolveKafkaSecurity(name, config);
  },
  forWorker: (config, workerId) => ({
    ...config,
    spool: { ...config.spool, dir: path.join(config.spool.dir, `worker-${workerId}`) },
  }),
};
