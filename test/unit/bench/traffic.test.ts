/**
 * The benchmarks' realistic workload (bench/traffic/) is only worth its name if it has the mix it
 * promises: many user agents with a tenth robots, a long tail of pages, returning visitors, sessions
 * of several page views, custom events; and every request must be one the collector accepts, or the
 * benchmark would measure the error path. Generated from the sources' protocol functions, as the
 * benchmarks do from the build.
 */
import { isbot } from 'isbot';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  computeChecksum,
  decodeMincode,
  encodeMincode,
  isValidEventId,
  isValidPageViewId,
  parseEventQuery,
  parsePartyId,
  parseSessionId,
  verifyChecksum,
} from '../../../src/protocol/index.js';
// @ts-expect-error -- a plain ESM module without type declarations
import * as traffic from '../../../bench/traffic/index.mjs';

interface TrafficEvent {
  bot: boolean;
  agent: { ua: string };
  party: string;
  session: string;
  pageView: string;
  eventId: string;
  newParty: boolean;
  firstInSession: boolean;
  url: string;
  referrer: string | undefined;
  type: string;
  parameters: unknown;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}
interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface Workload {
  events: TrafficEvent[];
  request: (i: number) => Request;
}
const { pixelTraffic, jsonTraffic, BOT_SHARE } = traffic as {
  pixelTraffic: (protocol: object, options?: object) => Workload;
  jsonTraffic: (options?: object) => Workload;
  BOT_SHARE: number;
};

const protocol = { computeChecksum, encodeMincode };
/** Every 97th event: about a thousand, spread over the whole stream. */
const sample = <T>(list: T[]): T[] => list.filter((_, i) => i % 97 === 0);
const distinct = <T>(list: T[], key: (item: T) => unknown): number => new Set(list.map(key)).size;

describe('the realistic pixel workload', () => {
  let pixel: Workload;
  beforeAll(() => {
    pixel = pixelTraffic(protocol);
  });

  it('has 100,000 distinct events', () => {
    expect(pixel.events).toHaveLength(100_000);
    expect(distinct(pixel.events, (e) => `${e.party} ${e.session} ${e.eventId}`)).toBe(100_000);
  });

  it('sends at least 50 real user agents, a tenth of the events from robots that isbot knows', () => {
    const { events } = pixel;
    expect(distinct(events, (e) => e.agent.ua)).toBeGreaterThanOrEqual(50);
    const bots = events.filter((e) => e.bot);
    expect(bots.length / events.length).toBeGreaterThan(BOT_SHARE - 0.01);
    expect(bots.length / events.length).toBeLessThan(BOT_SHARE + 0.01);
    // The robots are robots to the collector's bot check, and the browsers, in-app ones included, are not.
    for (const ua of new Set(bots.map((e) => e.agent.ua))) expect(isbot(ua), ua).toBe(true);
    for (const ua of new Set(events.filter((e) => !e.bot).map((e) => e.agent.ua)))
      expect(isbot(ua), ua).toBe(false);
    // Each request carries its own client's user agent.
    for (const event of sample(events)) expect(event.headers['user-agent']).toBe(event.agent.ua);
  });

  it('spreads over at least 10,000 page URLs with a popular head and a long tail', () => {
    const { events } = pixel;
    const views = events.filter((e) => e.type === 'pageView' && !e.bot);
    const counts = new Map<string, number>();
    for (const e of views) counts.set(e.url, (counts.get(e.url) ?? 0) + 1);
    expect(distinct(events, (e) => e.url)).toBeGreaterThanOrEqual(10_000);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    // Zipf-like: the top page far above the median one, and most pages seen once or twice.
    expect(sorted[0]!).toBeGreaterThan(50 * sorted[Math.floor(sorted.length / 2)]!);
    expect(sorted.filter((n) => n <= 2).length).toBeGreaterThan(sorted.length / 2);
    // Real paths and query strings: products, categories with filters, searches, articles.
    for (const pattern of [
      /\/p\/[a-z-]+-\d{6}$/,
      /\/c\/[a-z-]+\/[a-z-]+\?/,
      /\/search\?q=\w+/,
      /\/journal\/\d{4}\//,
    ])
      expect(
        views.some((e) => pattern.test(e.url)),
        String(pattern),
      ).toBe(true);
  });

  it('has referrers from search, social, direct and internal navigation, and campaign tags on landings', () => {
    const { events } = pixel;
    const landings = events.filter((e) => e.firstInSession && !e.bot && e.type === 'pageView');
    const share = (test: (e: TrafficEvent) => boolean): number =>
      landings.filter(test).length / landings.length;
    expect(share((e) => e.referrer === undefined)).toBeGreaterThan(0.15);
    expect(share((e) => /google|bing|duckduckgo|ecosia/.test(e.referrer ?? ''))).toBeGreaterThan(0.2);
    expect(
      share((e) => /facebook|instagram|t\.co|linkedin|pinterest/.test(e.referrer ?? '')),
    ).toBeGreaterThan(0.05);
    expect(share((e) => e.url.includes('utm_source='))).toBeGreaterThan(0.1);
    expect(share((e) => e.url.includes('gclid='))).toBeGreaterThan(0.03);
    // Later page views of a session come from the page before: the full URL of the same site.
    const later = events.filter((e) => !e.firstInSession && e.type === 'pageView');
    expect(later.every((e) => e.referrer?.startsWith('https://www.shop.example/'))).toBe(true);
  });

  it('has new and returning visitors, and sessions of several page views', () => {
    const { events } = pixel;
    const humans = events.filter((e) => !e.bot);
    const sessionsOf = new Map<string, Set<string>>();
    const viewsOf = new Map<string, Set<string>>();
    for (const e of humans) {
      sessionsOf.set(e.party, (sessionsOf.get(e.party) ?? new Set()).add(e.session));
      viewsOf.set(e.session, (viewsOf.get(e.session) ?? new Set()).add(e.pageView));
    }
    const parties = [...sessionsOf.values()];
    expect(parties.filter((s) => s.size > 1).length).toBeGreaterThan(parties.length * 0.05);
    const sessions = [...viewsOf.values()];
    expect(sessions.filter((v) => v.size >= 3).length).toBeGreaterThan(sessions.length * 0.3);
    const newParties = humans.filter((e) => e.newParty && e.type === 'pageView').length;
    const landings = humans.filter((e) => e.firstInSession && e.type === 'pageView').length;
    expect(newParties / landings).toBeGreaterThan(0.3);
    expect(newParties / landings).toBeLessThan(0.8);
  });

  it('has custom events with parameters beside the page views', () => {
    const custom = pixel.events.filter((e) => e.type !== 'pageView');
    expect(custom.length / pixel.events.length).toBeGreaterThan(0.2);
    expect(distinct(custom, (e) => e.type)).toBeGreaterThanOrEqual(8);
    expect(custom.every((e) => typeof e.parameters === 'object' && e.parameters !== null)).toBe(true);
  });

  it('builds requests the protocol parser accepts: valid ids, checksums and parameters', () => {
    const { events, request } = pixel;
    // The first pass and a later one, which renumbers the event ids.
    for (const i of [
      ...sample(events.map((_, i) => i)),
      ...sample(events.map((_, i) => i + 2 * events.length)),
    ]) {
      const { method, path, headers } = request(i);
      const event = events[i % events.length]!;
      expect(method).toBe('GET');
      expect(headers).toBe(event.headers);
      expect(path.startsWith('/csc-event?')).toBe(true);
      const query = parseEventQuery(path.slice('/csc-event?'.length));
      expect(verifyChecksum(query), path).toBe(true);
      expect(parsePartyId(query.first('p')!)?.value).toBe(event.party);
      expect(parseSessionId(query.first('s')!)?.value).toBe(event.session);
      expect(isValidPageViewId(query.first('v')!)).toBe(true);
      expect(isValidEventId(query.first('e')!)).toBe(true);
      expect(query.first('e')).toBe(i < events.length ? event.eventId : `${event.eventId}.2`);
      expect(query.first('l')).toBe(event.url);
      expect(query.first('r')).toBe(event.referrer);
      expect(query.first('t')).toBe(event.type);
      const u = query.first('u');
      if (event.parameters === undefined) expect(u).toBeUndefined();
      else expect(decodeMincode(u!)).toEqual(event.parameters);
    }
  });

  it('is the same for the same seed and different for another', () => {
    const again = pixelTraffic(protocol, { events: 2000 });
    expect(sample(again.events.map((_, i) => again.request(i).path))).toEqual(
      sample(pixel.events.slice(0, 2000).map((_, i) => pixel.request(i).path)),
    );
    const other = pixelTraffic(protocol, { events: 2000, seed: 7 });
    expect(other.request(0).path).not.toBe(pixel.request(0).path);
  }, 60_000);
});

describe('the realistic JSON workload', () => {
  it('posts the visits as an app does: valid bodies, distinct event ids, app user agents', () => {
    const json = jsonTraffic({ events: 10_000 });
    expect(distinct(json.events, (e) => `${e.party} ${e.eventId}`)).toBe(10_000);
    for (const i of [...sample(json.events.map((_, i) => i)), json.events.length + 5]) {
      const { method, path, headers, body } = json.request(i);
      expect(method).toBe('POST');
      expect(headers['content-type']).toBe('application/json');
      expect(headers['user-agent']).toBe(json.events[i % json.events.length]!.agent.ua);
      const party = new URLSearchParams(path.slice(path.indexOf('?'))).get('p')!;
      expect(parsePartyId(party)).not.toBeNull();
      const parsed = JSON.parse(body!) as Record<string, unknown>;
      expect(parseSessionId(parsed.session_id as string)).not.toBeNull();
      expect(isValidEventId(parsed.event_id as string)).toBe(true);
      expect(typeof parsed.is_new_party).toBe('boolean');
      expect(Number.isNaN(Date.parse(parsed.client_timestamp_iso as string))).toBe(false);
      expect(typeof parsed.event_type).toBe('string');
    }
    expect(JSON.parse(json.request(json.events.length + 5).body!).event_id).toBe(
      `${json.events[5]!.eventId}.1`,
    );
    expect(distinct(json.events, (e) => e.type)).toBeGreaterThanOrEqual(8);
    expect(distinct(json.events, (e) => e.agent.ua)).toBeGreaterThanOrEqual(5);
    // Generating takes a few seconds, many more on a crowded machine.
  }, 60_000);
});
