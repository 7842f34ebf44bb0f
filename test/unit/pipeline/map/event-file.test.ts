import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARTY_ID, parseEventDescription } from '../../../../src/pipeline/map/event-file.js';

const defaults = {
  sourceName: 'browser',
  sourceTypes: { browser: 'browser', app: 'json' } as const,
  now: 1_000_000,
};

describe('event descriptions for footfall map', () => {
  it('fills every field left out with a documented default', () => {
    const { event, flags } = parseEventDescription({}, defaults);
    expect(event).toMatchObject({
      sourceName: 'browser',
      sourceType: 'browser',
      receivedAt: 1_000_000,
      clientTimestamp: 1_000_000,
      remoteHost: '127.0.0.1',
      userAgent: null,
      partyId: DEFAULT_PARTY_ID,
      eventType: 'pageView',
      location: null,
      parameters: undefined,
    });
    expect(event.pageViewId).not.toBeNull();
    expect(flags).toEqual({ corrupt: false, duplicate: false });
  });

  it('takes the source type from the configuration and has no page view for JSON sources', () => {
    const { event } = parseEventDescription({ source: 'app' }, defaults);
    expect(event).toMatchObject({ sourceName: 'app', sourceType: 'json', pageViewId: null, eventType: null });
  });

  it('reads ISO times, lower-cases header names and takes the user agent from the headers', () => {
    const { event, flags } = parseEventDescription(
      {
        receivedAt: '2026-11-26T10:00:00Z',
        headers: { 'User-Agent': 'curl/8.5.0', Cookie: 'a=b' },
        duplicate: true,
        corrupt: true,
        parameters: { a: [1] },
      },
      defaults,
    );
    expect(event).toMatchObject({
      receivedAt: Date.parse('2026-11-26T10:00:00Z'),
      userAgent: 'curl/8.5.0',
      headers: { 'user-agent': 'curl/8.5.0', cookie: 'a=b' },
      corrupt: true,
      parameters: { a: [1] },
    });
    expect(flags).toEqual({ corrupt: true, duplicate: true });
  });

  it('names the key of a value of the wrong type and refuses unknown keys', () => {
    expect(() => parseEventDescription({ screenWidth: 'wide' }, defaults)).toThrow(
      /^screenWidth: expected a number/,
    );
    expect(() => parseEventDescription({ screenWidth: 1.5 }, defaults)).toThrow(
      /^screenWidth: expected a 32-bit integer/,
    );
    expect(() => parseEventDescription({ receivedAt: 'yesterday' }, defaults)).toThrow(/^receivedAt: /);
    expect(() => parseEventDescription({ referer: 'x' }, defaults)).toThrow(/^referer: unknown key/);
    expect(() => parseEventDescription([], defaults)).toThrow(/JSON object/);
  });

  it('reads the example file shipped in docker/config/mappings', () => {
    const example: unknown = JSON.parse(readFileSync('docker/config/mappings/event.example.json', 'utf8'));
    const { event } = parseEventDescription(example, defaults);
    expect(event).toMatchObject({ eventType: 'addToCart', remoteHost: '203.0.113.7', screenWidth: 390 });
  });
});
