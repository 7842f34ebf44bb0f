/**
 * One event through the stages after the route: flags → privacy and lazy enrichment → mapping and
 * encoding → offer, returning its single outcome. Sources never call this directly: the ingest seam
 * (ingest.ts) runs it, guards it and records the outcome. The browser source does so after it has
 * answered; the JSON source before (it must be able to say 503 when nothing could take the events).
 */
import { dispatch, type Destination, type MappingRoute } from './dispatch.js';
import { createEnrichment, type Enrichment } from './enrich/index.js';
import type { ClientEvent } from './event.js';
import type { EventObserver, RouteSighting } from './inspect.js';
import { computeFlags, type DuplicateMemory } from './flags.js';
import { EventContext } from './map/context.js';
import type { Outcome, OutcomeCounter } from './outcomes.js';

export interface PipelineContext {
  readonly duplicates: DuplicateMemory;
  /** Where the ingest seam records outcomes; processEvent itself never touches it. */
  readonly outcomes: OutcomeCounter;
  /** User agent, geo and privacy; without it: no geo database, default cache, privacy `full`. */
  readonly enrich?: Enrichment;
  /** The live inspector, when enabled; the seam tells it about every event while it is watching. */
  readonly observer?: EventObserver;
}

/** What processEvent reports besides the outcome. */
export interface EventTrace {
  /** Each destination that took a record of the event. */
  readonly offered: Destination[];
  /** The event was already in the duplicate memory when it arrived. */
  duplicate: boolean;
  /** Each mapping's result for the inspector, or null when nobody watches. */
  sightings?: RouteSighting[] | null;
}

let fallback: Enrichment | undefined;

export function processEvent(
  event: ClientEvent,
  routes: readonly MappingRoute[],
  context: PipelineContext,
  /** Filled in for the ingest seam: who took a record (to be committed), and the duplicate flag. */
  trace: EventTrace = { offered: [], duplicate: false, sightings: null },
): Outcome {
  // Duplicates are judged on the identifiers as received; the privacy policy only shapes what is stored.
  const flags = computeFlags(event, context.duplicates);
  trace.duplicate = flags.duplicate;
  const enrich = context.enrich ?? (fallback ??= createEnrichment());
  const mapperContext = new EventContext(event, flags, enrich);
  return dispatch(mapperContext.event, flags, routes, mapperContext, trace.offered, trace.sightings ?? null);
}
