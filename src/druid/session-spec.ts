/**
 * The Druid Kafka supervisor spec for session-level data: a second supervisor on the same topic that
 * rolls events up per session and hour into the datasource `<dataSource>_sessions`. Druid cannot
 * sessionize a stream, but a session's events share its id: keyed by session id, rollup keeps one row
 * per session and hour holding what sessions, bounce rate, visit duration and entry and exit pages
 * need (page views, first and last time, first and last page), and queries finish the job with one
 * GROUP BY "sessionId". Measured on the e2e data in docs/pipeline.md.
 */
import type { AvroRecordSchema } from '../schema/index.js';
import {
  DEFAULT_SPEC_OPTIONS,
  SpecError,
  TIMESTAMP_FIELD,
  kafkaSupervisor,
  primitiveOf,
  requireField,
  type SupervisorSpecOptions,
} from './supervisor-spec.js';

/**
 * Fields that hold one value for a whole session (same browser, same address), so they can be
 * dimensions next to the session id without splitting its row.
 */
const SESSION_DIMENSIONS = [
  'sessionId',
  'partyId',
  'isBot',
  'countryName',
  'deviceType',
  'browserName',
  'osName',
] as const;

/** Fields of a session's first event (its landing page view) that say how the visit arrived. */
const ARRIVAL_FIELDS = [
  ['refererHost', 'entryRefererHost'],
  ['utmSource', 'entryUtmSource'],
  ['utmMedium', 'entryUtmMedium'],
  ['utmCampaign', 'entryUtmCampaign'],
  ['clickIdType', 'entryClickIdType'],
] as const;

/** Paths and hosts are short; 512 bytes keeps a long path whole and bounds each row. */
const MAX_STRING_BYTES = 512;

const pageViewsOnly = (aggregator: Record<string, unknown>): Record<string, unknown> => ({
  type: 'filtered',
  filter: { type: 'selector', dimension: 'eventType', value: 'pageView' },
  aggregator,
});

/** The datasource the session supervisor fills, next to the event datasource. */
const sessionDataSource = (dataSource: string): string => `${dataSource}_sessions`;

/** Builds the session supervisor spec; same options as the event spec, datasource `<name>_sessions`. */
export function buildSessionSupervisorSpec(
  schema: AvroRecordSchema,
  options: Partial<SupervisorSpecOptions> = {},
): Record<string, unknown> {
  const opts: SupervisorSpecOptions = { ...DEFAULT_SPEC_OPTIONS, ...options };
  const fields = new Map(schema.fields.map((field) => [field.name, field] as const));
  for (const name of [
    ...SESSION_DIMENSIONS,
    'eventType',
    'locationPath',
    ...ARRIVAL_FIELDS.map(([f]) => f),
  ]) {
    const type = primitiveOf(requireField(fields, name).type);
    if (type !== 'string' && type !== 'boolean') {
      throw new SpecError(`field "${name}" must be a string or boolean for the session spec`);
    }
  }
  // Not wrapped in a page-view filter: Druid 33 leaves a filtered stringFirst/stringLast empty at
  // ingestion (measured: every row null). They pass over null values, so events without a page (the
  // JSON source's) never become an entry or exit page, and the tracker's custom events carry their
  // page's location, so the first and last events with a page name the entry and exit pages.
  const firstPage = (fieldName: string, name: string, type: 'stringFirst' | 'stringLast') => ({
    type,
    name,
    fieldName,
    maxStringBytes: MAX_STRING_BYTES,
  });

  return kafkaSupervisor(schema, opts, {
    dataSource: sessionDataSource(opts.dataSource),
    timestampSpec: { column: TIMESTAMP_FIELD, format: 'millis' },
    dimensionsSpec: { dimensions: SESSION_DIMENSIONS.map((name) => ({ type: 'string', name })) },
    metricsSpec: [
      { type: 'count', name: 'events' },
      pageViewsOnly({ type: 'count', name: 'pageViews' }),
      // The exact times, in milliseconds: __time is floored to the hour by the rollup below.
      { type: 'longMin', name: 'firstSeen', fieldName: TIMESTAMP_FIELD },
      { type: 'longMax', name: 'lastSeen', fieldName: TIMESTAMP_FIELD },
      firstPage('locationPath', 'entryPage', 'stringFirst'),
      firstPage('locationPath', 'exitPage', 'stringLast'),
      ...ARRIVAL_FIELDS.map(([field, name]) => firstPage(field, name, 'stringFirst')),
    ],
    // One row per session and hour: a visit longer than an hour has a row per hour it touched, which
    // the GROUP BY "sessionId" of every session query merges.
    granularitySpec: {
      type: 'uniform',
      segmentGranularity: 'hour',
      queryGranularity: 'hour',
      rollup: true,
    },
  });
}

/** The session spec as the text `footfall druid-spec --sessions` writes. */
export function renderSessionSupervisorSpec(
  schema: AvroRecordSchema,
  options: Partial<SupervisorSpecOptions> = {},
): string {
  return `${JSON.stringify(buildSessionSupervisorSpec(schema, options), null, 2)}\n`;
}
