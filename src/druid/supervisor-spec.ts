/**
 * The Druid Kafka supervisor spec for the builtin `footfall` record, generated from the schema JSON so
 * Druid decodes with exactly the schema the collector writes with. Pure: schema and options in, spec
 * out; reading files and printing belong to the CLI.
 */
import type { AvroField, AvroRecordSchema, AvroSchema } from '../schema/index.js';

/** How the Kafka sink frames records; `confluent` needs a schema registry, which the spec does not use. */
export type SpecFraming = 'naked' | 'druid-inline';

export const SPEC_FRAMINGS: readonly SpecFraming[] = ['naked', 'druid-inline'];

export interface SupervisorSpecOptions {
  readonly dataSource: string;
  readonly topic: string;
  /** Kafka bootstrap servers as Druid's consumer sees them, comma-separated. */
  readonly brokers: string;
  readonly framing: SpecFraming;
  /** The id the Kafka sink writes into `druid-inline` frames; ignored for `naked`. */
  readonly schemaId: number;
}

/** The values docker/compose.yaml uses, so the committed spec runs there unchanged. */
export const DEFAULT_SPEC_OPTIONS: SupervisorSpecOptions = {
  dataSource: 'footfall',
  topic: 'clickstream',
  brokers: 'kafka:9092',
  framing: 'naked',
  schemaId: 1,
};

type DimensionType = 'string' | 'long' | 'double';

interface DimensionChoice {
  readonly field: string;
  readonly type: DimensionType;
}

/**
 * The record fields that become Druid dimensions. Identifiers (party, session, event ids) are left out
 * on purpose: they would defeat rollup, and the sketches below answer "how many distinct" instead.
 * Booleans are string dimensions ("true"/"false"), which group and filter well in SQL and Superset.
 */
const DIMENSIONS: readonly DimensionChoice[] = [
  { field: 'eventType', type: 'string' },
  { field: 'sourceName', type: 'string' },
  { field: 'firstInSession', type: 'string' },
  { field: 'newParty', type: 'string' },
  { field: 'locationHost', type: 'string' },
  { field: 'locationPath', type: 'string' },
  { field: 'refererHost', type: 'string' },
  { field: 'refererInternal', type: 'string' },
  { field: 'utmSource', type: 'string' },
  { field: 'utmMedium', type: 'string' },
  { field: 'utmCampaign', type: 'string' },
  { field: 'utmTerm', type: 'string' },
  { field: 'utmContent', type: 'string' },
  { field: 'clickIdType', type: 'string' },
  { field: 'browserName', type: 'string' },
  { field: 'browserMajor', type: 'string' },
  { field: 'osName', type: 'string' },
  { field: 'deviceType', type: 'string' },
  { field: 'isBot', type: 'string' },
  { field: 'countryCode', type: 'string' },
  { field: 'countryName', type: 'string' },
  { field: 'subdivisionName', type: 'string' },
  { field: 'cityName', type: 'string' },
  { field: 'timeZone', type: 'string' },
  { field: 'detectedDuplicate', type: 'string' },
  { field: 'detectedCorruption', type: 'string' },
];

/** Distinct-count sketches: HLL is the smallest per row and exact enough for visitor counts. */
const SKETCHES = [
  { name: 'uniqueParties', field: 'partyId' },
  { name: 'uniqueSessions', field: 'sessionId' },
] as const;

/** The server receive time, which unlike the client's clock cannot be skewed or forged. */
export const TIMESTAMP_FIELD = 'timestamp';

/** Avro primitive types that each kind of dimension can hold. */
const ACCEPTS: Record<DimensionType, readonly string[]> = {
  string: ['string', 'boolean', 'enum'],
  long: ['int', 'long'],
  double: ['float', 'double'],
};

export class SpecError extends Error {
  override readonly name = 'SpecError';
}

/**
 * Builds a Kafka supervisor spec for the given record schema. Throws SpecError when the schema lacks a
 * field the spec is built on, or has it with a type that dimension cannot hold: a schema change that
 * breaks the Druid side fails here, not in a running supervisor.
 */
export function buildSupervisorSpec(
  schema: AvroRecordSchema,
  options: Partial<SupervisorSpecOptions> = {},
): Record<string, unknown> {
  const opts: SupervisorSpecOptions = { ...DEFAULT_SPEC_OPTIONS, ...options };
  checkOptions(opts);
  const fields = new Map(schema.fields.map((field) => [field.name, field] as const));
  const dimensions = DIMENSIONS.map(({ field, type }) => {
    const avroType = primitiveOf(requireField(fields, field).type);
    if (avroType === undefined || !ACCEPTS[type].includes(avroType)) {
      throw new SpecError(
        `field "${field}" cannot be a ${type} dimension: its type is ${describe(fields.get(field)?.type)}`,
      );
    }
    return { type, name: field };
  });
  const metrics: Record<string, unknown>[] = [{ type: 'count', name: 'count' }];
  for (const sketch of SKETCHES) {
    const avroType = primitiveOf(requireField(fields, sketch.field).type);
    if (avroType !== 'string') {
      throw new SpecError(`field "${sketch.field}" must be a string for a distinct-count sketch`);
    }
    metrics.push({
      type: 'HLLSketchBuild',
      name: sketch.name,
      fieldName: sketch.field,
      lgK: 12,
      tgtHllType: 'HLL_4',
    });
  }

  return kafkaSupervisor(schema, opts, {
    dataSource: opts.dataSource,
    timestampSpec: { column: TIMESTAMP_FIELD, format: 'millis' },
    dimensionsSpec: { dimensions },
    metricsSpec: metrics,
    // Minute rows rolled up per dimension combination keep a small cluster small; hourly segments
    // hand off often enough that a restart loses little, and are few enough for a tiny Historical.
    granularitySpec: {
      type: 'uniform',
      segmentGranularity: 'hour',
      queryGranularity: 'minute',
      rollup: true,
    },
  });
}

/**
 * A Kafka supervisor around a dataSchema: the topic, the Avro decoding and the tuning every Footfall
 * datasource shares. Checks the options and the timestamp field.
 */
export function kafkaSupervisor(
  schema: AvroRecordSchema,
  opts: SupervisorSpecOptions,
  dataSchema: Record<string, unknown>,
): Record<string, unknown> {
  checkOptions(opts);
  const timestamp = requireField(new Map(schema.fields.map((f) => [f.name, f] as const)), TIMESTAMP_FIELD);
  if (primitiveOf(timestamp.type) !== 'long') {
    throw new SpecError(
      `field "${TIMESTAMP_FIELD}" must be a long (milliseconds), not ${describe(timestamp.type)}`,
    );
  }
  return {
    type: 'kafka',
    spec: {
      dataSchema,
      ioConfig: {
        type: 'kafka',
        topic: opts.topic,
        inputFormat: {
          type: 'avro_stream',
          avroBytesDecoder: decoderFor(schema, opts),
          binaryAsString: false,
        },
        consumerProperties: { 'bootstrap.servers': opts.brokers },
        // Records written before the supervisor existed (the collector usually starts first) count too.
        useEarliestOffset: true,
        taskCount: 1,
        replicas: 1,
        taskDuration: 'PT1H',
      },
      tuningConfig: {
        type: 'kafka',
        maxRowsInMemory: 100000,
        maxRowsPerSegment: 5000000,
        intermediatePersistPeriod: 'PT10M',
        // A record Druid cannot read is a schema mismatch someone must see, not a silent gap.
        logParseExceptions: true,
      },
    },
  };
}

/** The spec as the text `footfall druid-spec` writes and docker/druid/supervisor-spec.json holds. */
export function renderSupervisorSpec(
  schema: AvroRecordSchema,
  options: Partial<SupervisorSpecOptions> = {},
): string {
  return `${JSON.stringify(buildSupervisorSpec(schema, options), null, 2)}\n`;
}

function decoderFor(schema: AvroRecordSchema, opts: SupervisorSpecOptions): Record<string, unknown> {
  if (opts.framing === 'naked') return { type: 'schema_inline', schema };
  // Druid reads the 4-byte id after the 0x01 magic byte and picks the schema registered under it.
  return { type: 'multiple_schemas_inline', schemas: { [String(opts.schemaId)]: schema } };
}

function checkOptions(opts: SupervisorSpecOptions): void {
  if (!SPEC_FRAMINGS.includes(opts.framing)) {
    throw new SpecError(
      `framing must be one of ${SPEC_FRAMINGS.join(', ')}, not "${String(opts.framing)}"` +
        (String(opts.framing) === 'confluent'
          ? ' (Druid reads Confluent framing only through a schema registry)'
          : ''),
    );
  }
  if (!Number.isInteger(opts.schemaId) || opts.schemaId < 0 || opts.schemaId > 0x7fffffff) {
    throw new SpecError(`schema id must be an integer from 0 to ${0x7fffffff}, not ${opts.schemaId}`);
  }
  for (const key of ['dataSource', 'topic', 'brokers'] as const) {
    if (opts[key].trim() === '') throw new SpecError(`${key} must not be empty`);
  }
}

export function requireField(fields: ReadonlyMap<string, AvroField>, name: string): AvroField {
  const field = fields.get(name);
  if (!field) throw new SpecError(`the schema has no field "${name}", which the Druid spec needs`);
  return field;
}

/** The primitive type of a field, looking through `["null", T]` unions; undefined for anything else. */
export function primitiveOf(type: AvroSchema | undefined): string | undefined {
  if (type === undefined) return undefined;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const branches = (type as readonly AvroSchema[]).filter((branch) => branch !== 'null');
    return branches.length === 1 ? primitiveOf(branches[0]) : undefined;
  }
  const object = type as { type: AvroSchema };
  return typeof object.type === 'string' ? object.type : undefined;
}

function describe(type: AvroSchema | undefined): string {
  return type === undefined ? 'missing' : JSON.stringify(type);
}
