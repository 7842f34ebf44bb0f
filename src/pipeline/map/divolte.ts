/**
 * The builtin `divolte` mapper: fills io.divolte.record.DefaultEventRecord the way Divolte's default
 * mapping does, so consumers written for Divolte decode the same values.
 */
import type { ClientEvent } from '../event.js';
import type { MappedRecord, MapperContext } from './mapper.js';

export function mapDivolte(event: ClientEvent, context: MapperContext): MappedRecord {
  return {
    detectedDuplicate: context.flags.duplicate,
    detectedCorruption: context.flags.corrupt,
    firstInSession: event.firstInSession,
    timestamp: event.receivedAt,
    clientTimestamp: event.clientTimestamp,
    remoteHost: event.remoteHost,
    referer: event.referrer,
    location: event.location,
    viewportPixelWidth: event.viewportWidth,
    viewportPixelHeight: event.viewportHeight,
    screenPixelWidth: event.screenWidth,
    screenPixelHeight: event.screenHeight,
    partyId: event.partyId,
    sessionId: event.sessionId,
    pageViewId: event.pageViewId,
    // The schema's default: Divolte leaves the field alone when the client sent no type.
    eventType: event.eventType ?? 'unknown',
    userAgentString: event.userAgent,
    // Filled by the user-agent enrichment; null until it runs.
    userAgentName: null,
    userAgentFamily: null,
    userAgentVendor: null,
    userAgentType: null,
    userAgentVersion: null,
    userAgentDeviceCategory: null,
    userAgentOsFamily: null,
    userAgentOsVersion: null,
    userAgentOsVendor: null,
  };
}
