/**
 * TypeScript shapes of the builtin records and of Avro schema JSON.
 *
 * The record interfaces mirror divolte.avsc and footfall.avsc field by field and in the same order (a
 * unit test holds them to it). Every field is required in TypeScript even where the schema has a default:
 * a mapper that forgets a field should fail to compile rather than silently write the default.
 */

/** `io.divolte.record.DefaultEventRecord`, Divolte Collector's default record. */
export interface DivolteRecord {
  detectedDuplicate: boolean;
  detectedCorruption: boolean;
  firstInSession: boolean;
  /** Server receive time, ms since the epoch. */
  timestamp: number;
  /** Client clock time, ms since the epoch. */
  clientTimestamp: number;
  remoteHost: string;
  referer: string | null;
  location: string | null;
  /** Avro int: must be a 32-bit integer. */
  viewportPixelWidth: number | null;
  viewportPixelHeight: number | null;
  screenPixelWidth: number | null;
  screenPixelHeight: number | null;
  partyId: string | null;
  sessionId: string | null;
  pageViewId: string | null;
  eventType: string;
  userAgentString: string | null;
  userAgentName: string | null;
  userAgentFamily: string | null;
  userAgentVendor: string | null;
  userAgentType: string | null;
  userAgentVersion: string | null;
  userAgentDeviceCategory: string | null;
  userAgentOsFamily: string | null;
  userAgentOsVersion: string | null;
  userAgentOsVendor: string | null;
}

/** `io.footfall.ClickEvent`: Divolte's fields first, then Footfall's. */
export interface FootfallRecord extends DivolteRecord {
  eventId: string;
  sourceName: string;
  newParty: boolean;
  devicePixelRatio: number | null;

  /** The custom parameters as JSON text. */
  eventParameters: string | null;
  /** Top-level non-null scalar parameters rendered as strings. */
  eventParameterValues: Record<string, string>;

  locationScheme: string | null;
  locationHost: string | null;
  locationPath: string | null;
  locationQuery: string | null;
  locationFragment: string | null;

  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  clickIdType: string | null;
  clickId: string | null;

  refererHost: string | null;
  refererPath: string | null;
  refererInternal: boolean | null;

  browserName: string | null;
  browserVersion: string | null;
  browserMajor: string | null;
  engineName: string | null;
  engineVersion: string | null;
  osName: string | null;
  osVersion: string | null;
  deviceType: string | null;
  deviceVendor: string | null;
  deviceModel: string | null;
  isBot: boolean;

  countryCode: string | null;
  countryName: string | null;
  subdivisionCode: string | null;
  subdivisionName: string | null;
  cityName: string | null;
  postalCode: string | null;
  latitude: number | null;
  longitude: number | null;
  timeZone: string | null;
  /** Avro long: must be a safe integer. */
  asn: number | null;
  asnOrganization: string | null;
}

/** Any Avro schema in its JSON form: a type name, a union, or a type object. */
export type AvroSchema = string | readonly AvroSchema[] | AvroTypeObject;

interface AvroTypeObject {
  readonly type: AvroSchema;
  readonly [attribute: string]: unknown;
}

export interface AvroField {
  readonly name: string;
  readonly type: AvroSchema;
  readonly default?: unknown;
  readonly doc?: string;
  readonly [attribute: string]: unknown;
}

/** The JSON of a record schema, the only top-level kind Footfall maps events onto. */
export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly fields: readonly AvroField[];
  readonly [attribute: string]: unknown;
}
