/**
 * When what a journal wrote reaches the disk, not only the page cache: `always` before the commit
 * returns (the events are answered after the sync), `interval` once per interval (a power loss costs
 * at most that much), `never` when the OS decides. A process crash or SIGKILL loses nothing under any
 * of them: a write that returned is in the page cache.
 */
export type FsyncPolicy = 'always' | 'interval' | 'never';
