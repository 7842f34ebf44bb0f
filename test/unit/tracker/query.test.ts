import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMincode, parseEventQuery, QueryParam, verifyChecksum } from '../../../src/protocol/index.js';
import { parseBrowserEvent } from '../../../src/server/sources/browser/browser-event.js';
import { eventQuery, PARAMETER_ORDER } from '../../../src/tracker-js/query.js';
import { readCookie } from '../../../src/tracker-js/cookies.js';
import { PARTY, SESSION } from '../../support/collector.js';

const PAGE_VIEW = '0:1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF';

const facts = {
  sourceName: 'browser',
  receivedAt: 0,
  remoteHost: '127.0.0.1',
  userAgent: null,
  headers: {},
};

function values(overrides: Record<number, string | undefined> = {}): (string | undefined)[] {
  const base = [
    PARTY,
    SESSION,
    PAGE_VIEW,
    `${PAGE_VIEW}0`,
    'i1t8q2b6',
    't',
    'f',
    'http://localhost:8290/',
    undefined,
    '1ak',
    'sj',
    '2',
    'uq',
    'qd',
    'pageView',
    '',
  ];
  for (const [i, v] of Object.entries(overrides)) base[Number(i)] = v;
  return base;
}

describe('the tracker query string', () => {
  it("uses QueryParam's letters in divolte.js's order, x last", () => {
    expect(PARAMETER_ORDER + 'x').toBe(Object.values(QueryParam).join(''));
  });

  it('reproduces the documented example with its checksum si9804', () => {
    const query = eventQuery(values({ 5: 'f' }));
    expect(query).toBe(
      'p=0%3Ai1t84hgy%3A5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG&s=0%3Ai1t84hgy%3A95CbiPCYln_1e0a6rFvuRkDkeNnc6KC8&v=0%3A1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF&e=0%3A1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF0&c=i1t8q2b6&n=f&f=f&l=http%3A%2F%2Flocalhost%3A8290%2F&i=1ak&j=sj&k=2&w=uq&h=qd&t=pageView&x=si9804',
    );
  });

  it('leaves out empty values and reads back on the server as sent, never corrupt', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withFragments: true, withQueryParameters: true }),
        fc.option(fc.string({ unit: 'grapheme' }), { nil: undefined }),
        fc.string({ minLength: 1, unit: 'grapheme' }),
        fc.jsonValue(),
        (location, referrer, type, parameters) => {
          const u = encodeMincode(parameters);
          const query = eventQuery(values({ 7: location, 8: referrer, 14: type, 15: u }));
          const parsed = parseBrowserEvent(parseEventQuery(query), facts);
          expect(verifyChecksum(parseEventQuery(query))).toBe(true);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          expect(parsed.event).toMatchObject({
            location,
            referrer: referrer || null,
            eventType: type,
            corrupt: false,
            newParty: true,
            firstInSession: false,
            devicePixelRatio: 2,
          });
          expect(JSON.stringify(parsed.event.parameters)).toBe(
            u === '' ? undefined : JSON.stringify(parameters),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('readCookie', () => {
  it('finds a cookie by its exact name anywhere in document.cookie', () => {
    const jar = 'a=1; _dvp=0:x:y; x_dvp=bad;_dvs=0:s:t';
    expect(readCookie(jar, '_dvp')).toBe('0:x:y');
    expect(readCookie(jar, '_dvs')).toBe('0:s:t');
    expect(readCookie(jar, 'dvp')).toBeUndefined();
    expect(readCookie('', '_dvp')).toBeUndefined();
  });
});

describe('the tracker query string with broken UTF-16', () => {
  it('sends a lone surrogate as U+FFFD under a checksum the server accepts', () => {
    const cut = '\ud83d\ude00\ud83d'; // an emoji and half of another
    const query = eventQuery(values({ 14: cut, 15: encodeMincode({ title: cut }) }));
    const parsed = parseBrowserEvent(parseEventQuery(query), facts);
    expect(parsed.ok && parsed.event).toMatchObject({
      eventType: '\ud83d\ude00\ufffd',
      parameters: { title: '\ud83d\ude00\ufffd' },
      corrupt: false,
    });
  });
});
