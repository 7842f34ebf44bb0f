/**
 * Keeps the inspector's work bounded whatever the traffic: a token bucket that admits at most
 * `perSecond` events a second on average, spread over the second rather than the first N of it, and
 * counts what it turned away. A person reads a few events a second; at 5,000 events/s, decoding and
 * serialising every one for the page would cost the collector more than the events themselves.
 */
export class RateSampler {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  /** Events turned away since start. */
  skipped = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    // A quarter of a second's worth at once: a burst of a few events shows whole, a flood is thinned.
    this.burst = Math.max(1, perSecond / 4);
    this.tokens = this.burst;
    this.last = now();
  }

  /** True: take this event. False: it is counted as skipped. */
  admit(): boolean {
    const now = this.now();
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    this.skipped++;
    return false;
  }
}
