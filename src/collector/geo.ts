/**
 * The geo-IP databases at the edge: opened with the `maxmind` reader at start-up, watched, and reloaded
 * when the file on disk changes (a weekly geoipupdate run, a new volume in a container). The pipeline
 * gets one synchronous look-up function that always asks the current readers; a reload builds and checks
 * the new reader completely before swapping the reference, so events keep flowing through the old one
 * until the new one is ready, and a broken or half-copied file never replaces a good one.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import maxmind, { type AsnResponse, type CityResponse, type Reader, type Response } from 'maxmind';
import { createGeoLookup, type GeoLookup } from '../pipeline/index.js';

/** A configured database cannot be opened. Raised at start-up; the process exits with code 2. */
export class GeoDatabaseError extends Error {
  readonly code = 'FOOTFALL_ERR_GEO';
  override readonly name = 'GeoDatabaseError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface GeoOptions {
  /** GeoIP2/GeoLite2 City (or Country) database; relative paths are resolved against `baseDir`. */
  readonly geoDatabase: string | null;
  /** GeoLite2 ASN database. */
  readonly asnDatabase: string | null;
  readonly baseDir: string;
  readonly logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** How often the files are checked for changes; stat polling also sees files replaced by rename. */
  readonly pollIntervalMs?: number;
  /** How long a changed file must stay unchanged before it is read, so a copy in progress is not. */
  readonly settleMs?: number;
}

export interface GeoService {
  /** Null when no database is configured. */
  readonly lookup: GeoLookup | null;
  /** Successful reloads so far. */
  reloads(): number;
  /** Stops watching the files. */
  close(): void;
}

const READER_CACHE_ENTRIES = 10_000;

export async function openGeo(options: GeoOptions): Promise<GeoService> {
  const { logger } = options;
  const watch = {
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    settleMs: options.settleMs ?? 500,
  };
  if (options.geoDatabase === null) {
    logger.warn(
      'no geo-IP database configured (enrich.geoDatabase): country, city and location fields will be null',
    );
  }
  const city =
    options.geoDatabase === null
      ? null
      : await WatchedDatabase.open<CityResponse>(
          'enrich.geoDatabase',
          path.resolve(options.baseDir, options.geoDatabase),
          /City|Country|Enterprise|Insights/i,
          logger,
          watch,
        );
  let asn: WatchedDatabase<AsnResponse> | null = null;
  try {
    asn =
      options.asnDatabase === null
        ? null
        : await WatchedDatabase.open<AsnResponse>(
            'enrich.asnDatabase',
            path.resolve(options.baseDir, options.asnDatabase),
            /ASN|ISP/i,
            logger,
            watch,
          );
  } catch (err) {
    city?.close();
    throw err;
  }
  const lookup =
    city === null && asn === null
      ? null
      : createGeoLookup({ city: () => city?.current ?? null, asn: () => asn?.current ?? null });
  return {
    lookup,
    reloads: () => (city?.reloads ?? 0) + (asn?.reloads ?? 0),
    close() {
      city?.close();
      asn?.close();
    },
  };
}

class WatchedDatabase<T extends Response> {
  reloads = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private loading = false;
  private readonly poller: NodeJS.Timeout;
  private polling = false;
  private missing = false;

  private constructor(
    private readonly key: string,
    private readonly file: string,
    public current: Reader<T>,
    private readonly logger: GeoOptions['logger'],
    private readonly watch: { pollIntervalMs: number; settleMs: number },
    /** Identity of the file last seen (inode, size, mtime); a difference means it was replaced. */
    private seen: string,
  ) {
    // Polling against the identity of the file we loaded, not against the previous poll: a file
    // replaced between opening and the first poll is still noticed.
    this.poller = setInterval(() => void this.poll(), watch.pollIntervalMs);
    this.poller.unref();
  }

  static async open<T extends Response>(
    key: string,
    file: string,
    expectedType: RegExp,
    logger: GeoOptions['logger'],
    watch: { pollIntervalMs: number; settleMs: number },
  ): Promise<WatchedDatabase<T>> {
    let reader: Reader<T>;
    let seen: string;
    try {
      seen = identity(await stat(file));
      reader = await read<T>(file);
    } catch (err) {
      throw new GeoDatabaseError(`${key}: cannot open ${file}: ${reason(err)}`, { cause: err });
    }
    const { databaseType, buildEpoch } = reader.metadata;
    if (!expectedType.test(databaseType)) {
      logger.warn(
        { file, databaseType },
        `${key} is a ${databaseType} database, which is not the expected kind`,
      );
    }
    logger.info({ file, databaseType, built: buildEpoch.toISOString() }, `${key} loaded`);
    return new WatchedDatabase<T>(key, file, reader, logger, watch, seen);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.poller);
  }

  private async poll(): Promise<void> {
    if (this.closed || this.polling) return;
    this.polling = true;
    let current: string;
    try {
      current = identity(await stat(this.file));
    } catch {
      // Removed (or mid-rename): keep answering from the database in memory.
      if (!this.missing)
        this.logger.warn({ file: this.file }, `${this.key} disappeared; keeping the loaded one`);
      this.missing = true;
      return;
    } finally {
      this.polling = false;
    }
    this.missing = false;
    if (current === this.seen) return;
    this.seen = current;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.watch.settleMs);
    this.timer.unref();
  }

  private async reload(): Promise<void> {
    if (this.closed) return;
    if (this.loading) {
      this.timer = setTimeout(() => void this.reload(), this.watch.settleMs);
      this.timer.unref();
      return;
    }
    this.loading = true;
    try {
      const next = await read<T>(this.file);
      if (this.closed) return;
      this.current = next;
      this.reloads++;
      const { databaseType, buildEpoch } = next.metadata;
      this.logger.info(
        { file: this.file, databaseType, built: buildEpoch.toISOString() },
        `${this.key} reloaded after the file changed`,
      );
    } catch (err) {
      // A half-written file fails here; the next change of the file triggers another attempt.
      this.logger.warn(
        { file: this.file, err: reason(err) },
        `${this.key} changed but cannot be read; keeping the loaded one`,
      );
    } finally {
      this.loading = false;
    }
  }
}

function identity(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

async function read<T extends Response>(file: string): Promise<Reader<T>> {
  const reader = await maxmind.open<T>(file, { cache: { max: READER_CACHE_ENTRIES } });
  // A database with a tree but broken data fails on first use; one probe finds that before it serves.
  reader.get('1.1.1.1');
  return reader;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return err instanceof Error ? err.message : String(err);
}
