/**
 * The file the sink is writing: opened under its next name, fed one Avro block at a time, rolled
 * (closed and published) by age or size, restored under its name when it was deleted while open, and
 * set aside when a write fails midway. FileSink decides when blocks come (from its journal) and runs
 * every call here on its one-at-a-time file chain; this class only knows the file, which keeps the
 * journal and shutdown logic apart from the bytes on disk.
 */
import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';
import { BlockBuilder } from './avro-container.js';
import { createNextPartial } from './names.js';
import { ignore, type ResolvedFileSinkOptions } from './options.js';
import type { FileSinkProblems } from './problems.js';
import { livePartials, type FileSinkRecovery } from './recovery.js';
import type { FileTarget, PartialFile } from './target.js';
import type { SinkRecord } from '../sink.js';

const deflateRawAsync = promisify(deflateRaw);

/** setTimeout turns longer delays into 1 ms; the per-write age check covers the rest. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface OpenFile {
  readonly partial: PartialFile;
  /** Where the target keeps it: the key in livePartials. */
  readonly location: string;
  readonly sync: Buffer;
  readonly openedAt: number;
  records: number;
  rollTimer: NodeJS.Timeout | null;
}

/** What the open file needs from the sink. */
export interface RollingFileHost {
  /** Runs a task on the sink's one-at-a-time file work chain (the roll timer's publish). */
  serial(task: () => Promise<void>): Promise<void>;
  /** This instance's id, from the sink's journal (open before the first block). */
  instanceId(): string;
}

export class RollingFile {
  /** The open file; null between a roll and the next block. */
  current: OpenFile | null = null;
  writtenCount = 0;
  bytesWritten = 0;
  private seq = 0;
  // Reused for every block: blocks are written one at a time (the delivery has one in flight).
  private readonly blocks = new BlockBuilder();

  constructor(
    private readonly o: ResolvedFileSinkOptions,
    private readonly target: FileTarget,
    private readonly recovery: FileSinkRecovery,
    private readonly problems: FileSinkProblems,
    private readonly host: RollingFileHost,
  ) {}

  /**
   * Restores the open file under its name when it was deleted while open (folder removed): its blocks
   * are acknowledged and no longer in the journal, so the open descriptor is their only copy.
   */
  async relinkCurrent(): Promise<void> {
    const file = this.current;
    if (!file?.partial.relink) return;
    try {
      if (await file.partial.relink()) {
        const problem = new Error(
          `the open file ${file.location} was deleted; written back from the open file`,
        );
        this.problems.noteWriteProblem(problem);
        this.o.logger.error(
          { sink: this.o.name, file: file.location, records: file.records },
          'the open Avro file was deleted while in use; restored from the open file, nothing lost',
        );
      }
    } catch (err) {
      this.problems.noteWriteProblem(err);
      throw err;
    }
  }

  /** Runs for every block the journal hands out; a throw leaves the block in the journal for a retry. */
  async writeBlock(batch: SinkRecord[]): Promise<void> {
    await this.relinkCurrent();
    if (this.current && this.o.now() - this.current.openedAt >= this.o.rollEveryMs)
      await this.publishCurrent();
    const file = this.current ?? (await this.openFile());

    const values: Buffer[] = new Array<Buffer>(batch.length);
    for (let i = 0; i < batch.length; i++) values[i] = (batch[i] as SinkRecord).value;
    const data = this.o.codec === 'deflate' ? [await deflateRawAsync(Buffer.concat(values))] : values;
    const block = this.blocks.build(batch.length, data, file.sync);

    try {
      await file.partial.append(block);
    } catch (err) {
      // The file may now end in a torn block. Rather than trusting a truncate on a failing disk, set
      // it aside: it is cut back to its last complete block and published once I/O works again.
      await this.abandon(file);
      throw err;
    }
    file.records += batch.length;
    this.writtenCount += batch.length;
    this.bytesWritten += block.length;
    this.problems.clearWriteProblem();

    if (file.partial.size >= this.o.rollSizeBytes) await this.publishCurrent();
    // Files set aside after a failed write; while publishing itself fails, the probe retries instead.
    if (this.recovery.orphans.size > 0 && !this.problems.publishProblem) await this.recovery.recoverOrphans();
  }

  private async openFile(): Promise<OpenFile> {
    // Only the working folder: a broken publish folder must not stop records from reaching the disk.
    await this.target.prepareWorking();
    if (!this.recovery.scanned) await this.recovery.scanLeftovers();
    const created = await createNextPartial(this.target, this.o, this.host.instanceId(), () => this.seq++);
    const file: OpenFile = {
      partial: created.partial,
      location: this.target.partialLocation(created.partial.base),
      sync: created.sync,
      openedAt: created.openedAt,
      records: 0,
      rollTimer: null,
    };
    livePartials.add(file.location);
    const timer = setTimeout(
      () => {
        void this.host
          .serial(async () => {
            if (this.current === file) await this.publishCurrent();
          })
          .catch(ignore);
      },
      Math.min(this.o.rollEveryMs, MAX_TIMER_MS),
    );
    timer.unref();
    file.rollTimer = timer;
    this.current = file;
    return file;
  }

  /** Closes the open file and publishes it, or deletes it when it holds no record. Never throws. */
  async publishCurrent(): Promise<void> {
    const file = this.current;
    if (!file) return;
    // A file that lost its name cannot be renamed into the publish folder: give it its name back.
    await this.relinkCurrent().catch(ignore);
    this.current = null;
    if (file.rollTimer) clearTimeout(file.rollTimer);
    livePartials.delete(file.location);
    const { base } = file.partial;
    if (file.records === 0) {
      await file.partial.abandon();
      await this.target.remove(base).catch(ignore);
      return;
    }
    try {
      await file.partial.close();
    } catch (err) {
      this.recovery.orphans.add(base);
      this.problems.notePublishProblem(err);
      return;
    }
    await this.recovery.publish(base, file.records);
  }

  private async abandon(file: OpenFile): Promise<void> {
    if (this.current === file) this.current = null;
    if (file.rollTimer) clearTimeout(file.rollTimer);
    livePartials.delete(file.location);
    await file.partial.abandon();
    const { base } = file.partial;
    if (file.records > 0) {
      this.recovery.orphans.add(base);
    } else {
      await this.target.remove(base).catch(() => this.recovery.orphans.add(base));
    }
  }
}
