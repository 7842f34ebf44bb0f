/**
 * The source registry: every source type and the entry that builds it. A new source is a folder
 * under sources/ whose index.ts exports a SourceEntry, plus one line here; app.ts needs no change.
 */
import { browser } from './browser/index.js';
import type { Source, SourceContext, SourceEntry, SourceType } from './entry.js';
import { json } from './json/index.js';

export type { Source, SourceContext, SourceEntry, SourceType } from './entry.js';

/** Keyed by type, so a config type without an entry (or the wrong entry) does not compile. */
export const SOURCES: { readonly [T in SourceType]: SourceEntry<T> } = {
  browser,
  json,
};

/** Builds one configured source with the entry of its type. */
export function createSource(context: SourceContext): Source {
  // SOURCES pairs each type with its own entry, so the entry looked up by type fits the config;
  // TypeScript cannot follow that correlation through the union, hence the cast.
  const entry = SOURCES[context.config.type] as SourceEntry;
  return entry.create(context);
}
