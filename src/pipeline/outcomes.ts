/**
 * Every request that reaches a source ends in exactly one outcome per event. Counting them in one
 * place (ingest.ts records them, nothing else does) is what lets tests and operators check that
 * events in = sum of outcomes, i.e. that nothing vanished without a trace.
 */

export type InvalidReason =
  | 'bad_identifier'
  | 'bad_timestamp'
  | 'bad_request'
  | 'bad_json'
  | 'bad_content_type'
  | 'too_large'
  | 'mapping_failed';

/** `queue_full`: a sink could not take the record; `not_stored`: its journal could not write it. */
export type DroppedReason = 'queue_full' | 'not_stored' | 'shutdown';

export type Outcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'invalid'; readonly reason: InvalidReason; readonly detail?: string }
  | { readonly kind: 'discarded'; readonly reason: 'corrupt' | 'duplicate' | 'filtered' }
  | { readonly kind: 'dropped'; readonly reason: DroppedReason }
  | { readonly kind: 'failed'; readonly reason: string };

export type OutcomeKind = Outcome['kind'];

export const ACCEPTED: Outcome = Object.freeze({ kind: 'accepted' });

export interface OutcomeListener {
  /** `count` events ended in `outcome` (more than one only for a request refused as a whole). */
  (outcome: Outcome, sourceName: string, count: number): void;
}

/** Counts outcomes by kind and reason; listeners (metrics) hear each one without a per-event log line. */
export class OutcomeCounter {
  private readonly counts = new Map<string, number>();
  private readonly listeners: OutcomeListener[] = [];

  record(outcome: Outcome, sourceName: string, count = 1): void {
    const key = outcome.kind === 'accepted' ? 'accepted' : `${outcome.kind}:${outcome.reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + count);
    for (const listener of this.listeners) listener(outcome, sourceName, count);
  }

  onOutcome(listener: OutcomeListener): void {
    this.listeners.push(listener);
  }

  /** Counts keyed `accepted` or `kind:reason`. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(kind?: OutcomeKind): number {
    let sum = 0;
    for (const [key, count] of this.counts) {
      if (kind === undefined || key === kind || key.startsWith(`${kind}:`)) sum += count;
    }
    return sum;
  }
}
