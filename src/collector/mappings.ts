/**
 * What each configured mapping refers to, resolved once at start-up: its schema (builtin, or a file
 * relative to the configuration's folder), the codecs its records are encoded with, and where its
 * mapper comes from. The mapper loader (mapper-module.ts) and the topology both take this result, so a
 * schema file is read and compiled once however many mappings and sinks use it, and the start-up dry
 * run checks a mapping against the very schema its sinks are built with.
 */
import path from 'node:path';
import type { FootfallConfig, MappingConfig } from '../config/index.js';
import { BUILTIN_MAPPERS, MappingError } from '../pipeline/index.js';
import { createCodec, resolveSchema, type AvroRecordSchema, type Codec } from '../schema/index.js';

export interface ResolvedMapping {
  readonly name: string;
  readonly config: MappingConfig;
  readonly schema: AvroRecordSchema;
  /** The full check, undeclared keys included: the start-up dry run and `footfall map` use it. */
  readonly codec: Codec;
  /**
   * What the running pipeline encodes with: `codec`, except for a builtin mapper writing its own
   * builtin schema, which gets a trusted codec (see below).
   */
  readonly encoder: Codec;
  /** Absolute path of the mapping module to import; null for a `builtin:` mapper. */
  readonly module: string | null;
}

/**
 * Resolves every mapping of the configuration, in configuration order. Throws SchemaError for a
 * schema that cannot be read or is not a record, MappingError for an unknown builtin mapper.
 */
export function resolveMappings(config: FootfallConfig, baseDir: string): Map<string, ResolvedMapping> {
  // By reference, as written: mappings sharing a schema share its codecs.
  const schemas = new Map<string, { schema: AvroRecordSchema; codec: Codec; trusted?: Codec }>();
  const resolved = new Map<string, ResolvedMapping>();
  for (const [name, mapping] of Object.entries(config.mappings)) {
    let entry = schemas.get(mapping.schema);
    if (entry === undefined) {
      const schema = resolveSchema(mapping.schema, baseDir);
      entry = { schema, codec: createCodec(schema) };
      schemas.set(mapping.schema, entry);
    }
    const builtin = mapping.mapper.startsWith('builtin:');
    if (builtin && !Object.hasOwn(BUILTIN_MAPPERS, mapping.mapper)) {
      throw new MappingError(
        `mappings.${name}.mapper: unknown builtin mapper ${mapping.mapper}; known: ${Object.keys(BUILTIN_MAPPERS).join(', ')}`,
      );
    }
    // A builtin mapper writing its own builtin schema is typed against it, so its records cannot carry
    // undeclared keys and the codec may skip looking for them; user mappers always get the full check.
    let encoder = entry.codec;
    if (builtin && mapping.schema === mapping.mapper) {
      encoder = entry.trusted ??= createCodec(entry.schema, { trustedShape: true });
    }
    resolved.set(name, {
      name,
      config: mapping,
      schema: entry.schema,
      codec: entry.codec,
      encoder,
      module: builtin ? null : path.resolve(baseDir, mapping.mapper),
    });
  }
  return resolved;
}
