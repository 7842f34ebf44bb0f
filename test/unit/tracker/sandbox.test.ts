// The built default tracker, run in a stand-in browser (node:vm): what it puts on the wire is read by
// the server's own parser and held to the protocol's encoders, which the bundle spells out rather
// than imports where that is shorter (see src/tracker-js/index.ts).
import { runInContext, createContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  encodeBase36Float,
  encodeBool,
  formatIdentifier,
  formatPageViewId,
  generateEventId,
  isValidPageViewId,
  PAGE_VIEW_EVENT_TYPE,
  parseEventQuery,
  parsePartyId,
  parseSessionId,
  verifyChecksum,
} from '../../../src/protocol/index.js';
import { parseBrowserEvent } from '../../../src/server/sources/browser/browser-event.js';
import { buildTrackerScript } from '../../../src/server/sources/browser/tracker-script.js';
import type { Divolte } from '../../../src/tracker-js/index.js';
import { defaultBrowserSource } from '../../support/collector.js';

const PAGE = 'https://shop.example/cart?step=2#items';

interface Sandbox {
  readonly divolte: Divolte;
  /** Event query strings sent with fetch, in order. */
  readonly fetched: string[];
  /** Every `document.cookie = …` assignment. */
  readonly cookieWrites: string[];
}

/** Loads the default tracker into a visible page of PAGE, its script at `…/divolte.js<fragment>`. */
function load(fragment = ''): Sandbox {
  const fetched: string[] = [];
  const cookieWrites: string[] = [];
  const jar = new Map<string, string>();
  const noop = (): void => {};
  const storage = new Map<string, string>();
  const window: Record<string, unknown> = {
    document: {
      currentScript: { src: `https://collect.example/divolte.js${fragment}` },
      referrer: 'https://search.example/?q=shoes',
      hidden: false,
      documentElement: { clientWidth: 0, clientHeight: 0 },
      addEventListener: noop,
      get cookie() {
        return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      },
      set cookie(text: string) {
        cookieWrites.push(text);
        const [pair = ''] = text.split(';');
        const at = pair.indexOf('=');
        if (/max-age=0(;|$)/.test(text)) jar.delete(pair.slice(0, at));
        else jar.set(pair.slice(0, at), pair.slice(at + 1));
      },
    },
    navigator: { sendBeacon: () => true },
    location: { href: PAGE, protocol: 'https:' },
    screen: { availWidth: 1280, availHeight: 720 },
    devicePixelRatio: 1.5,
    innerWidth: 801,
    innerHeight: 599,
    addEventListener: noop,
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, value),
    },
    fetch: (url: string) => {
      fetched.push(url.slice(url.indexOf('?') + 1));
      return Promise.resolve();
    },
    crypto,
    btoa,
    TextEncoder,
    setTimeout,
    clearTimeout,
    queueMicrotask,
  };
  window.window = window;
  const script = buildTrackerScript(defaultBrowserSource()).bodies.identity.toString();
  runInContext(script, createContext(window));
  return { divolte: window.divolte as Divolte, fetched, cookieWrites };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function parsed(query: string) {
  expect(verifyChecksum(parseEventQuery(query))).toBe(true);
  const result = parseBrowserEvent(parseEventQuery(query), {
    sourceName: 'browser',
    receivedAt: 0,
    remoteHost: '127.0.0.1',
    userAgent: null,
    headers: {},
  });
  if (!result.ok) throw new Error(`the server refused ${query}`);
  return { event: result.event, values: parseEventQuery(query) };
}

describe('the built tracker in a stand-in browser', () => {
  it('sends a page view the server reads back as the protocol encoders write it', async () => {
    const before = Date.now();
    const { divolte, fetched, cookieWrites } = load();
    const { partyId, sessionId, pageViewId } = divolte;
    const party = parsePartyId(partyId)!;
    expect(party.timestamp).toBeGreaterThanOrEqual(before);
    expect(party.timestamp).toBeLessThanOrEqual(Date.now());
    expect(partyId).toBe(formatIdentifier(party.timestamp, party.unique));
    expect(party.unique).toMatch(/^[A-Za-z0-9~_]{32}$/);
    const session = parseSessionId(sessionId)!;
    expect(sessionId).toBe(formatIdentifier(session.timestamp, session.unique));
    expect(session.unique).not.toBe(party.unique);
    expect(pageViewId).toBe(formatPageViewId(pageViewId!.slice(2)));
    expect(pageViewId).toMatch(/^0:[A-Za-z0-9~_]{32}$/);
    expect(isValidPageViewId(pageViewId!)).toBe(true);
    expect(divolte).toMatchObject({ isNewPartyId: true, isFirstInSession: true, isServerPageView: false });

    expect(fetched).toHaveLength(1);
    const { event, values } = parsed(fetched[0]!);
    expect(values.all('e')).toEqual([generateEventId(pageViewId!, 0)]);
    expect(values.all('n')).toEqual([encodeBool(true)]);
    expect(values.all('k')).toEqual([encodeBase36Float(1.5)]);
    expect(values.all('t')).toEqual([PAGE_VIEW_EVENT_TYPE]);
    expect(values.has('u')).toBe(false);
    expect(event).toMatchObject({
      partyId,
      sessionId,
      pageViewId,
      eventId: generateEventId(pageViewId!, 0),
      newParty: true,
      firstInSession: true,
      location: PAGE,
      referrer: 'https://search.example/?q=shoes',
      screenWidth: 1280,
      screenHeight: 720,
      viewportWidth: 801,
      viewportHeight: 599,
      devicePixelRatio: 1.5,
      eventType: PAGE_VIEW_EVENT_TYPE,
      corrupt: false,
    });
    expect(cookieWrites).toEqual([
      `_dvs=${sessionId}; max-age=1800; path=/; samesite=Lax; secure`,
      `_dvp=${partyId}; max-age=63072000; path=/; samesite=Lax; secure`,
    ]);

    // The next event waits for the page view's answer, then goes with its own counter and flags.
    const eventId = divolte.signal('addToCart', { sku: 'A-42', price: 19.95, tags: ['new'] });
    expect(eventId).toBe(generateEventId(pageViewId!, 1));
    expect(fetched).toHaveLength(1);
    await settle();
    expect(fetched).toHaveLength(2);
    const second = parsed(fetched[1]!);
    expect(second.values.all('n')).toEqual([encodeBool(false)]);
    expect(second.event).toMatchObject({
      eventId,
      eventType: 'addToCart',
      newParty: false,
      firstInSession: false,
      parameters: { sku: 'A-42', price: 19.95, tags: ['new'] },
    });
  });

  it('takes the page view id from the script URL fragment', () => {
    const { divolte, fetched } = load('#server-chosen-42');
    expect(divolte).toMatchObject({ pageViewId: 'server-chosen-42', isServerPageView: true });
    expect(parsed(fetched[0]!).event.eventId).toBe(generateEventId('server-chosen-42', 0));
  });
});
