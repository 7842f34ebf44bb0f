/**
 * The start-up check of a mapping: run it over the synthetic events and encode every record it makes
 * with the mapping's codec. Avro types are only known at run time, so this dry run is what stands in
 * for a type check: a field of the wrong type, a misspelt field or a missing required one stops the
 * collector before it takes traffic, with the field named, instead of turning every event into
 * `invalid/mapping_failed`.
 */
import type { Encoder } from '../dispatch.js';
import type { PrivacyPolicy } from '../enrich/privacy.js';
import { EventContext } from './context.js';
import { mapDivolte } from './divolte.js';
import { mapFootfall } from './footfall.js';
import type { Mapper } from './mapper.js';
import { SYNTHETIC_EVENTS, syntheticEnrichment, type SyntheticEvent } from './synthetic.js';

/** The mappers `mapper: builtin:<name>` refers to. */
export const BUILTIN_MAPPERS: Readonly<Record<string, Mapper>> = Object.freeze({
  'builtin:footfall': mapFootfall,
  'builtin:divolte': mapDivolte,
});

/** A mapping cannot be loaded or does not fit its schema. Raised at start-up, never per event. */
export class MappingError extends Error {
  readonly code = 'FOOTFALL_ERR_MAPPING';
  override readonly name = 'MappingError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface VerifyResult {
  /** Synthetic events whose records encoded. */
  readonly encoded: number;
  /** Synthetic events the mapping discarded (returned null): their records could not be checked. */
  readonly discarded: readonly string[];
}

export interface VerifyOptions {
  /** Used in messages: `mapping clicks (./clicks.ts)`. */
  readonly what: string;
  readonly privacy?: PrivacyPolicy;
  readonly events?: readonly SyntheticEvent[];
}

export function verifyMapper(mapper: Mapper, encoder: Encoder, options: VerifyOptions): VerifyResult {
  const enrich = syntheticEnrichment(options.privacy);
  let encoded = 0;
  const discarded: string[] = [];
  for (const { label, event, flags } of options.events ?? SYNTHETIC_EVENTS) {
    const context = new EventContext(event, flags, enrich);
    let record: object | null;
    try {
      record = mapper(context.event, context);
    } catch (err) {
      throw new MappingError(`${options.what} threw on ${label}: ${describe(err)}`, { cause: err });
    }
    if (record === null) {
      discarded.push(label);
      continue;
    }
    if (record === undefined || typeof record !== 'object') {
      throw new MappingError(
        `${options.what} returned ${record === undefined ? 'undefined' : `a ${typeof record}`} for ${label}; ` +
          'a mapping returns a record object, or null to discard the event',
      );
    }
    try {
      encoder.encode(record);
    } catch (err) {
      throw new MappingError(`${options.what} made a record for ${label} that ${describe(err)}`, {
        cause: err,
      });
    }
    encoded++;
  }
  return { encoded, discarded };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // "record does not fit schema X: ..." reads well after "made a record for ... that".
  return err.message.replace(/^record does not fit/, 'does not fit');
}
