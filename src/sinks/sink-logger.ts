/**
 * The little logging surface sinks need. It matches pino's `(fields, msg)` call shape, so a pino
 * (child) logger can be passed as is, without sinks importing pino.
 */
export interface SinkLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export const silentLogger: SinkLogger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * Turns a flood of drops into a few log lines: the first drop after a quiet spell is logged at once,
 * later ones are summed and logged at most once per interval, and a trailing sum is logged when the
 * interval ends, so the last burst is never silently swallowed.
 */
export class DropLog {
  private pending = 0;
  private total = 0;
  private lastLogAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: SinkLogger,
    private readonly fields: Record<string, unknown>,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  add(count: number): void {
    this.pending += count;
    this.total += count;
    const wait = this.lastLogAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.emit();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.emit();
      }, wait);
      this.timer.unref();
    }
  }

  /** Logs whatever is still unlogged; for shutdown. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.emit();
  }

  private emit(): void {
    if (this.pending === 0) return;
    this.logger.warn(
      { ...this.fields, dropped: this.pending, droppedTotal: this.total },
      "records dropped: the sink's journal is full or failing, or the sink is shutting down",
    );
    this.pending = 0;
    this.lastLogAt = this.now();
  }
}
