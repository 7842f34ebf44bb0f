import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBrowserEvent, parseQuery } from '../../../src/server/sources/browser-event.js';
import { parseIsoTimestamp, parseJsonEvents } from '../../../src/server/sources/json-event.js';
import { pixelParams, pixelQuery } from '../../support/pixel.js';

const facts = { sourceName: 's', receivedAt: 0, remoteHost: '127.0.0.1', userAgent: null, headers: {} };
const jsonFacts = { ...facts, partyId: '0:i1t84hgy:abc' };

describe('the request parsers under random input', () => {
  it('parse any query string without throwing, and every result is an event or a reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (query) => {
        const result = parseBrowserEvent(parseQuery(query), facts);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('survive mutations of a valid pixel query', () => {
    const valid = pixelQuery(pixelParams());
    fc.assert(
      fc.property(fc.nat(valid.length), fc.string({ unit: 'binary', maxLength: 8 }), (at, insert) => {
        const mutated = valid.slice(0, at) + insert + valid.slice(at + 1);
        const result = parseBrowserEvent(parseQuery(mutated), facts);
        if (result.ok) expect(result.event.partyId).toMatch(/^0:/);
      }),
      { numRuns: 2000 },
    );
  });

  it('parse any JSON source body without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = parseJsonEvents(Buffer.from(bytes), jsonFacts, 100);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('parse any JSON value as a body without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseJsonEvents(Buffer.from(JSON.stringify(value) ?? 'null'), jsonFacts, 100);
        if (result.ok) expect(result.events.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('read any string as a timestamp or nothing, never a wrong type', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const ms = parseIsoTimestamp(text);
        expect(ms === undefined || Number.isFinite(ms)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
