/**
 * One process per journal folder. Two writers appending to and deleting from one journal would lose
 * records without a trace, so the second one must refuse to start.
 *
 * A pid is no proof of life: every container replica is pid 1 and may share a host name, and a
 * container restarted after a SIGKILL is pid 1 again. The lock therefore carries a heartbeat: its
 * owner touches it every second, and a lock whose heartbeat is older than `staleMs` (3 s by default)
 * belongs to nobody. A lock held by a live process on this host (another pid) is refused at once; any
 * other lock that is still fresh is watched for one stale period, and taken over only if it stays
 * still. A collector restarted after a crash therefore waits about three seconds for its own lock.
 */
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../process-alive.js';

export const LOCK_FILE = 'journal.lock';

class JournalLockError extends Error {
  readonly code = 'FOOTFALL_ERR_JOURNAL_LOCKED';
  constructor(message: string) {
    super(message);
    this.name = 'JournalLockError';
  }
}

export interface LockOptions {
  /** What the lock says about its owner (the instance id), shown to a process that is refused. */
  readonly owner: string;
  readonly staleMs?: number;
  readonly heartbeatMs?: number;
  /** Sleeps; tests pass a fake. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface FolderLock {
  readonly path: string;
  release(): void;
}

interface LockInfo {
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
}

const describeOwner = (info: LockInfo | null): string =>
  info ? `instance ${info.owner} (pid ${info.pid} on ${info.host})` : 'another process';

function readInfo(path: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.owner !== 'string' || typeof parsed.pid !== 'number' || typeof parsed.host !== 'string')
      return null;
    return parsed as LockInfo;
  } catch {
    return null;
  }
}

function heartbeatAge(path: string): number | null {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** Locks `dir` for this process, waiting out a lock that may be stale; rejects with JournalLockError. */
export async function lockFolder(dir: string, options: LockOptions): Promise<FolderLock> {
  const staleMs = options.staleMs ?? 3000;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const path = join(dir, LOCK_FILE);
  const mine: LockInfo = { owner: options.owner, pid: process.pid, host: hostname() };
  const text = `${JSON.stringify(mine)}\n`;

  const create = (): boolean => {
    try {
      writeFileSync(path, text, { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  };

  if (!create()) {
    const info = readInfo(path);
    if (info && info.host === mine.host && info.pid !== mine.pid && processAlive(info.pid)) {
      throw new JournalLockError(
        `the journal folder ${dir} is in use by ${describeOwner(info)}; give each collector its own data folder`,
      );
    }
    // Fresh: watch it for one stale period; a live owner touches it meanwhile.
    let age = heartbeatAge(path);
    const waitUntil = Date.now() + staleMs + heartbeatMs;
    while (age !== null && age < staleMs && Date.now() < waitUntil) {
      const before = statMtime(path);
      await sleep(Math.min(heartbeatMs, staleMs - age) + 50);
      const after = statMtime(path);
      if (before !== null && after !== null && after !== before) {
        throw new JournalLockError(
          `the journal folder ${dir} is in use by ${describeOwner(readInfo(path))}; give each collector its own data folder`,
        );
      }
      age = heartbeatAge(path);
    }
    // Stale: replace it in one step, so a concurrent newcomer sees either lock, never none.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
    // Two newcomers that both judged it stale: the last rename wins, the other one sees it here.
    const check = readInfo(path);
    if (!check || check.pid !== mine.pid || check.owner !== mine.owner || check.host !== mine.host) {
      throw new JournalLockError(`the journal folder ${dir} was taken by ${describeOwner(check)}`);
    }
  }

  const timer = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // The folder is gone or unwritable: the journal reports that itself and rebuilds the folder.
      try {
        closeSync(openSync(path, 'w'));
        writeFileSync(path, text);
      } catch {
        // Still failing; the next beat tries again.
      }
    }
  }, heartbeatMs);
  timer.unref();
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const info = readInfo(path);
      if (info && info.pid === mine.pid && info.owner === mine.owner) {
        try {
          unlinkSync(path);
        } catch {
          // Gone already.
        }
      }
    },
  };
}

function statMtime(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}
