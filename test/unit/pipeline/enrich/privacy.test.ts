import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS_ID,
  applyPrivacy,
  asksNotToTrack,
  formatIpv6,
  parseIpv6,
  truncateIp,
} from '../../../../src/pipeline/enrich/privacy.js';
import { SYNTHETIC_EVENTS } from '../../../../src/pipeline/map/synthetic.js';

const browserEvent = SYNTHETIC_EVENTS[0]!.event;

describe('IP truncation', () => {
  it('zeroes the last octet of an IPv4 address', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('10.1.2.255')).toBe('10.1.2.0');
  });

  it('keeps the first 48 bits of an IPv6 address in canonical form', () => {
    expect(truncateIp('2001:0db8:85a3:08d3:1319:8a2e:0370:7348')).toBe('2001:db8:85a3::');
    expect(truncateIp('2001:db8::1')).toBe('2001:db8::');
    expect(truncateIp('::1')).toBe('::');
    expect(truncateIp('fe80::1%eth0')).toBe('fe80::');
  });

  it('truncates an IPv4-mapped IPv6 address as IPv4', () => {
    expect(truncateIp('::ffff:192.0.2.128')).toBe('::ffff:192.0.2.0');
  });

  it('gives the empty string for anything that is not an address', () => {
    for (const text of ['', 'unknown', '300.1.2.3', '1.2.3', '2001:db8:::1', 'example.com']) {
      expect(truncateIp(text)).toBe('');
    }
  });

  it('always gives a valid address that keeps the network part', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const out = truncateIp(ip);
        expect(isIP(out)).toBe(4);
        expect(out.split('.').slice(0, 3)).toEqual(ip.split('.').slice(0, 3));
        expect(out.endsWith('.0')).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const out = truncateIp(ip);
        expect(isIP(out)).toBe(6);
        const groups = parseIpv6(ip);
        expect(parseIpv6(out)).toEqual([...groups!.slice(0, 3), 0, 0, 0, 0, 0]);
      }),
    );
  });

  it('formats IPv6 groups the RFC 5952 way', () => {
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6([1, 0, 2, 0, 3, 0, 4, 0])).toBe('1:0:2:0:3:0:4:0');
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
  });
});

describe('the privacy policy', () => {
  it('changes nothing, and copies nothing, with the defaults', () => {
    const view = applyPrivacy(browserEvent, { ipAddress: 'full', honorDoNotTrack: false });
    expect(view.event).toBe(browserEvent);
    expect(view.doNotTrack).toBe(false);
  });

  it('truncates the address and removes the headers that repeat it', () => {
    const event = {
      ...browserEvent,
      headers: {
        ...browserEvent.headers,
        'x-forwarded-for': '203.0.113.7, 10.0.0.1',
        forwarded: 'for=203.0.113.7',
      },
    };
    const view = applyPrivacy(event, { ipAddress: 'truncate', honorDoNotTrack: false });
    expect(view.event.remoteHost).toBe('203.0.113.0');
    expect(view.event.headers['x-forwarded-for']).toBeUndefined();
    expect(view.event.headers.forwarded).toBeUndefined();
    expect(view.event.headers.cookie).toBe(browserEvent.headers.cookie);
    expect(view.event.partyId).toBe(browserEvent.partyId);
    expect(event.remoteHost).toBe('203.0.113.7');
  });

  it('drops the address to the empty string', () => {
    expect(applyPrivacy(browserEvent, { ipAddress: 'drop', honorDoNotTrack: false }).event.remoteHost).toBe(
      '',
    );
  });

  it('drops identifiers and cookies and truncates the address when asked not to track', () => {
    const event = { ...browserEvent, headers: { ...browserEvent.headers, dnt: '1' } };
    const view = applyPrivacy(event, { ipAddress: 'full', honorDoNotTrack: true });
    expect(view.doNotTrack).toBe(true);
    expect(view.event).toMatchObject({
      partyId: ANONYMOUS_ID,
      sessionId: ANONYMOUS_ID,
      pageViewId: browserEvent.pageViewId,
      eventId: browserEvent.eventId,
      remoteHost: '203.0.113.0',
    });
    expect(view.event.headers.cookie).toBeUndefined();
  });

  it('keeps a dropped address dropped when asked not to track', () => {
    const event = { ...browserEvent, headers: { 'sec-gpc': '1' } };
    expect(applyPrivacy(event, { ipAddress: 'drop', honorDoNotTrack: true }).event.remoteHost).toBe('');
  });

  it('ignores DNT and Sec-GPC unless configured to honour them', () => {
    const event = { ...browserEvent, headers: { dnt: '1' } };
    expect(applyPrivacy(event, { ipAddress: 'full', honorDoNotTrack: false }).event).toBe(event);
  });

  it('reads DNT: 1 and Sec-GPC: 1, and nothing else, as a request not to be tracked', () => {
    expect(asksNotToTrack({ dnt: '1' })).toBe(true);
    expect(asksNotToTrack({ 'sec-gpc': '1' })).toBe(true);
    expect(asksNotToTrack({ dnt: '0' })).toBe(false);
    expect(asksNotToTrack({ 'sec-gpc': '0' })).toBe(false);
    expect(asksNotToTrack({})).toBe(false);
  });
});
