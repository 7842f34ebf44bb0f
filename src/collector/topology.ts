/**
 * Turns the config's sources → mappings → sinks into live objects: one sink instance per configured
 * sink, one codec per schema, and for each source the list of mapping routes its events take.
 * Everything that can be wrong is found here, before the first request.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { FootfallConfig, MappingConfig } from '../config/index.js';
import { BUILTIN_MAPPERS, type Mapper, type MappingRoute } from '../pipeline/index.js';
import { createCodec, resolveSchema, type AvroRecordSchema, type Codec } from '../schema/index.js';
import { createSink, type Sink } from '../sinks/index.js';

export interface Topology {
  readonly sinks: ReadonlyMap<string, Sink>;
  readonly routing: ReadonlyMap<string, readonly MappingRoute[]>;
}

export class TopologyError extends Error {
  readonly code = 'FOOTFALL_ERR_TOPOLOGY';
}

/**
 * `mappers` holds the mappers loaded and checked at start-up (collector/mapper-module.ts), by mapping
 * name; without it only builtin mappers can be used.
 */
export function buildTopology(
  config: FootfallConfig,
  baseDir: string,
  logger: FastifyBaseLogger,
  mappers?: ReadonlyMap<string, Mapper>,
): Topology {
  const schemas = new Map<string, { schema: AvroRecordSchema; codec: Codec; trusted: Codec }>();
  const schemaFor = (ref: string) => {
    let entry = schemas.get(ref);
    if (!entry) {
      const schema = resolveSchema(ref, baseDir);
      entry = { schema, codec: createCodec(schema), trusted: createCodec(schema, { trustedShape: true }) };
      schemas.set(ref, entry);
    }
    return entry;
  };
  // A builtin mapper writing its own builtin schema is typed against it, so its records cannot carry
  // undeclared keys; user mappers always get the full check.
  const encoderFor = (mapping: MappingConfig, mapper: Mapper): Codec => {
    const entry = schemaFor(mapping.schema);
    const builtin = BUILTIN_MAPPERS[mapping.mapper] === mapper && mapping.schema === mapping.mapper;
    return builtin ? entry.trusted : entry.codec;
  };

  // A sink is built with the schema of the (first) mapping that feeds it; config validation has
  // already made sure every mapping into one sink uses the same schema.
  const sinkSchemas = new Map<string, AvroRecordSchema>();
  for (const mapping of Object.values(config.mappings)) {
    for (const sink of mapping.sinks) {
      if (!sinkSchemas.has(sink)) sinkSchemas.set(sink, schemaFor(mapping.schema).schema);
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
  for (const [name, mapping] of Object.entries(config.mappings)) {
    const mapper = mappers?.get(name) ?? BUILTIN_MAPPERS[mapping.mapper];
    if (!mapper) throw new TopologyError(`mappings.${name}.mapper: unknown mapper ${mapping.mapper}`);
    const route: MappingRoute = {
      name,
      mapper,
      encoder: encoderFor(mapping, mapper),
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
