/**
 * The identity of the collector instance that owns a journal folder. Host name and pid cannot tell
 * instances apart: every container replica is pid 1, replicas of one pod template may share a host
 * name, and a restarted container gets a new host name but must find its own files again. So the
 * identity is a random id kept in the journal folder itself: it lives exactly as long as the folder
 * and its lock, follows the folder to a new host, and is what the file sink writes into its file
 * names and recognises its own crash leftovers by.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const INSTANCE_ID_FILE = 'instance-id';

/** Ten characters of RFC 4648 base32, lower case: 50 random bits, safe in any file name. */
export const INSTANCE_ID_PATTERN = /^[a-z2-7]{10}$/;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newInstanceId(): string {
  const bytes = randomBytes(10);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 31];
  return id;
}

/** The id kept in `dir`, or null when there is none (or it is not one of ours). */
export function readInstanceId(dir: string): string | null {
  try {
    const text = readFileSync(join(dir, INSTANCE_ID_FILE), 'utf8').trim();
    return INSTANCE_ID_PATTERN.test(text) ? text : null;
  } catch {
    return null;
  }
}

/** Writes `id` into `dir` (called under the folder's lock, and again after the folder was rebuilt). */
export function writeInstanceId(dir: string, id: string): void {
  writeFileSync(join(dir, INSTANCE_ID_FILE), `${id}\n`);
}
