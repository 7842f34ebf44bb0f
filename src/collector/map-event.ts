/**
 * `footfall map`'s core: the records the configured mappings make from one described event, loaded
 * and checked as `serve` loads them and enriched by the same runtime enrichment, so what it prints is
 * what the collector would write. The command around it (files, output, exit codes) is src/cli/map.ts.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { FootfallConfig } from '../config/index.js';
import { EventContext, MappingError, parseEventDescription } from '../pipeline/index.js';
import { openEnrichment } from './enrichment.js';
import { loadMappings } from './mapper-module.js';
import { resolveMappings } from './mappings.js';

export type MappedEvent =
  | { readonly mapping: string; readonly outcome: 'record'; readonly record: object }
  | { readonly mapping: string; readonly outcome: 'discarded' }
  | { readonly mapping: string; readonly outcome: 'failed'; readonly error: string };

export interface MapEventOptions {
  /** Only this mapping; all of them when absent. */
  readonly mapping?: string | undefined;
  readonly logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  readonly now?: number;
}

/**
 * What `footfall map` does: the records the configured mappings make from one described event, with
 * the configured enrichment (geo databases included) and privacy policy. Throws MappingError for an
 * unknown mapping name and for a bad description.
 */
export async function mapDescribedEvent(
  config: FootfallConfig,
  baseDir: string,
  description: unknown,
  options: MapEventOptions,
): Promise<MappedEvent[]> {
  if (options.mapping !== undefined && !(options.mapping in config.mappings)) {
    throw new MappingError(
      `no mapping named ${options.mapping}; configured: ${Object.keys(config.mappings).join(', ')}`,
    );
  }
  const mappings = await loadMappings(config, resolveMappings(config, baseDir));
  const selected = [...mappings.values()].filter(
    (m) => options.mapping === undefined || m.name === options.mapping,
  );
  const firstSource =
    config.mappings[selected[0]?.name ?? '']?.sources[0] ?? Object.keys(config.sources)[0] ?? 'browser';
  let described;
  try {
    described = parseEventDescription(description, {
      sourceName: firstSource,
      sourceTypes: Object.fromEntries(Object.entries(config.sources).map(([name, s]) => [name, s.type])),
      now: options.now ?? Date.now(),
    });
  } catch (err) {
    throw new MappingError(`the event description is not valid: ${(err as Error).message}`, { cause: err });
  }
  const enrichment = await openEnrichment(config, { baseDir, logger: options.logger });
  try {
    // One context for all mappings, as in the pipeline: each helper runs once for the event.
    const context = new EventContext(described.event, described.flags, enrichment.enrich);
    return selected.map((loaded): MappedEvent => {
      try {
        const record = loaded.mapper(context.event, context);
        if (record === null) return { mapping: loaded.name, outcome: 'discarded' };
        loaded.codec.encode(record);
        return { mapping: loaded.name, outcome: 'record', record };
      } catch (err) {
        return {
          mapping: loaded.name,
          outcome: 'failed',
          error: err instanceof Error ? err.message : String(err),
        };
      }
    });
  } finally {
    enrichment.close();
  }
}
