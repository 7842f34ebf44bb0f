/**
 * The JSON source's registry entry: its routes only; it has no fast path and holds nothing back.
 */
import type { SourceEntry } from '../entry.js';
import { jsonSource } from './source.js';

export const json: SourceEntry<'json'> = {
  type: 'json',
  create: ({ name, config, routes, ingest, addresses, now }) => ({
    plugin: (app) => jsonSource(app, { name, source: config, routes, ingest, addresses, now }),
  }),
};
