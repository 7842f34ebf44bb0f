/**
 * The outcome seam: the only code that records outcomes. A source hands it what it took in (one
 * parsed event, the raw input of one event with the function that reads it, or a request it refused
 * as a whole) and the seam makes sure every event ends in exactly one outcome, whatever throws on the
 * way. That is what keeps `events in = sum of outcomes` true by construction instead of by care in
 * each source. Pure: no Fastify, no I/O; what it catches goes to the onError hook (the server's log).
 *
 * It is also where "answered means stored" is kept. An event whose records the sinks took is not yet
 * accepted: it waits in the turn's group until `commit()` has every sink that took one of its records
 * write them to its journal (one write per sink per event-loop turn, however many events). Only then
 * is it counted `accepted`, and only then may its source answer; a sink that could not write makes the
 * event `dropped: not_stored`, and its duplicate signature is forgotten so a retry is not flagged.
 * Sources answer from `Taken.outcome` once `commit()` ran (the pixel, which commits its own batch) or
 * once `committed()` resolved (requests that wait for the turn's commit).
 */
import type { Destination, MappingRoute } from './dispatch.js';
import type { ClientEvent } from './event.js';
import type { EventObserver, RequestView, RouteSighting, Sighting } from './inspect.js';
import type { DroppedReason, InvalidReason, Outcome } from './outcomes.js';
import { processEvent, type EventTrace, type PipelineContext } from './process.js';

/** What a source made of one event's raw input: the event, or why there is none. */
export type EventReading =
  | { readonly ok: true; readonly event: ClientEvent }
  | { readonly ok: false; readonly reason: InvalidReason; readonly message: string };

/**
 * Reads one event's raw input. A source makes its reader once, so handing the seam a reader and an
 * input costs no closure per event (the pixel path is benchmarked).
 */
export interface EventReader<T> {
  (input: T): EventReading;
  /** The request behind an input, for the inspector; called only while it watches. */
  describe?: (input: T) => RequestView;
}

/** Why a source refused events before the pipeline: bad input, no room, or a failure of its own. */
export type RefusalReason = InvalidReason | DroppedReason | 'internal_error';

/** Hears every exception the seam caught (a bug, never input), with the source's name, for the log. */
export type IngestErrorHook = (err: unknown, sourceName: string) => void;

/** An event the seam took: its outcome, final once the turn's group is committed. */
export interface Taken {
  readonly outcome: Outcome;
}

const INTERNAL_ERROR: Outcome = Object.freeze({ kind: 'failed', reason: 'internal_error' });
const NOT_STORED: Outcome = Object.freeze({ kind: 'dropped', reason: 'not_stored' });

/** An event whose records wait for the commit; `outcome` says `accepted` until it is settled. */
class Held implements Taken {
  constructor(
    readonly event: ClientEvent,
    readonly destinations: Destination[],
    /** This event put its signature in the duplicate memory (it was not a duplicate itself). */
    readonly remembered: boolean,
    public outcome: Outcome,
    /** What the inspector is told once the outcome is final; undefined while nobody watches. */
    readonly sighting: Omit<Sighting, 'outcome'> | undefined,
  ) {}
}

export class Ingest {
  private group: Held[] = [];
  private scheduled = false;
  private waiters: Array<() => void> = [];
  /** Scratch for processEvent, reused: who took a record of the current event, and its flag. */
  private readonly trace: EventTrace = { offered: [], duplicate: false, sightings: null };
  private readonly observer: EventObserver | undefined;

  constructor(
    private readonly context: PipelineContext,
    private readonly onError: IngestErrorHook,
  ) {
    this.observer = context.observer;
  }

  /**
   * The inspector is watching: a source builds a RequestView for `take` and `reject` only then.
   * With no inspector or nobody watching, this one check is all the inspector costs an event.
   */
  get watching(): boolean {
    return this.observer !== undefined && this.observer.watching;
  }

  /**
   * One parsed event through the pipeline. Never throws: an exception anywhere in the pipeline makes
   * this event `failed: internal_error` and no other. An event whose records were taken is settled by
   * the next commit; every other outcome is recorded at once.
   */
  take(event: ClientEvent, routes: readonly MappingRoute[], request?: RequestView): Taken {
    return this.run(event, routes, request, undefined, undefined);
  }

  /**
   * One event from its raw input: `reader(input)`, then the pipeline. An input that does not read is
   * `invalid` with the reader's reason and message; a reader that throws makes the event `failed`.
   */
  read<T>(sourceName: string, routes: readonly MappingRoute[], reader: EventReader<T>, input: T): Taken {
    let reading: EventReading;
    try {
      reading = reader(input);
    } catch (err) {
      this.report(err, sourceName);
      this.count(INTERNAL_ERROR, sourceName, 1);
      if (this.watching)
        this.showRefusal(sourceName, INTERNAL_ERROR, 1, () => this.describe(reader, input, sourceName));
      return { outcome: INTERNAL_ERROR };
    }
    if (!reading.ok) {
      const outcome: Outcome = { kind: 'invalid', reason: reading.reason, detail: reading.message };
      this.count(outcome, sourceName, 1);
      if (this.watching)
        this.showRefusal(sourceName, outcome, 1, () => this.describe(reader, input, sourceName));
      return { outcome };
    }
    return this.run(reading.event, routes, undefined, reader, input);
  }

  /**
   * A request refused before its events reached the pipeline: each of its `count` events ends as
   * `invalid` (or `dropped` for queue_full/not_stored/shutdown, `failed` for internal_error) with the
   * reason. A request whose events could not be told apart (a body never read, not JSON, or empty)
   * counts as one, so no refusal goes unseen in the outcome counts.
   */
  reject(
    sourceName: string,
    reason: RefusalReason,
    count: number,
    detail?: string,
    request?: RequestView,
  ): void {
    const outcome = refusal(reason, detail);
    this.count(outcome, sourceName, Math.max(1, count));
    if (this.watching) this.showRefusal(sourceName, outcome, Math.max(1, count), request);
  }

  /**
   * Has every destination that took a record since the last commit write them, then settles the held
   * events: `accepted`, or `dropped: not_stored` for an event with a record a destination could not
   * write. Synchronous: when it returns, every `Taken` of the group is final.
   */
  commit(): void {
    const group = this.group;
    const waiters = this.waiters;
    this.group = [];
    this.waiters = [];
    if (group.length > 0) {
      const results = new Map<Destination, boolean>();
      for (const held of group) {
        let stored = true;
        for (const destination of held.destinations) {
          let ok = results.get(destination);
          if (ok === undefined) {
            ok = this.commitOne(destination, held.event.sourceName);
            results.set(destination, ok);
          }
          if (!ok) stored = false;
        }
        if (!stored) {
          held.outcome = NOT_STORED;
          if (held.remembered) this.forget(held.event);
        }
        this.count(held.outcome, held.event.sourceName, 1);
        if (held.sighting !== undefined) this.show({ ...held.sighting, outcome: held.outcome });
      }
    }
    for (const resolve of waiters) resolve();
  }

  /** Resolves once the events taken so far are committed (at the end of this event-loop turn). */
  committed(): Promise<void> {
    if (this.group.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // One commit per turn for every source; a source that commits its own batch earlier leaves an
    // empty group here.
    setImmediate(() => {
      this.scheduled = false;
      this.commit();
    });
  }

  private commitOne(destination: Destination, sourceName: string): boolean {
    try {
      return destination.commit();
    } catch (err) {
      this.report(err, sourceName);
      return false;
    }
  }

  private forget(event: ClientEvent): void {
    try {
      this.context.duplicates.forget(event.partyId, event.sessionId, event.eventId);
    } catch (err) {
      this.report(err, event.sourceName);
    }
  }

  private count(outcome: Outcome, sourceName: string, count: number): void {
    try {
      this.context.outcomes.record(outcome, sourceName, count);
    } catch (err) {
      // A listener (metrics, log) failed; the count itself went in before the listeners ran.
      this.report(err, sourceName);
    }
  }

  /**
   * The pipeline for one event, guarded. While the inspector watches, it first asks whether to follow
   * this event in full (its sampler): only then are the mappings' records kept. An event it did not
   * follow still shows, without records, when it ends in anything but `accepted`.
   */
  private run<T>(
    event: ClientEvent,
    routes: readonly MappingRoute[],
    given: RequestView | undefined,
    reader: EventReader<T> | undefined,
    input: T | undefined,
  ): Taken {
    let outcome: Outcome;
    const trace = this.trace;
    trace.offered.length = 0;
    trace.duplicate = true; // Unknown until the flags stage ran: then nothing is forgotten.
    const watching = this.watching;
    const followed = watching && this.admit('event', event.sourceName);
    trace.sightings = followed ? [] : null;
    try {
      outcome = processEvent(event, routes, this.context, trace);
    } catch (err) {
      outcome = INTERNAL_ERROR;
      this.report(err, event.sourceName);
    }
    let sighting: Omit<Sighting, 'outcome'> | undefined;
    if (watching && (followed || (outcome.kind !== 'accepted' && this.admit('refusal', event.sourceName)))) {
      const request = given ?? (reader ? this.describe(reader, input as T, event.sourceName) : undefined);
      sighting = this.sightingOf(event, request, trace);
    }
    if (outcome.kind === 'accepted' && trace.offered.length > 0) {
      const held = new Held(event, trace.offered.slice(), !trace.duplicate, outcome, sighting);
      this.group.push(held);
      this.schedule();
      return held;
    }
    // Not stored: a retry of this event must not be taken for a duplicate of it.
    if ((outcome.kind === 'dropped' || outcome.kind === 'failed') && !trace.duplicate) this.forget(event);
    this.count(outcome, event.sourceName, 1);
    if (sighting !== undefined) this.show({ ...sighting, outcome });
    return { outcome };
  }

  /** The inspector's sampler: follow this one? A failure of its own means no. */
  private admit(kind: 'event' | 'refusal', sourceName: string): boolean {
    try {
      return this.observer?.admit(kind) ?? false;
    } catch (err) {
      this.report(err, sourceName);
      return false;
    }
  }

  private sightingOf(
    event: ClientEvent,
    request: RequestView | undefined,
    trace: EventTrace,
  ): Omit<Sighting, 'outcome'> {
    const routes: readonly RouteSighting[] = trace.sightings ?? [];
    const base = {
      sourceName: event.sourceName,
      receivedAt: event.receivedAt,
      count: 1,
      event,
      duplicate: trace.duplicate,
      routes,
    };
    return request === undefined ? base : { ...base, request };
  }

  private describe<T>(reader: EventReader<T>, input: T, sourceName: string): RequestView | undefined {
    try {
      return reader.describe?.(input);
    } catch (err) {
      this.report(err, sourceName);
      return undefined;
    }
  }

  /** Shows a refusal the sampler admits; `request` is built only then. */
  private showRefusal(
    sourceName: string,
    outcome: Outcome,
    count: number,
    request: RequestView | (() => RequestView | undefined) | undefined,
  ): void {
    if (!this.admit('refusal', sourceName)) return;
    if (typeof request === 'function') request = request();
    const receivedAt = request?.receivedAt ?? Date.now();
    const base = { sourceName, receivedAt, outcome, count, duplicate: false, routes: [] };
    this.show(request === undefined ? base : { ...base, request });
  }

  /** Tells the inspector; whatever it throws is a bug of its own and never touches the event. */
  private show(sighting: Sighting): void {
    try {
      this.observer?.see(sighting);
    } catch (err) {
      this.report(err, sighting.sourceName);
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
  if (reason === 'queue_full' || reason === 'not_stored' || reason === 'shutdown')
    return { kind: 'dropped', reason };
  return detail === undefined ? { kind: 'invalid', reason } : { kind: 'invalid', reason, detail };
}
