import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventQuery } from '../../../src/protocol/index.js';
import { parseBrowserEvent } from '../../../src/server/sources/browser/browser-event.js';
import { parseIsoTimestamp, parseJsonEvents } from '../../../src/server/sources/json/json-event.js';
import { pixelParams, pixelQuery } from '../../support/pixel.js';

const facts = { sourceName: 's', receivedAt: 0, remoteHost: '127.0.0.1', userAgent: null, headers: {} };
const jsonFacts = { ...facts, partyId: '0:i1t84hgy:abc' };

describe('the request parsers under random input', () => {
  it('parse any query string without throwing, and every result is an event or a reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (query) => {
        const result = parseBrowserEvent(parseEventQuery(query), facts);
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
        const result = parseBrowserEvent(parseEventQuery(mutated), facts);
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

/** The first implementation, through Date.parse: the reference the arithmetic one must agree with. */
function isoByDateParse(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!match) return undefined;
  const [, date, time, zone] = match as unknown as [string, string, string, string | undefined];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  // setUTCFullYear, unlike Date.UTC, takes years 0–99 as they are (the first version had that bug).
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day);
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  const [hours, minutes, seconds = 0] = time.split(':').map(Number) as [number, number, number?];
  if (hours > 23 || minutes > 59 || seconds >= 60) return undefined;
  const trimmed = time.replace(/(\.\d{3})\d+$/, '$1');
  let offset = zone ?? 'Z';
  if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = Date.parse(`${date}T${trimmed}${offset.toUpperCase()}`);
  return Number.isFinite(ms) ? ms : undefined;
}

describe('client timestamps, computed from their fields', () => {
  const digits = (n: number, max: number) =>
    fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
  const isoLike = fc
    .tuple(
      digits(4, 9999),
      digits(2, 19),
      digits(2, 39),
      digits(2, 29),
      digits(2, 69),
      fc.option(digits(2, 69)),
      fc.option(fc.stringMatching(/^\d{1,9}$/)),
      fc.constantFrom('', 'Z', 'z', '+', '-', '+c', '-c'),
      digits(2, 29),
      digits(2, 69),
    )
    .map(([y, mo, d, h, mi, s, frac, zone, zh, zm]) => {
      const seconds = s === null ? '' : `:${s}${frac === null ? '' : `.${frac}`}`;
      const offset =
        zone === '' || zone === 'Z' || zone === 'z'
          ? zone
          : zone.length === 1
            ? `${zone}${zh}${zm}`
            : `${zone[0]}${zh}:${zm}`;
      return `${y}-${mo}-${d}T${h}:${mi}${seconds}${offset}`;
    });

  it('agree with Date.parse on every well-formed and ill-formed date-time', () => {
    fc.assert(
      fc.property(isoLike, (text) => {
        expect(parseIsoTimestamp(text)).toBe(isoByDateParse(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('handle years before 100, leap days and offsets', () => {
    for (const text of [
      '0000-02-29T00:00:00Z',
      '0099-12-31T23:59:59.999Z',
      '1900-02-29T00:00Z',
      '2000-02-29T12:00+14:00',
      '2024-02-29T12:00:00-0930',
    ]) {
      expect(parseIsoTimestamp(text)).toBe(isoByDateParse(text));
    }
    expect(parseIsoTimestamp('1900-02-29T00:00Z')).toBeUndefined();
  });
});
