/**
 * Publishing the file sink's closed partial files, and recovering the ones that could not be published
 * at once: files set aside after a failed write or publish (`orphans`, retried until they go) and, at
 * start, partial files of this sink left by a crashed run of this instance (its id in the name: the
 * journal lock guarantees no other live process has it). Each is cut back to its last complete block,
 * so an Avro reader can read it, and published; header-only files are deleted; files of other
 * instances (replicas sharing the folder) or that are not Avro at all are left untouched. Names from
 * before instance ids count as ours when host matches and the pid is gone or our own.
 */
import { scanContainer, type ScanResult } from './avro-container.js';
import { PARTIAL_SUFFIX, partialFileWriter, type PartialFileWriter } from './names.js';
import { FileSinkIoError, ignore, type ResolvedFileSinkOptions } from './options.js';
import type { FileTarget, ReopenedPartial } from './target.js';
import { processAlive } from '../process-alive.js';

/**
 * Partial files open in this process, across sink instances, by location: a second sink of this
 * process sharing the folder must not take the first one's open files for leftovers (legacy names
 * carry only the pid, which both share).
 */
export const livePartials = new Set<string>();

/** How recovery reports problems to the sink, which shows them through health() and probes. */
export interface RecoveryProblems {
  noteWriteProblem(err: unknown): void;
  notePublishProblem(err: unknown): void;
  clearPublishProblem(): void;
}

export class FileSinkRecovery {
  /** Closed partial files (by base name) still to be (cut back and) published. */
  readonly orphans = new Set<string>();
  scanned = false;
  /** This instance's id, from the sink's journal once it is open; no scan before that. */
  instanceId: string | null = null;
  filesPublished = 0;
  recoveredRecords = 0;

  constructor(
    private readonly o: ResolvedFileSinkOptions,
    private readonly target: FileTarget,
    private readonly problems: RecoveryProblems,
  ) {}

  /** Publishes a closed, complete partial file. Never throws. */
  async publish(base: string, records: number): Promise<boolean> {
    let published: string;
    try {
      published = await this.target.publish(base);
    } catch (err) {
      this.orphans.add(base);
      this.problems.notePublishProblem(err);
      return false;
    }
    this.orphans.delete(base);
    this.filesPublished++;
    this.problems.clearPublishProblem();
    this.o.logger.info({ sink: this.o.name, file: published, records }, 'file published');
    return true;
  }

  /** Finds this sink's partial files left by a crashed run and publishes their readable part. */
  async scanLeftovers(): Promise<void> {
    const instanceId = this.instanceId;
    if (instanceId === null) return;
    let names: string[];
    try {
      names = await this.target.listPartials();
    } catch (err) {
      this.problems.noteWriteProblem(err);
      return;
    }
    this.scanned = true;
    const mine: string[] = [];
    const others: string[] = [];
    for (const name of names) {
      const writer = partialFileWriter(this.o.safeName, name);
      if (!writer) continue;
      const base = name.slice(0, -PARTIAL_SUFFIX.length);
      if (livePartials.has(this.target.partialLocation(base))) continue;
      if (this.isMine(writer, instanceId)) mine.push(base);
      else others.push(name);
    }
    if (others.length > 0) {
      this.o.logger.warn(
        { sink: this.o.name, instance: instanceId, files: others },
        'partial files of another instance left alone',
      );
    }
    let recovered = 0;
    for (const base of mine) {
      this.orphans.add(base);
      recovered += await this.recoverPartial(base, true);
    }
    this.recoveredRecords += recovered;
    if (mine.length > 0) {
      this.o.logger.info(
        { sink: this.o.name, files: mine.length, records: recovered },
        'partial files from an earlier run recovered',
      );
    }
  }

  private isMine(writer: PartialFileWriter, instanceId: string): boolean {
    if (writer.kind === 'instance') return writer.instanceId === instanceId;
    return writer.host === this.o.safeHost && (writer.pid === this.o.pid || !processAlive(writer.pid));
  }

  async recoverOrphans(): Promise<void> {
    for (const base of [...this.orphans]) await this.recoverPartial(base, false);
  }

  /**
   * Cuts a closed partial file back to its last complete block and publishes it. Returns the records
   * published. Never throws; on failure the file stays in `orphans` for a later attempt.
   */
  private async recoverPartial(base: string, leftover: boolean): Promise<number> {
    const location = this.target.partialLocation(base);
    let file: ReopenedPartial | null = null;
    let scan: ScanResult;
    let size: number;
    try {
      file = await this.target.reopen(base);
      if (!file) {
        this.orphans.delete(base);
        return 0;
      }
      size = file.size;
      scan = await scanContainer(file, size);
      if (scan.kind === 'container' && scan.records > 0) await file.keep(scan.validEnd);
      await file.close();
      file = null;
      if (scan.kind === 'foreign') {
        this.orphans.delete(base);
        this.o.logger.warn(
          { sink: this.o.name, file: location },
          'partial file is not an Avro container; left alone',
        );
        return 0;
      }
      if (scan.kind === 'no-header' || scan.records === 0) {
        // Without a complete header or a single complete block there is no record to lose.
        await this.target.remove(base);
        this.orphans.delete(base);
        return 0;
      }
    } catch (err) {
      await file?.close().catch(ignore);
      this.orphans.add(base);
      this.problems.notePublishProblem(new FileSinkIoError('cannot recover', location, err));
      return 0;
    }
    if (leftover && scan.validEnd < size) {
      this.o.logger.warn(
        { sink: this.o.name, file: location, keptBytes: scan.validEnd, droppedBytes: size - scan.validEnd },
        'partial file ended in an incomplete block; cut back to the last complete block',
      );
    }
    const published = await this.publish(base, scan.records);
    return published ? scan.records : 0;
  }
}
