// The browser tracker: divolte.js's public API and wire protocol. What it adds over divolte.js is
// explained where it happens: delivery that survives unload (queue.ts), single-page navigation,
// opt-out and privacy signals, SameSite/Secure cookies.
//
// The code favours what minifies small (closures, locals, positional data) because the default
// build must stay within 2,500 bytes gzipped; see test/unit/tracker/size.test.ts.
import { isValidPageViewId, webCryptoUniquePart } from '../protocol/identifiers.js';
import { mincodeOf } from '../protocol/mincode.js';
import type { TrackerSettings } from '../protocol/tracker-settings.js';
import { readCookie } from './cookies.js';
import { eventQuery } from './query.js';
import { createQueue } from './queue.js';

// Replaced by the server with each browser source's settings; see tracker-settings.ts.
declare const __FOOTFALL_TRACKER_SETTINGS__: TrackerSettings;
// Build-time switches (scripts/build-tracker.mjs): a feature a source does not use costs its
// visitors no bytes.
declare const __FOOTFALL_SPA__: boolean;
declare const __FOOTFALL_PRIVACY__: boolean;

/** Events kept while the collector cannot be reached: some 30 KB, half of what a beacon may carry. */
const QUEUE_LIMIT = 32;
const EVENT_TIMEOUT = 10_000;
/** A party or session id as trackers and Divolte's apps make them; any other cookie is replaced. */
const IDENTIFIER = /^0:[0-9a-z]{1,12}:[\w~!-]{1,128}$/;

export interface Divolte {
  partyId: string;
  sessionId: string;
  pageViewId: string | null;
  isNewPartyId: boolean;
  isFirstInSession: boolean;
  isServerPageView: boolean;
  signal(type: string, parameters?: unknown): string | null;
  whenCommitted(callback: () => void, timeoutMs?: number): void;
  optOut(): void;
  optIn(): void;
}

interface Host extends Window {
  divolte?: unknown;
  define?: { (factory: () => unknown): void; amd?: unknown };
  module?: { exports?: unknown };
  doNotTrack?: string;
}

((w: Host) => {
  // Loaded twice: the first copy keeps its state and the second stays out of the way, as in divolte.js.
  if (typeof w.divolte == 'object') return;
  const [
    partyCookie,
    sessionCookie,
    partyTimeout,
    sessionTimeout,
    cookieAttributes,
    secureOnHttps,
    eventSuffix,
    autoPageView,
    spaPageViews,
  ] = __FOOTFALL_TRACKER_SETTINGS__;
  const doc = document;
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const loc = location;
  const now = Date.now;
  const listen = (target: EventTarget, type: string, listener: (event: Event) => void): void =>
    target.addEventListener(type, listener);

  // The script's own URL gives the collector's address and, in its fragment, a page view id the
  // server may have chosen. Every browser this build targets sets currentScript for a classic script.
  const [address, fragment] = (doc.currentScript as HTMLScriptElement).src.split('#') as [string, string?];
  const eventUrl = address.replace(/[^/?]*(\?.*)?$/, eventSuffix);

  // What f returns, or undefined where it throws: sandboxed frames throw on any cookie access,
  // disabled storage on any sessionStorage access, sendBeacon on a URL it refuses.
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  const cookie = (name: string): string | undefined => readCookie(attempt(() => doc.cookie) || '', name);
  const setCookie = (name: string, value: string, maxAge: number): unknown =>
    attempt(
      () =>
        (doc.cookie =
          name +
          '=' +
          value +
          '; max-age=' +
          maxAge +
          cookieAttributes +
          (secureOnHttps && loc.protocol == 'https:' ? '; secure' : '')),
    );
  const identifier = (name: string): string | undefined => {
    const value = cookie(name);
    // A cookie that is not an identifier (edited by hand, or another tool's) would make the server
    // refuse every event: start afresh instead.
    return value && IDENTIFIER.test(value) ? value : undefined;
  };

  const optOutCookie = partyCookie + '_optout';
  let optedOut = cookie(optOutCookie) == '1';
  const tracking = (): boolean =>
    !optedOut &&
    !(__FOOTFALL_PRIVACY__ && (nav.globalPrivacyControl || nav.doNotTrack == '1' || w.doNotTrack == '1'));

  // Waiting events, one query string a line (they hold no raw line breaks), per tab and collector.
  const storageKey = 'footfall:' + eventUrl;
  // Without storage the queue still works, it just does not outlive the page.
  const stored = (tracking() && attempt(() => sessionStorage.getItem(storageKey))) || '';

  let viaImage = false;
  const [push, whenCommitted, hidden, clear] = createQueue(
    (query, done) => {
      const url = eventUrl + '?' + query;
      if (viaImage) {
        const image = new Image();
        image.onload = () => done(true);
        image.onerror = () => done((viaImage = false));
        image.src = url;
      } else {
        // keepalive lets a request finish when the page goes away mid-flight. Where the page's
        // Content-Security-Policy allows the collector as an image source but not in connect-src,
        // fetch fails; the retry then goes as an image, as divolte.js always sent.
        fetch(url, { keepalive: true, mode: 'no-cors', credentials: 'include' }).then(
          () => done(true),
          () => done(!(viaImage = true)),
        );
      }
    },
    // sendBeacon can only POST: the collector takes one query string per line of the body.
    (queries) => attempt(() => nav.sendBeacon(eventUrl, queries.join('\n'))),
    stored.split('\n').filter(Boolean),
    (queries) => attempt(() => sessionStorage.setItem(storageKey, queries.join('\n'))),
    QUEUE_LIMIT,
    EVENT_TIMEOUT,
  );

  const party = identifier(partyCookie);
  const session = identifier(sessionCookie);
  const serverPageViewId = isValidPageViewId(fragment!) ? fragment! : null;
  // n and f are true on the first event of a new party or session only, as in divolte.js.
  let newParty = !party;
  let firstInSession = !session;
  let started = false;
  let counter = 0;
  let referrer = doc.referrer;

  // The id formats are spelled out here rather than imported (formatIdentifier, formatPageViewId,
  // generateEventId, encodeBool, encodeBase36Float, PAGE_VIEW_EVENT_TYPE): each import costs the
  // bundle a function. test/unit/tracker/sandbox.test.ts holds them to the protocol's.

  // Sizes, and the pixel ratio as parseBase36Float reads it (1.5 is 1.i); a zero (unknown) is left
  // out, and so is NaN.
  const base36 = (n: number): string | 0 => n && n.toString(36);
  /** A party or session id, `0:<time>:<unique>`. */
  const newIdentifier = (): string => '0:' + base36(now()) + ':' + webCryptoUniquePart();

  /** Starts a page view; a single-page navigation passes the URL the app came from as referrer. */
  const startPageView = (spaReferrer?: string): void => {
    started = true;
    if (__FOOTFALL_SPA__ && spaReferrer !== undefined) {
      referrer = spaReferrer;
      divolte.isServerPageView = false;
    }
    // A restore from the back/forward cache keeps a server-supplied id, as divolte.js does; the
    // counter then carries on so that event ids stay unique.
    if (!divolte.isServerPageView) {
      divolte.pageViewId = '0:' + webCryptoUniquePart();
      counter = 0;
    }
    if (autoPageView) divolte.signal('pageView');
  };

  // The API object doubles as the tracker's state: ids and flags are read and updated on it, which
  // keeps divolte.pageViewId current as divolte.js did.
  const divolte: Divolte = {
    partyId: party || newIdentifier(),
    sessionId: session || newIdentifier(),
    pageViewId: serverPageViewId,
    isNewPartyId: newParty,
    isFirstInSession: firstInSession,
    isServerPageView: !!serverPageViewId,
    signal(type, parameters) {
      if (!started) startPageView();
      if (!type || !tracking()) return null;
      // Throws for functions, symbols, bigints and cycles: better than sending half the parameters.
      // '' for undefined, which leaves u out.
      const encoded = mincodeOf(parameters);
      const eventId = divolte.pageViewId + (counter++).toString(16);
      const root = doc.documentElement;
      push(
        eventQuery([
          divolte.partyId,
          divolte.sessionId,
          divolte.pageViewId!,
          eventId,
          base36(now()),
          newParty ? 't' : 'f',
          firstInSession ? 't' : 'f',
          loc.href,
          referrer,
          base36(screen.availWidth),
          base36(screen.availHeight),
          base36(w.devicePixelRatio),
          base36(w.innerWidth || root.clientWidth),
          base36(w.innerHeight || root.clientHeight),
          '' + type,
          encoded,
        ]),
      );
      newParty = firstInSession = false;
      setCookie(sessionCookie, divolte.sessionId, sessionTimeout);
      setCookie(partyCookie, divolte.partyId, partyTimeout);
      return eventId;
    },
    whenCommitted(callback, timeoutMs) {
      let called = false;
      const once = (): void => {
        if (!called) {
          called = true;
          callback();
        }
      };
      if (timeoutMs! >= 0) setTimeout(once, timeoutMs);
      whenCommitted(once);
    },
    optOut() {
      optedOut = true;
      setCookie(optOutCookie, '1', partyTimeout);
      setCookie(partyCookie, '', 0);
      setCookie(sessionCookie, '', 0);
      clear();
    },
    optIn() {
      optedOut = false;
      setCookie(optOutCookie, '', 0);
    },
  };

  w.divolte = divolte;
  if (typeof w.define == 'function' && w.define.amd) w.define(() => divolte);
  else if (w.module && w.module.exports) w.module.exports = divolte;

  // The first page view waits until the page is shown: a background tab that is never looked at was
  // never viewed, and a prerendered page stays hidden until it is activated.
  listen(doc, 'visibilitychange', () => {
    const isHidden = doc.hidden;
    hidden(isHidden);
    if (!isHidden && !started) startPageView();
  });
  // pagehide, never unload: an unload listener keeps a page out of the back/forward cache.
  listen(w, 'pagehide', () => hidden(true));
  listen(w, 'pageshow', (event) => {
    if ((event as PageTransitionEvent).persisted) {
      hidden(false);
      startPageView();
    }
  });
  if (!doc.hidden) startPageView();

  if (__FOOTFALL_SPA__) {
    // A history change is a page view once the URL differs from the current page view's:
    // replaceState to the same URL (routers do it to store state) is not. The last URL seen
    // becomes the next page view's referrer, as a full page load would have it.
    const urlKey = (): string => (spaPageViews > 1 ? loc.href : loc.href.split('#')[0]!);
    let viewLocation = loc.href;
    let viewKey = urlKey();
    const navigated = (): void => {
      if (started && urlKey() != viewKey) startPageView(viewLocation);
      viewLocation = loc.href;
      viewKey = urlKey();
    };
    const history = w.history;
    for (const name of ['pushState', 'replaceState'] as const) {
      const original = history[name];
      history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        original.apply(this, args);
        navigated();
      };
    }
    listen(w, 'popstate', navigated);
  }
})(window);
