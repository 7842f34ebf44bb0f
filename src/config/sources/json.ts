/** The `json` source: batches of events POSTed as JSON by apps and servers, on one URL path. */
import { z } from 'zod';
import { segment, size, urlPath, type DeepReadonly } from '../fields.js';
import type { SourceSpec } from './spec.js';

const schema = z
  .object({
    type: z.literal('json'),
    path: urlPath.default('/json'),
    partyIdParameter: segment.default('p'),
    maxBodySize: size.prefault('4kb'),
    maxEventsPerRequest: z.number().int().min(1).max(10_000).default(100),
    corsOrigins: z.array(z.string()).default([]),
  })
  .strict();

export type JsonSourceConfig = DeepReadonly<z.output<typeof schema>>;

export const jsonSourceSpec: SourceSpec<'json', typeof schema> = {
  type: 'json',
  schema,
  endpoints: (source) => [{ url: source.path, key: 'path' }],
};
