/**
 * The builtin `divolte` mapper: fills io.divolte.record.DefaultEventRecord the way Divolte's default
 * mapping does, so consumers written for Divolte decode the same values. The nine user-agent fields are
 * in Divolte's own words (UADetector's vocabulary, enrich/divolte-vocabulary.ts), not Footfall's.
 */
import type { DivolteRecord } from '../../schema/index.js';
import type { ClientEvent } from '../event.js';
import type { MapperContext } from './mapper.js';

export function mapDivolte(event: ClientEvent, context: MapperContext): DivolteRecord {
  const ua = context.userAgent().divolte;
  const anonymous = context.doNotTrack;
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
    partyId: anonymous ? null : event.partyId,
    sessionId: anonymous ? null : event.sessionId,
    pageViewId: event.pageViewId,
    // The schema's default: Divolte leaves the field alone when the client sent no type.
    eventType: event.eventType ?? 'unknown',
    userAgentString: event.userAgent,
    userAgentName: ua.name,
    userAgentFamily: ua.family,
    userAgentVendor: ua.vendor,
    userAgentType: ua.type,
    userAgentVersion: ua.version,
    userAgentDeviceCategory: ua.deviceCategory,
    userAgentOsFamily: ua.osFamily,
    userAgentOsVersion: ua.osVersion,
    userAgentOsVendor: ua.osVendor,
  };
}
