/**
 * What the file sink's files are called, whatever the target: `footfall-<sink>-<UTC start>-<host>-
 * <instance>-<seq>`, plus `.avro.partial` while written and `.avro` once published. The instance id
 * (kept in the sink's journal folder, see journal/identity.ts) makes a name unique across replicas
 * that all run as pid 1 under one host name, and tells this instance's crash leftovers from files
 * another live replica is writing into a shared folder; the host is there for people; seq counts
 * within one run.
 *
 * Names written before instance ids (`<host>-<pid>-<seq>`) are still recognised, by host and pid.
 */
import { encodeHeader, newSyncMarker } from './avro-container.js';
import { INSTANCE_ID_PATTERN } from '../journal/identity.js';
import { FileSinkIoError, type ResolvedFileSinkOptions } from './options.js';
import type { FileTarget, PartialFile } from './target.js';

export const PARTIAL_SUFFIX = '.avro.partial';
export const PUBLISHED_SUFFIX = '.avro';

/** A new partial file holding only its header. */
export interface CreatedPartial {
  readonly partial: PartialFile;
  readonly sync: Buffer;
  readonly openedAt: number;
}

/** Creates the next partial file on the target, trying names until one is free. */
export async function createNextPartial(
  target: FileTarget,
  o: ResolvedFileSinkOptions,
  instanceId: string,
  nextSeq: () => number,
): Promise<CreatedPartial> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const openedAt = o.now();
    const base = [
      'footfall',
      o.safeName,
      utcStamp(openedAt),
      o.safeHost,
      instanceId,
      String(nextSeq()).padStart(6, '0'),
    ].join('-');
    const sync = newSyncMarker();
    const partial = await target.create(base, encodeHeader(o.schemaJson, o.codec, sync));
    if (partial) return { partial, sync, openedAt };
  }
  throw new FileSinkIoError(
    'cannot find a free file name in',
    target.workingLocation,
    new Error('1000 names taken'),
  );
}

/** Who wrote a partial file, read from its name. */
export type PartialFileWriter =
  | { readonly kind: 'instance'; readonly instanceId: string }
  | { readonly kind: 'legacy'; readonly host: string; readonly pid: number };

/** Reads a partial file name of this sink: its writer, or null when the name is not one of this sink's. */
export function partialFileWriter(safeName: string, name: string): PartialFileWriter | null {
  const prefix = `footfall-${safeName}-`;
  if (!name.startsWith(prefix) || !name.endsWith(PARTIAL_SUFFIX)) return null;
  const match = WRITER_PART.exec(name.slice(prefix.length, -PARTIAL_SUFFIX.length));
  if (!match) return null;
  const [, host, instanceOrPid] = match as unknown as [string, string, string];
  if (INSTANCE_ID_PATTERN.test(instanceOrPid)) return { kind: 'instance', instanceId: instanceOrPid };
  if (/^\d+$/.test(instanceOrPid)) return { kind: 'legacy', host, pid: Number(instanceOrPid) };
  return null;
}

/** `<UTC start>-<host>-<instance id or legacy pid>-<seq>`; the host may itself hold dashes. */
const WRITER_PART = /^\d{8}T\d{6}Z-(.+)-([a-z2-7]{10}|\d+)-\d+$/;

function utcStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');
}
