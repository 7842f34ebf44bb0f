/**
 * The file wing's entry: a FileSink per config entry, and a journal folder per cluster worker (two
 * processes never share a journal; a replacement worker writes what its predecessor journaled). The
 * working and publish folders are shared: file names carry the process id, so two processes never
 * write one file.
 */
import path from 'node:path';
import type { FileSinkConfig } from '../../config/index.js';
import type { SinkWing } from '../wing.js';
import { FileSink } from './file-sink.js';
import { fileSinkOptions } from './options.js';

export const fileSinkWing: SinkWing<FileSinkConfig> = {
  type: 'file',
  create: (name, config, schema, logger) => new FileSink(fileSinkOptions(name, config, schema, logger)),
  forWorker: (config, workerId) => ({
    ...config,
    journal: { ...config.journal, dir: path.join(config.journal.dir, `worker-${workerId}`) },
  }),
};
