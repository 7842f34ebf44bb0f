/**
 * A sink that keeps records in memory, for tests of the stages around sinks. It follows the port's
 * contract (refuses before start and after shutdown, counts drops) so tests exercise the same paths as
 * with a real sink; `capacity` simulates a full sink, `failCommits` a journal that cannot write and
 * `setHealth` a failing one.
 */
import type { Sink, SinkHealth, SinkRecord, SinkStats } from './sink.js';

export interface MemorySinkOptions {
  readonly name?: string;
  /** Records held before offer() starts refusing. Default: unbounded. */
  readonly capacity?: number;
  /** Accept offers before start(); handy for tests that never start sinks. Default false. */
  readonly acceptBeforeStart?: boolean;
}

export class MemorySink implements Sink {
  readonly name: string;
  private readonly capacity: number;
  private readonly acceptBeforeStart: boolean;
  private readonly held: SinkRecord[] = [];
  private state: 'new' | 'running' | 'closed' = 'new';
  private forcedHealth: SinkHealth | null = null;
  private offeredCount = 0;
  private droppedCount = 0;
  /** Records offered since the last commit: a failing commit takes them back. */
  private uncommitted = 0;
  private commitFails = false;

  constructor(options: MemorySinkOptions = {}) {
    this.name = options.name ?? 'memory';
    this.capacity = options.capacity ?? Number.POSITIVE_INFINITY;
    this.acceptBeforeStart = options.acceptBeforeStart ?? false;
  }

  offer(record: SinkRecord): boolean {
    this.offeredCount++;
    const open = this.state === 'running' || (this.state === 'new' && this.acceptBeforeStart);
    if (!open || this.held.length >= this.capacity) {
      this.droppedCount++;
      return false;
    }
    this.held.push(record);
    this.uncommitted++;
    return true;
  }

  /** Like a journal that cannot write: the turn's records are taken back and reported not stored. */
  commit(): boolean {
    const taken = this.uncommitted;
    this.uncommitted = 0;
    if (!this.commitFails) return true;
    this.held.length -= taken;
    this.droppedCount += taken;
    return false;
  }

  /** Makes every commit fail (a full or broken disk) until called with false. */
  failCommits(fail: boolean): void {
    this.commitFails = fail;
  }

  /** The records taken so far, in offer order. */
  records(): readonly SinkRecord[] {
    return this.held;
  }

  /** Forgets the records (frees capacity); counters stay, as they are monotonic. */
  clear(): void {
    this.held.length = 0;
  }

  /** Overrides health() until called with null, to test readiness handling. */
  setHealth(health: SinkHealth | null): void {
    this.forcedHealth = health;
  }

  health(): SinkHealth {
    if (this.forcedHealth) return this.forcedHealth;
    if (this.state === 'new') return { ready: false, detail: `memory sink "${this.name}" not started` };
    if (this.state === 'closed') return { ready: false, detail: `memory sink "${this.name}" shut down` };
    return { ready: true };
  }

  stats(): SinkStats {
    return {
      offered: this.offeredCount,
      written: this.offeredCount - this.droppedCount,
      dropped: this.droppedCount,
      failed: 0,
      queued: 0,
    };
  }

  async start(): Promise<void> {
    if (this.state === 'new') this.state = 'running';
  }

  async shutdown(_deadlineMs: number): Promise<void> {
    this.state = 'closed';
  }
}
