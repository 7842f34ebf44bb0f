/**
 * Readiness is computed in the background and cached, so a load balancer polling /health/ready costs
 * nothing on the request path and a slow check can never stall the answer.
 */
export interface ReadinessCheck {
  readonly name: string;
  readonly ready: boolean;
  readonly detail?: string;
  /** A sink's journal figures (records, bytes, oldest unacknowledged age, quarantined segments). */
  readonly journal?: object;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
}

export class Readiness {
  private report: ReadinessReport = {
    ready: false,
    checks: [{ name: 'startup', ready: false, detail: 'starting' }],
  };
  private timer: NodeJS.Timeout | undefined;
  private shuttingDown = false;

  constructor(
    private readonly probe: () => readonly ReadinessCheck[],
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  /** From now on the collector is draining: not ready, whatever the sinks say. */
  beginShutdown(): void {
    this.shuttingDown = true;
    this.refresh();
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  current(): ReadinessReport {
    return this.report;
  }

  refresh(): void {
    let checks: ReadinessCheck[];
    try {
      checks = [...this.probe()];
    } catch (err) {
      checks = [{ name: 'probe', ready: false, detail: (err as Error).message }];
    }
    if (this.shuttingDown) checks.unshift({ name: 'lifecycle', ready: false, detail: 'shutting down' });
    this.report = { ready: checks.every((c) => c.ready), checks };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
