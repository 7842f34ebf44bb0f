import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPEC_OPTIONS,
  SpecError,
  buildSessionSupervisorSpec,
  buildSupervisorSpec,
  renderSessionSupervisorSpec,
  renderSupervisorSpec,
} from '../../../src/druid/index.js';
import { loadBuiltinSchema, type AvroRecordSchema } from '../../../src/schema/index.js';

const COMMITTED = new URL('../../../docker/druid/supervisor-spec.json', import.meta.url);
const COMMITTED_SESSIONS = new URL('../../../docker/druid/sessions-supervisor-spec.json', import.meta.url);
const footfall = loadBuiltinSchema('footfall');

interface Spec {
  type: string;
  spec: {
    dataSchema: {
      dataSource: string;
      timestampSpec: { column: string; format: string };
      dimensionsSpec: { dimensions: { type: string; name: string }[] };
      metricsSpec: { type: string; name: string; fieldName?: string }[];
      granularitySpec: Record<string, unknown>;
    };
    ioConfig: {
      topic: string;
      inputFormat: { type: string; avroBytesDecoder: Record<string, unknown> };
      consumerProperties: Record<string, string>;
      useEarliestOffset: boolean;
    };
    tuningConfig: { type: string };
  };
}

const spec = (options = {}): Spec => buildSupervisorSpec(footfall, options) as unknown as Spec;

/** The footfall schema with one field's type replaced, or the field removed when type is undefined. */
function withField(name: string, type: unknown): AvroRecordSchema {
  const fields = footfall.fields
    .filter((field) => field.name !== name || type !== undefined)
    .map((field) => (field.name === name ? { ...field, type } : field));
  return { ...footfall, fields } as AvroRecordSchema;
}

describe('the Druid supervisor spec', () => {
  it('is committed exactly as `footfall druid-spec` generates it (run it with --out to update)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(renderSupervisorSpec(footfall));
  });

  it('decodes naked Avro with the very schema the collector writes with', () => {
    const { inputFormat } = spec().spec.ioConfig;
    expect(inputFormat.type).toBe('avro_stream');
    expect(inputFormat.avroBytesDecoder).toEqual({ type: 'schema_inline', schema: footfall });
  });

  it('registers the schema under the sink schema id for druid-inline framing', () => {
    const { avroBytesDecoder } = spec({ framing: 'druid-inline', schemaId: 7 }).spec.ioConfig.inputFormat;
    expect(avroBytesDecoder).toEqual({ type: 'multiple_schemas_inline', schemas: { '7': footfall } });
  });

  it('refuses confluent framing, which Druid reads only through a schema registry', () => {
    expect(() => buildSupervisorSpec(footfall, { framing: 'confluent' as never })).toThrow(/schema registry/);
  });

  it('takes its time from the server receive time in milliseconds', () => {
    expect(spec().spec.dataSchema.timestampSpec).toEqual({ column: 'timestamp', format: 'millis' });
  });

  it('has the dimensions the dashboard groups by, each an existing field', () => {
    const names = spec().spec.dataSchema.dimensionsSpec.dimensions.map((d) => d.name);
    for (const wanted of [
      'eventType',
      'locationHost',
      'locationPath',
      'refererHost',
      'utmSource',
      'utmMedium',
      'utmCampaign',
      'utmTerm',
      'utmContent',
      'browserName',
      'osName',
      'deviceType',
      'countryCode',
      'cityName',
      'isBot',
      'firstInSession',
    ]) {
      expect(names).toContain(wanted);
    }
    const fields = new Set(footfall.fields.map((f) => f.name));
    for (const name of names) expect(fields.has(name)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('leaves identifiers out of the dimensions so rows roll up, and counts them with sketches', () => {
    const { dimensionsSpec, metricsSpec } = spec().spec.dataSchema;
    const names = dimensionsSpec.dimensions.map((d) => d.name);
    for (const id of ['partyId', 'sessionId', 'eventId', 'pageViewId', 'remoteHost']) {
      expect(names).not.toContain(id);
    }
    expect(metricsSpec).toEqual([
      { type: 'count', name: 'count' },
      expect.objectContaining({ type: 'HLLSketchBuild', name: 'uniqueParties', fieldName: 'partyId' }),
      expect.objectContaining({ type: 'HLLSketchBuild', name: 'uniqueSessions', fieldName: 'sessionId' }),
    ]);
  });

  it('uses the given topic, brokers and datasource, and the compose values by default', () => {
    expect(spec().spec.ioConfig.topic).toBe(DEFAULT_SPEC_OPTIONS.topic);
    expect(spec().spec.ioConfig.consumerProperties).toEqual({ 'bootstrap.servers': 'kafka:9092' });
    const custom = spec({ topic: 'clicks', brokers: 'a:1,b:2', dataSource: 'web' }).spec;
    expect(custom.ioConfig.topic).toBe('clicks');
    expect(custom.ioConfig.consumerProperties['bootstrap.servers']).toBe('a:1,b:2');
    expect(custom.dataSchema.dataSource).toBe('web');
    expect(custom.ioConfig.useEarliestOffset).toBe(true);
  });

  it('fails on a schema that lost a field the spec is built on', () => {
    expect(() => buildSupervisorSpec(withField('browserName', undefined))).toThrow(SpecError);
    expect(() => buildSupervisorSpec(withField('browserName', undefined))).toThrow(/no field "browserName"/);
    expect(() => buildSupervisorSpec(withField('partyId', undefined))).toThrow(/partyId/);
  });

  it('fails on a field whose type the dimension cannot hold', () => {
    expect(() => buildSupervisorSpec(withField('deviceType', ['null', 'double']))).toThrow(
      /"deviceType" cannot be a string dimension/,
    );
    expect(() => buildSupervisorSpec(withField('timestamp', 'string'))).toThrow(/must be a long/);
  });

  it('rejects empty names and impossible schema ids', () => {
    expect(() => buildSupervisorSpec(footfall, { topic: ' ' })).toThrow(/topic must not be empty/);
    expect(() => buildSupervisorSpec(footfall, { framing: 'druid-inline', schemaId: -1 })).toThrow(
      /schema id/,
    );
  });
});

describe('the Druid session supervisor spec', () => {
  const sessions = (options = {}): Spec => buildSessionSupervisorSpec(footfall, options) as unknown as Spec;

  it('is committed exactly as `footfall druid-spec --sessions` generates it', () => {
    expect(readFileSync(COMMITTED_SESSIONS, 'utf8')).toBe(renderSessionSupervisorSpec(footfall));
  });

  it('reads the same topic with the same decoder into <datasource>_sessions', () => {
    const events = spec({ topic: 'web', dataSource: 'shop' }).spec;
    const { dataSchema, ioConfig } = sessions({ topic: 'web', dataSource: 'shop' }).spec;
    expect(dataSchema.dataSource).toBe('shop_sessions');
    expect(ioConfig).toEqual(events.ioConfig);
  });

  it('keys rows by session id and rolls them up per hour', () => {
    const { dataSchema } = sessions().spec;
    expect(dataSchema.dimensionsSpec.dimensions[0]).toEqual({ type: 'string', name: 'sessionId' });
    expect(dataSchema.granularitySpec).toMatchObject({ queryGranularity: 'hour', rollup: true });
  });

  it('keeps what sessions, bounce rate, duration and entry and exit pages need', () => {
    const metrics = new Map(sessions().spec.dataSchema.metricsSpec.map((m) => [m.name, m]));
    expect(metrics.get('firstSeen')).toMatchObject({ type: 'longMin', fieldName: 'timestamp' });
    expect(metrics.get('lastSeen')).toMatchObject({ type: 'longMax', fieldName: 'timestamp' });
    expect(metrics.get('entryPage')).toMatchObject({ type: 'stringFirst', fieldName: 'locationPath' });
    expect(metrics.get('exitPage')).toMatchObject({ type: 'stringLast', fieldName: 'locationPath' });
    const filtered = sessions().spec.dataSchema.metricsSpec.find((m) => m.type === 'filtered') as unknown as {
      aggregator: { name: string };
    };
    expect(filtered.aggregator.name).toBe('pageViews');
  });

  it('fails on a schema without a session id', () => {
    expect(() => buildSessionSupervisorSpec(withField('sessionId', undefined))).toThrow(SpecError);
  });
});
