/**
 * The source types config knows. A new source type is a file next to this one (its schema and the
 * URLs it claims) and one line in SOURCE_SPECS; load.ts finds everything else here.
 */
import { z } from 'zod';
import type { DeepReadonly } from '../fields.js';
import { browserSourceSpec } from './browser.js';
import { jsonSourceSpec } from './json.js';
import type { Endpoint } from './spec.js';

export type { BrowserSourceConfig } from './browser.js';
export type { JsonSourceConfig } from './json.js';
export type { Endpoint } from './spec.js';

/** In the order messages list them. */
const SOURCE_SPECS = [browserSourceSpec, jsonSourceSpec] as const;

export const sourceSchema = z.discriminatedUnion('type', [browserSourceSpec.schema, jsonSourceSpec.schema]);

export type SourceConfig = DeepReadonly<z.output<typeof sourceSchema>>;

export const SOURCE_TYPES: readonly SourceConfig['type'][] = SOURCE_SPECS.map((spec) => spec.type);

/** The URLs a configured source answers; see SourceSpec.endpoints. */
export function sourceEndpoints(source: SourceConfig): readonly Endpoint[] {
  const spec = SOURCE_SPECS.find((candidate) => candidate.type === source.type);
  // The schema only lets registered types through, and each spec reads its own type's config.
  return (spec as { endpoints(source: SourceConfig): readonly Endpoint[] }).endpoints(source);
}
