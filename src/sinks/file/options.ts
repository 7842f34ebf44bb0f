/**
 * The file sink's options, defaults, counters and errors: what callers (topology, metrics, tests)
 * need to know about it without reading its write logic, and the checks its options must pass.
 */
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import avsc from 'avsc';
import type { Type } from 'avsc';
import { fileSinkSpec, type FileSinkConfig } from '../../config/index.js';
import type { AvroRecordSchema } from '../../schema/index.js';
import type { AvroCodec } from './avro-container.js';
import type { FileTarget } from './target.js';
import type { JournalStats } from '../journal/journal.js';
import { silentLogger, type SinkLogger } from '../sink-logger.js';
import type { SinkStats } from '../sink.js';
import type { FsyncPolicy } from '../journal/policy.js';

/** The options config sets; an option added to FileSinkOptions must be mapped here or listed as internal. */
type ConfiguredOptions = Required<
  Pick<
    FileSinkOptions,
    | 'rollEveryMs'
    | 'rollSizeBytes'
    | 'flushEveryRecords'
    | 'flushEveryMs'
    | 'codec'
    | 'maxQueueSize'
    | 'maxQueueBytes'
    | 'journalMaxBytes'
    | 'journalSegmentBytes'
    | 'journalFsync'
    | 'journalFsyncIntervalMs'
  >
>;

/** The config keys that tune the sink, renamed for its options; see fileSinkOptions for the rest. */
function settingsOf(
  config: Omit<FileSinkConfig, 'workingDir' | 'publishDir' | 'journal'> & {
    readonly journal: Omit<FileSinkConfig['journal'], 'dir'>;
  },
): ConfiguredOptions {
  return {
    rollEveryMs: config.roll,
    rollSizeBytes: config.rollSize,
    flushEveryRecords: config.flushEveryRecords,
    flushEveryMs: config.flushInterval,
    codec: config.codec,
    maxQueueSize: config.queue.maxRecords,
    maxQueueBytes: config.queue.maxBytes,
    journalMaxBytes: config.journal.maxBytes,
    journalSegmentBytes: config.journal.segmentSize,
    journalFsync: config.journal.fsync,
    journalFsyncIntervalMs: config.journal.fsyncInterval,
  };
}

/**
 * What a sink built directly (tests, tools) gets for the options it leaves out. The config schema
 * is the one place defaults are written: these are its defaults, renamed by the same table the wing
 * uses, plus what config does not expose (fsync around publishing, the retry back-off).
 */
const FILE_SINK_DEFAULTS = {
  ...settingsOf(fileSinkSpec.schema.parse({ type: 'file' })),
  fsync: true,
  retryDelayMs: 1000,
  maxRetryDelayMs: 30_000,
};

export interface FileSinkOptions {
  /** Sink name from the configuration; part of every file name. */
  readonly name: string;
  /** The writer schema, as parsed JSON or an avsc Type; records must be encoded with it. */
  readonly schema: object | Type;
  readonly workingDir: string;
  readonly publishDir: string;
  /** Publish a file this long after it was opened, even without new records. Default 1 h. */
  readonly rollEveryMs?: number;
  /** Publish a file once it reaches this size. Default 64 MiB. */
  readonly rollSizeBytes?: number;
  /** Records per Avro block; a full block is written at once. Default 1000. */
  readonly flushEveryRecords?: number;
  /** Longest a record waits in memory before its block is written. Default 1000 ms. */
  readonly flushEveryMs?: number;
  /** Default 'null', as Divolte writes; 'deflate' is roughly 3–5 times smaller for clickstream records. */
  readonly codec?: AvroCodec;
  /** fsync file and publish folder around each publish. Default true. */
  readonly fsync?: boolean;
  /** Kept for configs that set it; the journal bounds what the sink holds now. */
  readonly maxQueueSize?: number;
  /** Bytes of committed records the journal keeps in memory for the writer (its tail cache). */
  readonly maxQueueBytes?: number;
  /** Where the sink journals records before they reach a file. Default: `journal/<name>` beside workingDir. */
  readonly journalDir?: string;
  readonly journalMaxBytes?: number;
  readonly journalSegmentBytes?: number;
  readonly journalFsync?: FsyncPolicy;
  readonly journalFsyncIntervalMs?: number;
  /** First pause before retrying a failed write (doubles up to maxRetryDelayMs); also the health probe period. Default 1000 ms. */
  readonly retryDelayMs?: number;
  /** Default 30 000 ms. */
  readonly maxRetryDelayMs?: number;
  readonly logger?: SinkLogger;
  /** Where files are written and published. Default: workingDir, renamed into publishDir. */
  readonly target?: FileTarget;
  /** Clock for file names and roll age; tests inject one. */
  readonly now?: () => number;
  readonly hostname?: string;
  readonly pid?: number;
}

/** The sink's options for one entry of the frozen config: the config keys, renamed for the sink. */
export function fileSinkOptions(
  name: string,
  config: FileSinkConfig,
  schema: AvroRecordSchema,
  logger: SinkLogger,
): FileSinkOptions {
  return {
    name,
    schema,
    workingDir: config.workingDir,
    publishDir: config.publishDir,
    journalDir: config.journal.dir,
    ...settingsOf(config),
    logger,
  };
}

export interface FileSinkStats extends SinkStats {
  readonly journal: JournalStats;
  readonly filesPublished: number;
  /** Bytes of blocks written (after compression), headers excluded. */
  readonly bytesWritten: number;
  /** Failed I/O operations (writes, publishes), not records. */
  readonly ioErrors: number;
  /** Records published from partial files left by an earlier run. */
  readonly recoveredRecords: number;
}

/** Wraps an fs error with what the sink was doing; `code` is stable, the cause keeps errno details. */
export class FileSinkIoError extends Error {
  readonly code = 'FOOTFALL_ERR_FILE_SINK_IO';
  constructor(
    readonly operation: string,
    readonly path: string,
    cause: unknown,
  ) {
    super(`${operation} ${path}: ${describe(cause)}`, { cause });
    this.name = 'FileSinkIoError';
  }
}

class FileSinkConfigError extends Error {
  readonly code = 'FOOTFALL_ERR_FILE_SINK_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'FileSinkConfigError';
  }
}

/** The options after validation, with defaults filled in and the file name parts made safe. */
export interface ResolvedFileSinkOptions {
  readonly name: string;
  readonly schemaJson: string;
  readonly codec: AvroCodec;
  readonly workingDir: string;
  readonly publishDir: string;
  readonly rollEveryMs: number;
  readonly rollSizeBytes: number;
  readonly retryDelayMs: number;
  readonly fsync: boolean;
  readonly logger: SinkLogger;
  readonly now: () => number;
  readonly safeName: string;
  readonly safeHost: string;
  readonly pid: number;
  readonly maxQueueSize: number;
  readonly maxQueueBytes: number;
  readonly flushEveryRecords: number;
  readonly flushEveryMs: number;
  readonly maxRetryDelayMs: number;
  readonly journalDir: string;
  readonly journalMaxBytes: number;
  readonly journalSegmentBytes: number;
  readonly journalFsync: FsyncPolicy;
  readonly journalFsyncIntervalMs: number;
}

/** Checks the options and fills in the defaults; throws FileSinkConfigError. */
export function resolveFileSinkOptions(options: FileSinkOptions): ResolvedFileSinkOptions {
  if (!options.name) throw new FileSinkConfigError('file sink: name must not be empty');
  const name = options.name;
  const schemaJson = schemaJsonOf(options.schema, options.name);
  const codec = options.codec ?? FILE_SINK_DEFAULTS.codec;
  if (codec !== 'null' && codec !== 'deflate') {
    throw new FileSinkConfigError(
      `file sink "${name}": codec must be 'null' or 'deflate', got '${String(codec)}'`,
    );
  }
  if (!options.workingDir || !options.publishDir) {
    throw new FileSinkConfigError(`file sink "${name}": workingDir and publishDir are required`);
  }
  const positive = (key: keyof typeof FILE_SINK_DEFAULTS, value: number | undefined): number => {
    const v = value ?? (FILE_SINK_DEFAULTS[key] as number);
    if (!Number.isFinite(v) || v <= 0) {
      throw new FileSinkConfigError(`file sink "${name}": ${key} must be a positive number, got ${v}`);
    }
    return v;
  };
  // Checked in this order so that the first bad option named stays the same.
  const rollEveryMs = positive('rollEveryMs', options.rollEveryMs);
  const rollSizeBytes = positive('rollSizeBytes', options.rollSizeBytes);
  const retryDelayMs = positive('retryDelayMs', options.retryDelayMs);
  const logger = options.logger ?? silentLogger;
  return {
    name,
    schemaJson,
    codec,
    workingDir: options.workingDir,
    publishDir: options.publishDir,
    rollEveryMs,
    rollSizeBytes,
    retryDelayMs,
    fsync: options.fsync ?? FILE_SINK_DEFAULTS.fsync,
    logger,
    now: options.now ?? Date.now,
    safeName: fileNamePart(name),
    safeHost: fileNamePart(options.hostname ?? osHostname()) || 'localhost',
    pid: options.pid ?? process.pid,
    maxQueueSize: Math.floor(positive('maxQueueSize', options.maxQueueSize)),
    maxQueueBytes: Math.floor(positive('maxQueueBytes', options.maxQueueBytes)),
    flushEveryRecords: Math.floor(positive('flushEveryRecords', options.flushEveryRecords)),
    flushEveryMs: positive('flushEveryMs', options.flushEveryMs),
    maxRetryDelayMs: positive('maxRetryDelayMs', options.maxRetryDelayMs),
    journalDir: options.journalDir ?? path.join(path.dirname(options.workingDir), 'journal', name),
    journalMaxBytes: positive('journalMaxBytes', options.journalMaxBytes),
    journalSegmentBytes: positive('journalSegmentBytes', options.journalSegmentBytes),
    journalFsync: options.journalFsync ?? FILE_SINK_DEFAULTS.journalFsync,
    journalFsyncIntervalMs: positive('journalFsyncIntervalMs', options.journalFsyncIntervalMs),
  };
}

function schemaJsonOf(schema: object | Type, sinkName: string): string {
  try {
    if (avsc.Type.isType(schema)) return JSON.stringify((schema as Type).schema({ exportAttrs: true }));
    avsc.Type.forSchema(schema as Parameters<typeof avsc.Type.forSchema>[0]);
    return JSON.stringify(schema);
  } catch (err) {
    throw new FileSinkConfigError(`file sink "${sinkName}": invalid Avro schema: ${describe(err)}`);
  }
}

/** Keeps names portable and the `-`-separated layout parseable from the right. */
function fileNamePart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The errno code (EACCES, ENOSPC...) of an fs error, also when wrapped in a FileSinkIoError. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
  if (typeof code === 'string' && !code.startsWith('FOOTFALL_')) return code;
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

export function ignore(): void {}
