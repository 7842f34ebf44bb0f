/** The `file` sink: Avro container files written in a working folder and published by renaming. */
import path from 'node:path';
import { z } from 'zod';
import { duration, size, timerDuration, type DeepReadonly } from '../fields.js';
import { journalSchema } from './journal.js';
import type { SinkSpec } from './spec.js';

/** How much a sink may hold in memory before it refuses records (which are then counted as dropped). */
const queueSchema = z
  .object({
    maxRecords: z.number().int().min(1).default(100_000),
    maxBytes: size.prefault('64mb'),
  })
  .strict();

const schema = z
  .object({
    type: z.literal('file'),
    // Null means "under dataDir"; resolved after parsing so FOOTFALL_DATA_DIR moves both folders.
    workingDir: z.string().min(1).nullable().default(null),
    publishDir: z.string().min(1).nullable().default(null),
    // Compared with the open file's age; its timer is capped (file-sink.ts), so a month is fine.
    roll: duration.prefault('1h'),
    rollSize: size.prefault('64mb'),
    flushEveryRecords: z.number().int().min(1).default(1000),
    flushInterval: timerDuration.prefault('1s'),
    codec: z.enum(['null', 'deflate']).default('null'),
    queue: queueSchema.prefault({}),
    journal: journalSchema.prefault({}),
  })
  .strict();

type FileSinkParsed = z.output<typeof schema>;
export type FileSinkConfig = DeepReadonly<
  Omit<FileSinkParsed, 'workingDir' | 'publishDir' | 'journal'> & {
    workingDir: string;
    publishDir: string;
    journal: Omit<FileSinkParsed['journal'], 'dir'> & { dir: string };
  }
>;

export const fileSinkSpec: SinkSpec<'file', typeof schema, FileSinkConfig> = {
  type: 'file',
  label: 'file',
  schema,
  resolvePaths: (sink, name, dataDir, baseDir) => ({
    ...sink,
    workingDir: sink.workingDir ? path.resolve(baseDir, sink.workingDir) : path.join(dataDir, 'working'),
    publishDir: sink.publishDir ? path.resolve(baseDir, sink.publishDir) : path.join(dataDir, 'published'),
    journal: {
      ...sink.journal,
      dir: sink.journal.dir ? path.resolve(baseDir, sink.journal.dir) : path.join(dataDir, 'journal', name),
    },
  }),
};
