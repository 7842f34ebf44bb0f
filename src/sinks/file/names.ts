/**
 * What the file sink's files are called, whatever the target: `footfall-<sink>-<UTC start>-<host>-
 * <pid>-<seq>`, plus `.avro.partial` while written and `.avro` once published. Host and pid make a
 * name unique across processes and tell a crash leftover from a live writer's file; seq within one.
 */
import { encodeHeader, newSyncMarker } from './avro-container.js';
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
  nextSeq: () => number,
): Promise<CreatedPartial> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const openedAt = o.now();
    const base = [
      'footfall',
      o.safeName,
      utcStamp(openedAt),
      o.safeHost,
      String(o.pid),
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

/** The regular expression matching this sink's partial file names; groups: host, pid. */
export function partialFilePattern(safeName: string): RegExp {
  return new RegExp(
    `^footfall-${escapeRegExp(safeName)}-\\d{8}T\\d{6}Z-(.+)-(\\d+)-\\d+${escapeRegExp(PARTIAL_SUFFIX)}$`,
  );
}

function utcStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
