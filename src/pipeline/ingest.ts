/**
 * The outcome seam: the only code that records outcomes. A source hands it what it took in (one
 * parsed event, the raw input of one event with the function that reads it, or a request it refused
 * as a whole) and the seam makes sure every event ends in exactly one outcome, whatever throws on the
 * way. That is what keeps `events in = sum of outcomes` true by construction instead of by care in
 * each source. Pure: no Fastify, no I/O; what it catches goes to the onError hook (the server's log).
 */
import type { MappingRoute } from './dispatch.js';
import type { ClientEvent } from './event.js';
import type { DroppedReason, InvalidReason, Outcome } from './outcomes.js';
import { processEvent, type PipelineContext } from './process.js';

/** What a source made of one event's raw input: the event, or why there is none. */
export type EventReading =
  | { readonly ok: true; readonly event: ClientEvent }
  | { readonly ok: false; readonly reason: InvalidReason; readonly message: string };

/**
 * Reads one event's raw input. A source makes its reader once, so handing the seam a reader and an
 * input costs no closure per event (the pixel path is benchmarked).
 */
export type EventReader<T> = (input: T) => EventReading;

/** Why a source refused events before the pipeline: bad input, no room, or a failure of its own. */
export type RefusalReason = InvalidReason | DroppedReason | 'internal_error';

/** Hears every exception the seam caught (a bug, never input), with the source's name, for the log. */
export type IngestErrorHook = (err: unknown, sourceName: string) => void;

const INTERNAL_ERROR: Outcome = Object.freeze({ kind: 'failed', reason: 'internal_error' });

export class Ingest {
  constructor(
    private readonly context: PipelineContext,
    private readonly onError: IngestErrorHook,
  ) {}

  /**
   * One parsed event through the pipeline; records its outcome and returns it. Never throws: an
   * exception anywhere in the pipeline makes this event `failed: internal_error` and no other.
   */
  take(event: ClientEvent, routes: readonly MappingRoute[]): Outcome {
    let outcome: Outcome;
    try {
      outcome = processEvent(event, routes, this.context);
    } catch (err) {
      outcome = INTERNAL_ERROR;
      this.report(err, event.sourceName);
    }
    this.count(outcome, event.sourceName, 1);
    return outcome;
  }

  /**
   * One event from its raw input: `reader(input)`, then the pipeline. An input that does not read is
   * `invalid` with the reader's reason and message; a reader that throws makes the event `failed`.
   */
  read<T>(sourceName: string, routes: readonly MappingRoute[], reader: EventReader<T>, input: T): Outcome {
    let reading: EventReading;
    try {
      reading = reader(input);
    } catch (err) {
      this.report(err, sourceName);
      this.count(INTERNAL_ERROR, sourceName, 1);
      return INTERNAL_ERROR;
    }
    if (!reading.ok) {
      const outcome: Outcome = { kind: 'invalid', reason: reading.reason, detail: reading.message };
      this.count(outcome, sourceName, 1);
      return outcome;
    }
    return this.take(reading.event, routes);
  }

  /**
   * A request refused before its events reached the pipeline: each of its `count` events ends as
   * `invalid` (or `dropped` for queue_full/shutdown, `failed` for internal_error) with the reason.
   * A request whose events could not be told apart (a body never read, not JSON, or empty) counts as
   * one, so no refusal goes unseen in the outcome counts.
   */
  reject(sourceName: string, reason: RefusalReason, count: number, detail?: string): void {
    this.count(refusal(reason, detail), sourceName, Math.max(1, count));
  }

  private count(outcome: Outcome, sourceName: string, count: number): void {
    try {
      this.context.outcomes.record(outcome, sourceName, count);
    } catch (err) {
      // A listener (metrics, log) failed; the count itself went in before the listeners ran.
      this.report(err, sourceName);
    }
  }

  private report(err: unknown, sourceName: string): void {
    try {
      this.onError(err, sourceName);
    } catch {
      // The log itself failed: there is nobody left to tell, and the event is counted regardless.
    }
  }
}

function refusal(reason: RefusalReason, detail: string | undefined): Outcome {
  if (reason === 'internal_error') return INTERNAL_ERROR;
  if (reason === 'queue_full' || reason === 'shutdown') return { kind: 'dropped', reason };
  return detail === undefined ? { kind: 'invalid', reason } : { kind: 'invalid', reason, detail };
}
