/**
 * The file wing's entry: a FileSink per config entry. Workers share its folders: file names carry
 * the process id, so two processes never write one file.
 */
import type { FileSinkConfig } from '../../config/index.js';
import type { SinkWing } from '../wing.js';
import { FileSink } from './file-sink.js';
import { fileSinkOptions } from './options.js';

export const fileSinkWing: SinkWing<FileSinkConfig> = {
  type: 'file',
  create: (name, config, schema, logger) => new FileSink(fileSinkOptions(name, config, schema, logger)),
};
