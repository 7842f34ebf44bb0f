/**
 * One event through the stages after the route: flags → mapping/encoding → offer, with its single
 * outcome recorded. The route calls this after it has answered (browser) or before (JSON, which must
 * be able to say 503 when nothing could take the events).
 */
import { dispatch, type MappingRoute } from './dispatch.js';
import type { ClientEvent } from './event.js';
import { computeFlags, type DuplicateMemory } from './flags.js';
import type { Outcome, OutcomeCounter } from './outcomes.js';

export interface PipelineContext {
  readonly duplicates: DuplicateMemory;
  readonly outcomes: OutcomeCounter;
}

export function processEvent(
  event: ClientEvent,
  routes: readonly MappingRoute[],
  context: PipelineContext,
): Outcome {
  const flags = computeFlags(event, context.duplicates);
  const outcome = dispatch(event, flags, routes, { flags });
  context.outcomes.record(outcome, event.sourceName);
  return outcome;
}
