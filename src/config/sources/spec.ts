/**
 * What config needs to know about a source type besides its keys: the URLs a source of that type
 * answers, so that load.ts can refuse two sources on one URL without knowing any type by name.
 */
import type { z } from 'zod';
import type { DeepReadonly } from '../fields.js';

/** One URL a source answers, and the key (under `sources.<name>`) whose value put it there. */
export interface Endpoint {
  readonly url: string;
  readonly key: string;
}

export interface SourceSpec<Type extends string, Schema extends z.ZodType<{ type: Type }>> {
  readonly type: Type;
  /** Every key of this source type with its default; strict, so a misspelt key is an error. */
  readonly schema: Schema;
  /** The URLs the source claims, in the order a clash is reported; the first claim of a URL wins. */
  endpoints(source: DeepReadonly<z.output<Schema>>): readonly Endpoint[];
}
