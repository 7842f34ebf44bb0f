import { describe, expect, it } from 'vitest';
import { createEnrichment, type GeoInfo } from '../../../../src/pipeline/enrich/index.js';
import { EventContext } from '../../../../src/pipeline/map/context.js';
import { mapDivolte } from '../../../../src/pipeline/map/divolte.js';
import { mapFootfall } from '../../../../src/pipeline/map/footfall.js';
import { SYNTHETIC_EVENTS, syntheticEnrichment } from '../../../../src/pipeline/map/synthetic.js';
import { createCodec, loadBuiltinSchema } from '../../../../src/schema/index.js';

const footfall = createCodec(loadBuiltinSchema('footfall'));
const divolte = createCodec(loadBuiltinSchema('divolte'));

describe('the builtin footfall mapper', () => {
  it('fills URL, campaign, referrer, user-agent and geo fields from the enrichment', () => {
    const { event, flags } = SYNTHETIC_EVENTS[0]!;
    const ctx = new EventContext(event, flags, syntheticEnrichment());
    const record = mapFootfall(ctx.event, ctx);
    expect(record).toMatchObject({
      remoteHost: '203.0.113.7',
      partyId: event.partyId,
      locationScheme: 'https',
      locationHost: 'www.example.com',
      locationPath: '/products/42',
      locationQuery: 'utm_source=newsletter&utm_medium=email&gclid=Cj0KCQ',
      locationFragment: 'reviews',
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmCampaign: null,
      clickIdType: 'gclid',
      clickId: 'Cj0KCQ',
      refererHost: 'www.google.com',
      refererPath: '/search',
      refererInternal: false,
      browserName: 'Chrome',
      browserMajor: '124',
      osName: 'Windows',
      deviceType: 'desktop',
      isBot: false,
      userAgentName: 'Chrome',
      userAgentType: 'Browser',
      userAgentDeviceCategory: 'Personal computer',
      userAgentOsFamily: 'Windows',
      countryCode: 'NL',
      countryName: 'Netherlands',
      subdivisionCode: 'NH',
      cityName: 'Amsterdam',
      latitude: 52.3759,
      timeZone: 'Europe/Amsterdam',
      asn: 64496,
      asnOrganization: 'Example Networks B.V.',
    });
    expect(() => footfall.encode(record)).not.toThrow();
  });

  it('writes records the schema accepts for every synthetic event', () => {
    for (const { event, flags } of SYNTHETIC_EVENTS) {
      const ctx = new EventContext(
        event,
        flags,
        syntheticEnrichment({ ipAddress: 'truncate', honorDoNotTrack: true }),
      );
      expect(() => footfall.encode(mapFootfall(ctx.event, ctx))).not.toThrow();
      expect(() => divolte.encode(mapDivolte(ctx.event, ctx))).not.toThrow();
    }
  });

  it('stores the truncated address and no identifiers for a request that asks not to be tracked', () => {
    const { event, flags } = SYNTHETIC_EVENTS[2]!;
    const ctx = new EventContext(
      event,
      flags,
      syntheticEnrichment({ ipAddress: 'full', honorDoNotTrack: true }),
    );
    const record = mapFootfall(ctx.event, ctx);
    expect(record).toMatchObject({
      partyId: null,
      sessionId: null,
      remoteHost: '198.51.100.0',
      eventId: event.eventId,
    });
    // The geo look-up still used the full address before it was truncated.
    expect(record.asn).toBe(64511);
  });

  it('leaves URL and geo fields null when the event has no usable URL and no database answers', () => {
    const { event, flags } = SYNTHETIC_EVENTS[3]!;
    const ctx = new EventContext(event, flags, createEnrichment());
    expect(mapFootfall(ctx.event, ctx)).toMatchObject({
      location: 'not a URL',
      locationHost: null,
      locationPath: null,
      refererInternal: null,
      utmSource: null,
      browserName: null,
      userAgentName: null,
      countryCode: null,
      asn: null,
      isBot: false,
      eventType: 'unknown',
    });
  });

  it('keeps only top-level scalar parameters as dimension values', () => {
    const { event, flags } = SYNTHETIC_EVENTS[1]!;
    const ctx = new EventContext(event, flags, createEnrichment());
    expect(mapFootfall(ctx.event, ctx).eventParameterValues).toEqual({ quantity: '2', gift: 'false' });
  });
});

describe('the builtin divolte mapper', () => {
  it('fills Divolte’s nine user-agent fields in Divolte’s vocabulary', () => {
    const { event, flags } = SYNTHETIC_EVENTS[1]!;
    const ctx = new EventContext(event, flags, createEnrichment());
    const record = mapDivolte(ctx.event, ctx);
    expect(record).toMatchObject({
      detectedCorruption: true,
      detectedDuplicate: true,
      userAgentName: 'Mobile Safari',
      userAgentFamily: 'Mobile Safari',
      userAgentVendor: 'Apple Inc.',
      userAgentType: 'Mobile Browser',
      userAgentVersion: '17.4.1',
      userAgentDeviceCategory: 'Smartphone',
      userAgentOsFamily: 'iOS',
      userAgentOsVersion: '17.4.1',
      // UADetector's producer of iOS; OS X was `Apple Computer, Inc.`
      userAgentOsVendor: 'Apple Inc.',
    });
    expect(Object.keys(record)).toHaveLength(26);
    expect(() => divolte.encode(record)).not.toThrow();
  });

  it('keeps Footfall’s own vocabulary in the footfall record for the same event', () => {
    const { event, flags } = SYNTHETIC_EVENTS[0]!;
    const divolteCtx = new EventContext(event, flags, createEnrichment());
    const footfallCtx = new EventContext(event, flags, createEnrichment());
    const divolteRecord = mapDivolte(divolteCtx.event, divolteCtx);
    const footfallRecord = mapFootfall(footfallCtx.event, footfallCtx);
    expect(divolteRecord).toMatchObject({
      userAgentOsVersion: '10.0',
      userAgentOsVendor: 'Microsoft Corporation.',
    });
    expect(footfallRecord).toMatchObject({
      userAgentOsVersion: '10',
      userAgentOsVendor: 'Microsoft Corporation',
    });
  });

  it('writes the dropped address as the empty string', () => {
    const { event, flags } = SYNTHETIC_EVENTS[0]!;
    const geo: GeoInfo | null = null;
    const ctx = new EventContext(
      event,
      flags,
      createEnrichment({ geo: () => geo, privacy: { ipAddress: 'drop', honorDoNotTrack: false } }),
    );
    expect(mapDivolte(ctx.event, ctx).remoteHost).toBe('');
  });
});
