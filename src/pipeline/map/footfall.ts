/**
 * The builtin `footfall` mapper: the rich, flat io.footfall.ClickEvent record that the Druid spec and
 * the Superset dashboard are built on. It starts from the Divolte record so both stay in step.
 */
import type { ClientEvent, JsonValue } from '../event.js';
import { mapDivolte } from './divolte.js';
import type { MappedRecord, MapperContext } from './mapper.js';

export function mapFootfall(event: ClientEvent, context: MapperContext): MappedRecord {
  return {
    ...mapDivolte(event, context),
    eventId: event.eventId,
    sourceName: event.sourceName,
    newParty: event.newParty,
    devicePixelRatio: event.devicePixelRatio,
    eventParameters: event.parameters === undefined ? null : JSON.stringify(event.parameters),
    eventParameterValues: scalarParameters(event.parameters),
    locationScheme: null,
    locationHost: null,
    locationPath: null,
    locationQuery: null,
    locationFragment: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    clickIdType: null,
    clickId: null,
    refererHost: null,
    refererPath: null,
    refererInternal: null,
    browserName: null,
    browserVersion: null,
    browserMajor: null,
    engineName: null,
    engineVersion: null,
    osName: null,
    osVersion: null,
    deviceType: null,
    deviceVendor: null,
    deviceModel: null,
    isBot: false,
    countryCode: null,
    countryName: null,
    subdivisionCode: null,
    subdivisionName: null,
    cityName: null,
    postalCode: null,
    latitude: null,
    longitude: null,
    timeZone: null,
    asn: null,
    asnOrganization: null,
  };
}

/** Top-level scalar parameters as strings, so Druid can use them as plain dimensions. */
export function scalarParameters(parameters: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) return out;
  for (const [key, value] of Object.entries(parameters)) {
    if (value === null || typeof value === 'object') continue;
    out[key] = String(value);
  }
  return out;
}
