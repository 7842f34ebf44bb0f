/**
 * Publishing the file sink's closed partial files, and recovering the ones that could not be published
 * at once: files set aside after a failed write or publish (`orphans`, retried until they go) and, at
 * start, `.partial` files of this sink left by a crashed run (same host, process gone or our own pid,
 * as happens with pid 1 in containers). Each is cut back to its last complete block, so an Avro reader
 * can read it, and published; header-only files are deleted; files of live processes, other hosts or
 * that are not Avro at all are left untouched.
 */
import { open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { scanContainer, type ScanResult } from './avro-container.js';
import {
  errorCode,
  ignore,
  livePartials,
  moveToPublishDir,
  PARTIAL_SUFFIX,
  partialFilePattern,
  PUBLISHED_SUFFIX,
  syncDir,
} from './files.js';
import { FileSinkIoError, type ResolvedFileSinkOptions } from './options.js';
import { processAlive } from '../process-alive.js';

/** How recovery reports problems to the sink, which shows them through health() and probes. */
export interface RecoveryProblems {
  noteWriteProblem(err: unknown): void;
  notePublishProblem(err: unknown): void;
  clearPublishProblem(): void;
}

export class FileSinkRecovery {
  /** Closed partial files still to be (cut back and) published. */
  readonly orphans = new Set<string>();
  scanned = false;
  filesPublished = 0;
  recoveredRecords = 0;

  constructor(
    private readonly o: ResolvedFileSinkOptions,
    private readonly problems: RecoveryProblems,
  ) {}

  /** Moves a closed, complete partial file into the publish folder. Never throws. */
  async publishPath(path: string, base: string, records: number): Promise<boolean> {
    const target = join(this.o.publishDir, base + PUBLISHED_SUFFIX);
    try {
      await moveToPublishDir(path, target, base, this.o.publishDir, this.o.fsync);
    } catch (err) {
      this.orphans.add(path);
      this.problems.notePublishProblem(new FileSinkIoError('cannot publish', target, err));
      return false;
    }
    // Makes the rename itself durable; the file's content was synced before.
    if (this.o.fsync) await syncDir(this.o.publishDir);
    this.orphans.delete(path);
    this.filesPublished++;
    this.problems.clearPublishProblem();
    this.o.logger.info({ sink: this.o.name, file: target, records }, 'file published');
    return true;
  }

  /** Finds this sink's partial files left by a crashed run and publishes their readable part. */
  async scanLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.o.workingDir);
    } catch (err) {
      this.problems.noteWriteProblem(new FileSinkIoError('cannot read folder', this.o.workingDir, err));
      return;
    }
    this.scanned = true;
    const pattern = partialFilePattern(this.o.safeName);
    const mine: string[] = [];
    const others: string[] = [];
    for (const name of names.sort()) {
      const match = pattern.exec(name);
      if (!match) continue;
      const path = join(this.o.workingDir, name);
      if (livePartials.has(path)) continue;
      const pid = Number(match[2]);
      if (match[1] !== this.o.safeHost || (pid !== this.o.pid && processAlive(pid))) others.push(name);
      else mine.push(path);
    }
    if (others.length > 0) {
      this.o.logger.warn(
        { sink: this.o.name, files: others },
        'partial files of another host or a running process left alone',
      );
    }
    let recovered = 0;
    for (const path of mine) {
      this.orphans.add(path);
      recovered += await this.recoverPartial(path, true);
    }
    this.recoveredRecords += recovered;
    if (mine.length > 0) {
      this.o.logger.info(
        { sink: this.o.name, files: mine.length, records: recovered },
        'partial files from an earlier run recovered',
      );
    }
  }

  async recoverOrphans(): Promise<void> {
    for (const path of [...this.orphans]) await this.recoverPartial(path, false);
  }

  /**
   * Cuts a closed partial file back to its last complete block and publishes it. Returns the records
   * published. Never throws; on failure the file stays in `orphans` for a later attempt.
   */
  private async recoverPartial(path: string, leftover: boolean): Promise<number> {
    let handle: FileHandle | undefined;
    let scan: ScanResult;
    let size: number;
    try {
      try {
        handle = await open(path, 'r+');
      } catch (err) {
        if (errorCode(err) === 'ENOENT') {
          this.orphans.delete(path);
          return 0;
        }
        throw err;
      }
      size = (await handle.stat()).size;
      scan = await scanContainer(handle, size);
      if (scan.kind === 'container' && scan.records > 0) {
        if (scan.validEnd < size) await handle.truncate(scan.validEnd);
        if (this.o.fsync) await handle.sync();
      }
      await handle.close();
      handle = undefined;
      if (scan.kind === 'foreign') {
        this.orphans.delete(path);
        this.o.logger.warn(
          { sink: this.o.name, file: path },
          'partial file is not an Avro container; left alone',
        );
        return 0;
      }
      if (scan.kind === 'no-header' || scan.records === 0) {
        // Without a complete header or a single complete block there is no record to lose.
        await unlink(path);
        this.orphans.delete(path);
        return 0;
      }
    } catch (err) {
      await handle?.close().catch(ignore);
      this.orphans.add(path);
      this.problems.notePublishProblem(new FileSinkIoError('cannot recover', path, err));
      return 0;
    }
    if (leftover && scan.validEnd < size) {
      this.o.logger.warn(
        { sink: this.o.name, file: path, keptBytes: scan.validEnd, droppedBytes: size - scan.validEnd },
        'partial file ended in an incomplete block; cut back to the last complete block',
      );
    }
    const published = await this.publishPath(path, basename(path, PARTIAL_SUFFIX), scan.records);
    return published ? scan.records : 0;
  }
}
