/**
 * Where the file sink's files live: the seam Divolte's FileManager was (local folders or HDFS). The
 * sink decides what goes into a file, what it is called, when it rolls and what counts as a crash
 * leftover; a target only stores bytes under those names and makes a finished file appear whole.
 * LocalFolderTarget (working folder → rename into the publish folder) is today's; an object store
 * is one more implementation of these three interfaces.
 *
 * Errors: the steps with a name of their own (create, write, sync, publish, list, prepare) throw a
 * FileSinkIoError that says what failed where, which the sink shows through health() as it is. The
 * recovery steps (reopen, keep, remove) throw what the storage threw: recovery reports the whole
 * attempt as one "cannot recover <file>".
 */
import type { RandomReader } from './avro-container.js';

/** A file being written: appended to front to back, then closed and published, or abandoned. */
export interface PartialFile {
  readonly base: string;
  /** Bytes in the file so far, header included. */
  readonly size: number;
  /** Appends at the end. A failure may leave part of `bytes` behind: the file is then abandoned. */
  append(bytes: Buffer): Promise<void>;
  /** Makes what was appended durable (when the target syncs) and closes; closed even when it throws. */
  close(): Promise<void>;
  /** Closes without syncing and never throws: the file is set aside for recovery or removed next. */
  abandon(): Promise<void>;
  /**
   * When the file lost its name while open (its folder or the file itself deleted), writes it anew
   * under that name from what the open file still holds; true when it did. A target whose files
   * cannot vanish under an open handle leaves it out.
   */
  relink?(): Promise<boolean>;
}

/** A closed partial file opened again to find and keep its readable part. */
export interface ReopenedPartial extends RandomReader {
  readonly size: number;
  /** Cuts the file back to its first `length` bytes (when longer) and makes that durable. */
  keep(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface FileTarget {
  /** Where partial files wait, as logs and messages show it. */
  readonly workingLocation: string;
  /** Makes the working side usable (creates the folder); runs before every new file. */
  prepareWorking(): Promise<void>;
  /** Makes the publish side usable; a broken publish side must not stop writing. */
  preparePublish(): Promise<void>;
  /**
   * Creates partial file `base` holding `header`, or returns null when the name is taken on either
   * side, so the sink tries the next one (a restarted process can get the same pid within a second).
   */
  create(base: string, header: Buffer): Promise<PartialFile | null>;
  /**
   * Makes the closed partial file `base` a published file under its final name, at once and whole
   * (whoever watches the publish side never sees it half-written), durably when the target syncs.
   * Returns where it now is.
   */
  publish(base: string): Promise<string>;
  /** Names of the partial files on the working side (base plus PARTIAL_SUFFIX), sorted. */
  listPartials(): Promise<string[]>;
  /**
   * Where partial file `base` is: shown in logs, and the key under which sink instances of one
   * process tell each other's open files from crash leftovers.
   */
  partialLocation(base: string): string;
  /** Opens the closed partial file `base` again; null when it is gone. */
  reopen(base: string): Promise<ReopenedPartial | null>;
  remove(base: string): Promise<void>;
  /** Writes and removes a scratch file `name` on the working side: can the sink write again? */
  probe(name: string): Promise<void>;
}
