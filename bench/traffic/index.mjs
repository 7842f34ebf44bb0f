// Realistic traffic for the benchmarks: visitors of a web shop, generated from a seed so every run
// sends the very same requests. The warm workload (workload.mjs) repeats 2,000 events of one user
// agent and 50 pages, which keeps every cache of the collector hot; real traffic does not. Here:
//
// - 62 real user agents (agents.mjs): phones, desktops, tablets, in-app browsers, and robots for
//   BOT_SHARE of the events, each request with the headers its client sends;
// - about 20,000 pages with Zipf popularity (site.mjs), landings with referrers, campaign tags and ad
//   click ids, so well over 10,000 distinct page URLs;
// - visitors new and returning (party ids kept across sessions), sessions of several page views in
//   parallel, interleaved as they arrive, each page view with its custom events (`t` and `u`);
// - every event distinct: fresh page view and event ids, checksummed as the tracker does.
//
// The protocol functions come from the caller (the benchmarks pass the build in dist/, the unit test
// the sources), so this module runs in both without a build step.
import { APP_CLIENTS, BOTS, BROWSERS, LANGUAGES, pixelHeaders, SCREENS } from './agents.mjs';
import { catalogue, CHECKOUT, customEvents, landing, ORIGIN } from './site.mjs';

/** Share of the events that come from robots, crawlers and HTTP libraries. */
export const BOT_SHARE = 0.1;

export const TRAFFIC_DEFAULTS = Object.freeze({
  seed: 21,
  events: 100_000,
  // A fixed start keeps the ids' timestamps, and so the bytes, equal from run to run.
  start: Date.UTC(2026, 0, 12, 7, 0, 0),
  // Visitors browsing at the same time: how far apart one session's events end up in the stream.
  concurrency: 400,
  // Visitors seen before the stream starts, whose party ids returning sessions reuse.
  knownParties: 6000,
  // Popularity of page rank r is proportional to r^-zipf.
  zipf: 0.9,
});

/** divolte.js's parameter order (x, the checksum, comes last). */
const PARAMETER_ORDER = 'psvecnflrijkwhtu';
const EVENT_ID = 3;
/** The characters of the random part of Divolte identifiers. */
const UNIQUE_CODES = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~_', (c) =>
  c.charCodeAt(0),
);

/**
 * A seeded generator of numbers in [0, 1): xorshift32 with a Weyl sequence added to the output, which
 * hides xorshift's weak low bits. Not for cryptography; plenty for picking pages and user agents.
 */
export function seededRandom(seed) {
  let x = seed | 0 || 0x2545f491;
  let weyl = 0;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    weyl = (weyl + 0x9e3779b9) | 0;
    return ((x + weyl) >>> 0) / 4294967296;
  };
  const totals = new WeakMap();
  const weightOf = (item) => (Array.isArray(item) ? item[0] : item.weight);
  return {
    next,
    pick: (list) => list[Math.floor(next() * list.length)],
    /** An item of a list of `{ weight }` objects or `[weight, ...]` arrays, in proportion to its weight. */
    weighted(list) {
      let total = totals.get(list);
      if (total === undefined)
        totals.set(list, (total = list.reduce((sum, item) => sum + weightOf(item), 0)));
      let roll = next() * total;
      for (const item of list) if ((roll -= weightOf(item)) < 0) return item;
      return list[list.length - 1];
    },
    shuffle(list) {
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [list[i], list[j]] = [list[j], list[i]];
      }
      return list;
    },
  };
}

/** Index 0..n-1 drawn with probability proportional to (index + 1)^-s. */
function zipfSampler(rng, n, s) {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cumulative[k] = sum += (k + 1) ** -s;
  return () => {
    const target = rng.next() * sum;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

/**
 * The visitors' events in arrival order, each `{ bot, agent, party, session, pageView, eventId,
 * time, newParty, firstInSession, url, referrer, screen, type, parameters, headers, language }`.
 * Shared by the pixel and the JSON workloads: the JSON source gets the same visits as an app would
 * post them.
 */
export function visits(options = {}) {
  const { seed, events, start, concurrency, knownParties, zipf } = { ...TRAFFIC_DEFAULTS, ...options };
  const app = options.app === true;
  const rng = seededRandom(seed);
  const pages = catalogue(rng);
  const popular = zipfSampler(rng, pages.length, zipf);
  // Flat strings from character codes: 32 concatenations would keep a rope of 32 nodes per id.
  const codes = new Array(32);
  const unique = () => {
    for (let i = 0; i < 32; i++) codes[i] = UNIQUE_CODES[Math.floor(rng.next() * 64)];
    return String.fromCharCode(...codes);
  };
  const identifier = (time) => `0:${time.toString(36)}:${unique()}`;
  let clock = start;
  let orders = 0;

  const newParty = (created) => {
    const agent = app ? rng.weighted(APP_CLIENTS) : rng.weighted(BROWSERS);
    const device = agent.device ?? 'phone';
    return {
      id: identifier(created),
      agent,
      screen: rng.weighted(SCREENS[device]),
      language: rng.weighted(LANGUAGES).value,
      // Client clocks run a little fast or slow.
      skew: Math.round((rng.next() - 0.5) * 20_000),
    };
  };
  const parties = [];
  for (let i = 0; i < knownParties; i++)
    parties.push(newParty(start - Math.floor(rng.next() * 90 * 86_400_000)));

  // Most visits are short: 1 page view in 35%, a mean of about 4.
  const sessionLength = () => {
    let views = 1;
    while (views < 30 && rng.next() < (views === 1 ? 0.65 : 0.72)) views++;
    return views;
  };

  const startSession = () => {
    const returning = rng.next() < 0.45;
    const party = returning ? rng.pick(parties) : newParty(clock);
    if (!returning) parties.push(party);
    const entry = pages[popular()];
    const from = landing(rng, entry, returning);
    return {
      party,
      id: identifier(clock),
      newParty: !returning,
      views: sessionLength(),
      viewed: 0,
      page: { ...entry, url: from.url },
      referrer: from.referrer,
      checkout: -1,
      queue: [],
      headers: app ? undefined : pixelHeaders(party.agent, party.language, ORIGIN),
    };
  };

  // The page after `session.page`: on through the checkout once in the cart, to the cart after an
  // addToCart now and then, otherwise anywhere by popularity.
  const nextPage = (session, addedToCart) => {
    if (session.checkout >= 0 && session.checkout < CHECKOUT.length - 1 && rng.next() < 0.7) {
      session.checkout++;
      const step = CHECKOUT[session.checkout];
      return step.kind === 'confirmation'
        ? { ...step, url: `${step.url}?order=NL-${(4_100_000 + ++orders).toString()}` }
        : step;
    }
    session.checkout = -1;
    if (addedToCart && rng.next() < 0.4) {
      session.checkout = 0;
      return CHECKOUT[0];
    }
    return pages[popular()];
  };

  const queuePageView = (session) => {
    const first = session.viewed === 0;
    const pageView = `0:${unique()}`;
    const base = {
      bot: false,
      agent: session.party.agent,
      party: session.party.id,
      session: session.id,
      pageView,
      // The tracker learns both flags when the page loads, so all events of a page view carry them.
      newParty: first && session.newParty,
      firstInSession: first,
      url: session.page.url,
      referrer: session.referrer,
      screen: session.party.screen,
      skew: session.party.skew,
      headers: session.headers,
    };
    const order = session.page.kind === 'confirmation' ? session.page.url.slice(-10) : undefined;
    const custom = customEvents(rng, session.page, order);
    session.queue.push({ ...base, eventId: `${pageView}0`, type: 'pageView', parameters: undefined });
    custom.forEach(([type, parameters], i) =>
      session.queue.push({ ...base, eventId: `${pageView}${(i + 1).toString(16)}`, type, parameters }),
    );
    session.viewed++;
    // The next page view comes from this page (same origin: the full URL).
    const addedToCart = custom.some(([type]) => type === 'addToCart');
    session.referrer = session.page.url;
    session.page = nextPage(session, addedToCart);
  };

  const botEvent = () => {
    const agent = rng.weighted(BOTS);
    const time = clock;
    const pageView = `0:${unique()}`;
    // Crawlers walk the whole site, not its popular head; no cookies, so every hit is a new visitor.
    return {
      bot: true,
      agent,
      party: identifier(time),
      session: identifier(time),
      pageView,
      eventId: `${pageView}0`,
      newParty: true,
      firstInSession: true,
      url: rng.pick(pages).url,
      referrer: undefined,
      screen: rng.weighted(SCREENS[agent.device]),
      skew: 0,
      headers: pixelHeaders(agent, 'en-US,en;q=0.9', ORIGIN),
      type: 'pageView',
      parameters: undefined,
    };
  };

  const active = Array.from({ length: concurrency }, startSession);
  const out = [];
  while (out.length < events) {
    // 25 ms apart on average: 40 events a second.
    clock += Math.round(-Math.log(1 - rng.next()) * 25);
    if (!app && rng.next() < BOT_SHARE) {
      out.push({ ...botEvent(), time: clock });
      continue;
    }
    const slot = Math.floor(rng.next() * concurrency);
    let session = active[slot];
    if (session.queue.length === 0) {
      if (session.viewed >= session.views) session = active[slot] = startSession();
      queuePageView(session);
    }
    out.push({ ...session.queue.shift(), time: clock + session.party.skew });
  }
  return out;
}

/** The screen values as the tracker sends them: sizes and the pixel ratio base 36. */
const screenValues = ({ screen, viewport, ratio }) => [
  screen[0].toString(36),
  screen[1].toString(36),
  ratio.toString(36),
  viewport[0].toString(36),
  viewport[1].toString(36),
];

/** The `csc-event` path of one event's values (PARAMETER_ORDER, undefined where absent), checksummed. */
function pixelPath(values, computeChecksum) {
  const pairs = [];
  const parts = [];
  for (let i = 0; i < PARAMETER_ORDER.length; i++) {
    const value = values[i];
    if (value === undefined) continue;
    pairs.push([PARAMETER_ORDER[i], value]);
    parts.push(`${PARAMETER_ORDER[i]}=${encodeURIComponent(value)}`);
  }
  parts.push(`x=${computeChecksum(pairs)}`);
  // join() gives one flat string; `+=` would keep a rope per request in memory.
  return `/csc-event?${parts.join('&')}`;
}

/**
 * The realistic pixel workload: `{ events, request(i) }`, where request(i) is the i-th request of an
 * endless stream. The first pass over the events is built here; later passes renumber each event id
 * (`<id>.<pass>`, checksum recomputed), so no request ever repeats an event.
 *
 * @param {{ computeChecksum: Function, encodeMincode: Function }} protocol
 */
export function pixelTraffic(protocol, options = {}) {
  const events = visits(options).map((event) => {
    const values = [
      event.party,
      event.session,
      event.pageView,
      event.eventId,
      event.time.toString(36),
      event.newParty ? 't' : 'f',
      event.firstInSession ? 't' : 'f',
      event.url,
      event.referrer,
      ...screenValues(event.screen),
      event.type,
      event.parameters === undefined ? undefined : protocol.encodeMincode(event.parameters),
    ];
    return { ...event, values, path: pixelPath(values, protocol.computeChecksum) };
  });
  const request = (i) => {
    const event = events[i % events.length];
    const pass = Math.floor(i / events.length);
    if (pass === 0) return { method: 'GET', path: event.path, headers: event.headers };
    const values = event.values.slice();
    values[EVENT_ID] = `${values[EVENT_ID]}.${pass}`;
    return { method: 'GET', path: pixelPath(values, protocol.computeChecksum), headers: event.headers };
  };
  return { events, request };
}

/**
 * The same visits through the JSON source, as an app posts them (one event per POST, the app's HTTP
 * client as user agent): page views become `screenView`, custom events keep their type and
 * parameters. Later passes renumber event ids as the pixel workload does.
 */
export function jsonTraffic(options = {}) {
  const events = visits({ ...options, app: true }).map((event) => {
    const body = {
      session_id: event.session,
      event_id: event.eventId,
      is_new_party: event.newParty,
      is_new_session: event.firstInSession,
      client_timestamp_iso: new Date(event.time).toISOString(),
      event_type: event.type === 'pageView' ? 'screenView' : event.type,
      parameters: event.type === 'pageView' ? { screen: new URL(event.url).pathname } : event.parameters,
    };
    const headers = {
      'content-type': 'application/json',
      'user-agent': event.agent.ua,
      'accept-encoding': 'gzip',
    };
    return {
      ...event,
      body,
      path: `/json?p=${encodeURIComponent(event.party)}`,
      json: JSON.stringify(body),
      headers,
    };
  });
  const request = (i) => {
    const event = events[i % events.length];
    const pass = Math.floor(i / events.length);
    const body =
      pass === 0 ? event.json : JSON.stringify({ ...event.body, event_id: `${event.body.event_id}.${pass}` });
    return { method: 'POST', path: event.path, headers: event.headers, body };
  };
  return { events, request };
}
