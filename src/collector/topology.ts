/**
 * Turns the config's sources → mappings → sinks into live objects: one sink instance per configured
 * sink, and for each source the list of mapping routes its events take, with the mappers and codecs
 * loaded before. Everything that can be wrong is found here, before the first request.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { FootfallConfig } from '../config/index.js';
import type { MappingRoute } from '../pipeline/index.js';
import type { AvroRecordSchema } from '../schema/index.js';
import { createSink, type Sink } from '../sinks/index.js';
import type { LoadedMapping } from './mapper-module.js';

export interface Topology {
  readonly sinks: ReadonlyMap<string, Sink>;
  readonly routing: ReadonlyMap<string, readonly MappingRoute[]>;
}

/**
 * `mappings` holds every mapping of the configuration with its schema, codecs and mapper, resolved and
 * checked at start-up (collector/mappings.ts, collector/mapper-module.ts): nothing is resolved twice.
 */
export function buildTopology(
  config: FootfallConfig,
  mappings: ReadonlyMap<string, LoadedMapping>,
  logger: FastifyBaseLogger,
): Topology {
  // A sink is built with the schema of the (first) mapping that feeds it; config validation has
  // already made sure every mapping into one sink uses the same schema.
  const sinkSchemas = new Map<string, AvroRecordSchema>();
  for (const mapping of mappings.values()) {
    for (const sink of mapping.config.sinks) {
      if (!sinkSchemas.has(sink)) sinkSchemas.set(sink, mapping.schema);
    }
  }

  const sinks = new Map<string, Sink>();
  for (const [name, sinkConfig] of Object.entries(config.sinks)) {
    const schema = sinkSchemas.get(name);
    if (!schema) {
      logger.warn({ sink: name }, `sink ${name} is not used by any mapping and will not be started`);
      continue;
    }
    sinks.set(name, createSink(name, sinkConfig, schema, logger));
  }

  const routing = new Map<string, MappingRoute[]>();
  for (const { name, mapper, encoder, config: mapping } of mappings.values()) {
    const route: MappingRoute = {
      name,
      mapper,
      encoder,
      discardCorrupted: mapping.discardCorrupted,
      discardDuplicates: mapping.discardDuplicates,
      destinations: mapping.sinks.map((sink) => sinks.get(sink) as Sink),
    };
    for (const source of mapping.sources) {
      const list = routing.get(source) ?? [];
      list.push(route);
      routing.set(source, list);
    }
  }
  for (const source of Object.keys(config.sources)) {
    if (!routing.has(source))
      logger.warn({ source }, `source ${source} feeds no mapping; its events are counted and dropped`);
  }
  return { sinks, routing };
}
