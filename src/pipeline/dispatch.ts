/**
 * The last pure stage: map the event once per mapping, encode it, and offer the bytes to that
 * mapping's destinations. Offering never waits; a destination that refuses makes the event `dropped`.
 * Destinations are a port (structurally the sinks' `offer` and `commit`) so the pipeline never imports
 * a sink. The destinations that took a record are reported back: the ingest seam commits them before
 * the event counts as accepted.
 */
import type { ClientEvent, EventFlags } from './event.js';
import type { RouteSighting } from './inspect.js';
import type { Mapper, MapperContext } from './map/mapper.js';
import { ACCEPTED, type Outcome } from './outcomes.js';

export interface EncodedRecord {
  readonly key: string | null;
  readonly value: Buffer;
  readonly timestamp: number;
}

export interface Destination {
  readonly name: string;
  /** Takes the record into the destination's pending group; false: it cannot. */
  offer(record: EncodedRecord): boolean;
  /** Makes the pending group durable; false: those records are not stored. */
  commit(): boolean;
}

export interface Encoder {
  encode(record: unknown): Buffer;
}

/** A mapping as the hot path needs it: everything resolved at start-up. */
export interface MappingRoute {
  readonly name: string;
  readonly mapper: Mapper;
  readonly encoder: Encoder;
  readonly discardCorrupted: boolean;
  readonly discardDuplicates: boolean;
  readonly destinations: readonly Destination[];
}

const FILTERED: Outcome = Object.freeze({ kind: 'discarded', reason: 'filtered' });

// When one event feeds several mappings, the most serious result is the event's outcome.
const RANK: Record<Outcome['kind'], number> = {
  discarded: 0,
  accepted: 1,
  dropped: 2,
  failed: 3,
  invalid: 4,
};

export function dispatch(
  event: ClientEvent,
  flags: EventFlags,
  routes: readonly MappingRoute[],
  context: MapperContext,
  offered: Destination[],
  /** Each mapping's result, for the inspector; null (nobody watching): nothing is kept. */
  sightings: RouteSighting[] | null = null,
): Outcome {
  let outcome: Outcome | undefined;
  for (const route of routes) {
    encoded = undefined;
    const result = dispatchOne(event, flags, route, context, offered);
    if (sightings !== null) sightings.push(sightingOf(route, result, encoded as Buffer | undefined));
    if (outcome === undefined || RANK[result.kind] > RANK[outcome.kind]) outcome = result;
  }
  return outcome ?? { kind: 'failed', reason: 'no_mapping' };
}

// The bytes dispatchOne encoded last, read only while the inspector watches: a module field rather
// than a second return value, so the hot path allocates nothing for it.
let encoded: Buffer | undefined;

function sightingOf(route: MappingRoute, outcome: Outcome, value: Buffer | undefined): RouteSighting {
  const sinks = route.destinations.map((destination) => destination.name);
  return value === undefined
    ? { mapping: route.name, sinks, outcome }
    : { mapping: route.name, sinks, outcome, value };
}

function dispatchOne(
  event: ClientEvent,
  flags: EventFlags,
  route: MappingRoute,
  context: MapperContext,
  offered: Destination[],
): Outcome {
  if (flags.corrupt && route.discardCorrupted) return { kind: 'discarded', reason: 'corrupt' };
  if (flags.duplicate && route.discardDuplicates) return { kind: 'discarded', reason: 'duplicate' };

  let value: Buffer;
  try {
    const mapped = route.mapper(event, context);
    if (mapped === null) return FILTERED;
    value = route.encoder.encode(mapped);
    encoded = value;
  } catch (err) {
    const detail = `mapping ${route.name}: ${err instanceof Error ? err.message : String(err)}`;
    return { kind: 'invalid', reason: 'mapping_failed', detail };
  }

  // Without identifiers (Do Not Track) the party id must not reach Kafka as the record key either.
  const key = context.doNotTrack ? null : event.partyId;
  const record: EncodedRecord = { key, value, timestamp: event.receivedAt };
  let taken = true;
  for (const destination of route.destinations) {
    if (destination.offer(record)) offered.push(destination);
    else taken = false;
  }
  return taken ? ACCEPTED : { kind: 'dropped', reason: 'queue_full' };
}
