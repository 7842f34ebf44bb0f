/**
 * The tracker in a real Chromium against the compiled CLI: pages come from a second server on
 * 127.0.0.1 (another port, so the tracker runs cross-origin as on a real site), and the assertions
 * read the Avro files the collector publishes when it stops. Every test also checks that no record
 * came out corrupt or duplicate.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Divolte } from '../../src/tracker-js/index.js';
import { chromiumMissing, launchChromium, startTestSite, type TestSite } from '../support/chromium.js';
import { startCli, type CliProcess } from '../support/cli.js';
import { readPublished, tempDir } from '../support/collector.js';
import { waitFor } from '../support/wait.js';

type Row = Record<string, unknown>;
type WithDivolte = Window & { divolte: Divolte };

interface Run {
  readonly cli: CliProcess;
  readonly site: TestSite;
  readonly context: BrowserContext;
  readonly page: Page;
}

const missing = chromiumMissing();

/** Resolves in the page once every event signalled so far is delivered. */
const committed = (page: Page): Promise<void> =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => (window as unknown as WithDivolte).divolte.whenCommitted(resolve, 5000)),
  );

const ids = (page: Page) =>
  page.evaluate(() => {
    const d = (window as unknown as WithDivolte).divolte;
    return { partyId: d.partyId, sessionId: d.sessionId, pageViewId: d.pageViewId };
  });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the browser's cookie jar holds `name` with `value` (Chromium stores a response's cookies
 * a moment after handing the response to the page), giving up after 15 s with what the jar held.
 */
async function cookieInJar(context: BrowserContext, origin: string, name: string, value: unknown) {
  let held: unknown;
  await waitFor(
    async () => {
      held = (await context.cookies(origin)).find((c) => c.name === name)?.value;
      return held === value;
    },
    { timeout: 15_000, interval: 50, message: () => `cookie ${name}=${String(value)}, not ${String(held)}` },
  );
}

/** How many items must move for the list to be sorted: its length less its longest sorted run of items. */
function outOfPlace(order: readonly number[]): number {
  // Longest increasing subsequence, quadratic: the lists are short.
  const best = order.map(() => 1);
  for (let i = 0; i < order.length; i++) {
    for (let j = 0; j < i; j++) if (order[j]! < order[i]!) best[i] = Math.max(best[i]!, best[j]! + 1);
  }
  return order.length - Math.max(0, ...best);
}

describe.skipIf(missing !== undefined)('the tracker in Chromium against the running collector', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function session<T>(
    options: {
      source?: string;
      pages?: Record<string, string>;
      context?: BrowserContextOptions;
    },
    scenario: (run: Run) => Promise<T>,
  ): Promise<{ records: Row[]; result: T; output: string }> {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'footfall.yaml'),
      [
        'server: { shutdownDelay: 500ms }',
        'sources:',
        `  browser: { type: browser${options.source ?? ''} }`,
        'sinks:',
        '  files: { type: file }',
        '',
      ].join('\n'),
    );
    const cli = await startCli(['serve', '--config', 'footfall.yaml'], {}, dir);
    const site = await startTestSite(cli.address, options.pages);
    const context = await browser.newContext(options.context);
    let result: T;
    try {
      result = await scenario({ cli, site, context, page: await context.newPage() });
    } finally {
      await context.close();
      await site.close();
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    const records = await readPublished(path.join(dir, 'data', 'published'));
    for (const record of records) {
      expect(record, `${String(record.eventType)} ${String(record.eventId)}`).toMatchObject({
        detectedCorruption: false,
        detectedDuplicate: false,
      });
    }
    expect(new Set(records.map((r) => r.eventId)).size).toBe(records.length);
    return { records, result, output: cli.output() };
  }

  const pageViews = (records: Row[]) => records.filter((r) => r.eventType === 'pageView');

  it(
    'sends the page view with location, referrer, screen, viewport, pixel ratio and ids',
    { timeout: 60_000 },
    async () => {
      const { records, result } = await session(
        {
          context: {
            viewport: { width: 801, height: 599 },
            screen: { width: 1280, height: 720 },
            deviceScaleFactor: 1.5,
          },
        },
        async ({ site, page }) => {
          await page.goto(`${site.origin}/start`);
          const first = await ids(page);
          await committed(page);
          await Promise.all([page.waitForURL('**/other?x=1#part'), page.click('#other')]);
          await committed(page);
          const facts = await page.evaluate(() => ({
            availWidth: screen.availWidth,
            availHeight: screen.availHeight,
            innerWidth,
            innerHeight,
            devicePixelRatio,
          }));
          return { first, second: await ids(page), facts, origin: site.origin };
        },
      );
      const { first, second, facts, origin } = result;
      const views = pageViews(records);
      expect(views).toHaveLength(2);
      expect(views[0]).toMatchObject({
        ...first,
        eventId: `${first.pageViewId}0`,
        location: `${origin}/start`,
        referer: null,
        newParty: true,
        firstInSession: true,
      });
      expect(views[1]).toMatchObject({
        ...second,
        eventId: `${second.pageViewId}0`,
        location: `${origin}/other?x=1#part`,
        referer: `${origin}/start`,
        newParty: false,
        firstInSession: false,
        screenPixelWidth: facts.availWidth,
        screenPixelHeight: facts.availHeight,
        viewportPixelWidth: facts.innerWidth,
        viewportPixelHeight: facts.innerHeight,
        devicePixelRatio: 1.5,
      });
      expect(facts).toMatchObject({ innerWidth: 801, innerHeight: 599, devicePixelRatio: 1.5 });
      expect(second.partyId).toBe(first.partyId);
      expect(second.sessionId).toBe(first.sessionId);
      expect(first.partyId).toMatch(/^0:[0-9a-z]+:[A-Za-z0-9~_]{32}$/);
      expect(first.pageViewId).toMatch(/^0:[A-Za-z0-9~_]{32}$/);
    },
  );

  it(
    'delivers a custom event with nested parameters as exactly the JSON sent, then calls whenCommitted',
    { timeout: 60_000 },
    async () => {
      const { records, result } = await session({}, async ({ site, page }) => {
        await page.goto(`${site.origin}/shop`);
        return page.evaluate(
          () =>
            new Promise<{ json: string; eventId: string | null; order: string[] }>((resolve) => {
              const d = (window as unknown as WithDivolte).divolte;
              const parameters = {
                text: 'Grüße 👋 — "quoted" ~tilde~ and bang! <b>&amp;</b>',
                nested: {
                  list: [0, 1, -42, 2.5, -7.83e-9, 1e21, 2 ** 53 - 1, true, false, null, 'x!~y'],
                  empty: {},
                  emptyList: [],
                  deeper: { again: [{ a: [[]] }] },
                },
                when: new Date(Date.UTC(2026, 10, 26, 10, 0, 0, 123)),
                unicode: '日本語 ✓ \u2028',
                'key with !~ and spaces': 'value',
                missing: undefined,
              };
              const order: string[] = [];
              const eventId = d.signal('addToCart', parameters);
              d.whenCommitted(() => {
                order.push('committed');
                resolve({ json: JSON.stringify(parameters), eventId, order });
              }, 10_000);
              order.push('signalled');
            }),
        );
      });
      expect(result.order).toEqual(['signalled', 'committed']);
      const custom = records.filter((r) => r.eventType === 'addToCart');
      expect(custom).toHaveLength(1);
      expect(custom[0]!.eventId).toBe(result.eventId);
      expect(custom[0]!.eventParameters).toBe(result.json);
      // The event was in the file, so whenCommitted came after delivery, not after its timeout.
      expect(result.eventId).toMatch(/1$/);
    },
  );

  it(
    'carries the cookies to the next page and starts a new session after the session timeout',
    { timeout: 60_000 },
    async () => {
      const { records, result } = await session(
        { source: ', sessionTimeout: 2s' },
        async ({ site, page, context }) => {
          await page.goto(`${site.origin}/one`);
          await committed(page);
          const one = await ids(page);
          await Promise.all([page.waitForURL('**/next'), page.click('#next')]);
          await committed(page);
          const two = await ids(page);
          const cookies = await context.cookies(site.origin);
          await pause(3000);
          await page.goto(`${site.origin}/three`);
          await committed(page);
          return { one, two, three: await ids(page), cookies };
        },
      );
      const { one, two, three, cookies } = result;
      expect(two.partyId).toBe(one.partyId);
      expect(two.sessionId).toBe(one.sessionId);
      expect(three.partyId).toBe(one.partyId);
      expect(three.sessionId).not.toBe(one.sessionId);
      expect(cookies.find((c) => c.name === '_dvp')).toMatchObject({ value: one.partyId, sameSite: 'Lax' });
      expect(cookies.find((c) => c.name === '_dvs')).toMatchObject({ value: one.sessionId, sameSite: 'Lax' });
      const views = pageViews(records);
      expect(views.map((r) => [r.sessionId === one.sessionId, r.newParty, r.firstInSession])).toEqual([
        [true, true, true],
        [true, false, false],
        [false, false, true],
      ]);
    },
  );

  it(
    'keeps the party through the HttpOnly anchor when the tracker loses its cookie',
    { timeout: 60_000 },
    async () => {
      const { records, result } = await session(
        { source: ', partyAnchorCookie: _dva' },
        async ({ site, page, context }) => {
          await page.goto(`${site.origin}/one`);
          await committed(page);
          const one = await ids(page);
          // The answer to page one's event sets the anchor; as below, Chromium stores it a moment
          // after the response (on a loaded machine, after page two has started), so wait for it.
          await cookieInJar(context, site.origin, '_dva', one.partyId);
          // What Safari's seven-day cap on script-set cookies, or a script clearing cookies, does.
          await page.evaluate(() => (document.cookie = '_dvp=; max-age=0; path=/'));
          const visibleToScripts = await page.evaluate(() => document.cookie);
          await page.goto(`${site.origin}/two`);
          await committed(page);
          const two = await page.evaluate(() => {
            const d = (window as unknown as WithDivolte).divolte;
            return { partyId: d.partyId, isNewPartyId: d.isNewPartyId };
          });
          // The answer to page two's event restores _dvp; Chromium stores a response's cookies a
          // moment after handing the response over, so wait until the jar has it.
          await cookieInJar(context, site.origin, '_dvp', one.partyId);
          await page.goto(`${site.origin}/three`);
          await committed(page);
          const three = await ids(page);
          const cookies = await context.cookies(site.origin);
          return { one, two, three, visibleToScripts, cookies };
        },
      );
      const { one, two, three, visibleToScripts, cookies } = result;
      // The anchor is invisible to page scripts but held by the browser, HttpOnly.
      expect(visibleToScripts).not.toContain('_dva');
      expect(cookies.find((c) => c.name === '_dva')).toMatchObject({ value: one.partyId, httpOnly: true });
      // The tracker started a new party on page two; the collector recorded the anchored one and
      // put it back into _dvp, so page three is the old party again.
      expect(two.isNewPartyId).toBe(true);
      expect(two.partyId).not.toBe(one.partyId);
      expect(three.partyId).toBe(one.partyId);
      const views = pageViews(records);
      expect(views.map((r) => r.partyId)).toEqual([one.partyId, one.partyId, one.partyId]);
      expect(views.map((r) => r.newParty)).toEqual([true, false, false]);
    },
  );

  it('gives reload, back and forward new page view ids', { timeout: 60_000 }, async () => {
    const { records, result } = await session({}, async ({ site, page }) => {
      const seen: string[] = [];
      const note = async () => {
        await committed(page);
        seen.push((await ids(page)).pageViewId!);
      };
      await page.goto(`${site.origin}/a`);
      await note();
      await page.reload();
      await note();
      await Promise.all([page.waitForURL('**/next'), page.click('#next')]);
      await note();
      await page.goBack();
      await note();
      await page.goForward();
      await note();
      return seen;
    });
    const views = pageViews(records);
    expect(views.map((r) => new URL(r.location as string).pathname)).toEqual([
      '/a',
      '/a',
      '/next',
      '/a',
      '/next',
    ]);
    expect(views.map((r) => r.pageViewId)).toEqual(result);
    expect(new Set(result).size).toBe(5);
  });

  it(
    'sees single-page navigation with pushState and popstate, not a replaceState to the same URL',
    { timeout: 60_000 },
    async () => {
      const { records, result } = await session(
        { source: ', spaPageViews: path' },
        async ({ site, page }) => {
          await page.goto(`${site.origin}/app/one`);
          await committed(page);
          const first = (await ids(page)).pageViewId;
          await page.evaluate(() => {
            history.pushState({ step: 2 }, '', '/app/two?tab=1');
            history.replaceState({ step: 2, more: true }, '', '/app/two?tab=1');
            history.replaceState(null, '', '/app/two?tab=1#section');
          });
          await committed(page);
          const second = (await ids(page)).pageViewId;
          await page.evaluate(
            () =>
              new Promise<void>((resolve) => {
                addEventListener('popstate', () => resolve(), { once: true });
                history.back();
              }),
          );
          await committed(page);
          return { first, second, third: (await ids(page)).pageViewId, origin: site.origin };
        },
      );
      const views = pageViews(records);
      expect(views.map((r) => [r.location, r.referer])).toEqual([
        [`${result.origin}/app/one`, null],
        [`${result.origin}/app/two?tab=1`, `${result.origin}/app/one`],
        [`${result.origin}/app/one`, `${result.origin}/app/two?tab=1#section`],
      ]);
      expect(views.map((r) => r.pageViewId)).toEqual([result.first, result.second, result.third]);
      expect(new Set([result.first, result.second, result.third]).size).toBe(3);
    },
  );

  it(
    'delivers every event signalled right before navigating away or closing the tab',
    { timeout: 60_000 },
    async () => {
      const { records, result } = await session({}, async ({ site, context, page }) => {
        await page.goto(`${site.origin}/leave`);
        await committed(page);
        const leaving = await ids(page);
        await Promise.all([
          page.waitForURL('**/next'),
          page.evaluate(() => {
            const d = (window as unknown as WithDivolte).divolte;
            for (let i = 0; i < 25; i++) d.signal('beforeLeave', { i });
            location.href = '/next';
          }),
        ]);
        await committed(page);
        const closing = await context.newPage();
        await closing.goto(`${site.origin}/close`);
        await committed(closing);
        const closed = await ids(closing);
        await closing.evaluate(() => {
          const d = (window as unknown as WithDivolte).divolte;
          for (let i = 0; i < 10; i++) d.signal('beforeClose', { i });
        });
        await closing.close({ runBeforeUnload: true });
        // Beacons and keepalive requests outlive the page; give them a moment to land.
        await pause(1500);
        return { leaving, closed };
      });
      for (const [type, count, pageViewId] of [
        ['beforeLeave', 25, result.leaving.pageViewId],
        ['beforeClose', 10, result.closed.pageViewId],
      ] as const) {
        const events = records.filter((r) => r.eventType === type);
        expect(events.every((r) => r.pageViewId === pageViewId)).toBe(true);
        const order = events.map((r) => JSON.parse(r.eventParameters as string).i as number);
        expect([...order].sort((a, b) => a - b)).toEqual([...Array(count).keys()]);
        // The one request in flight when the page went away (fetch keepalive) may land after the
        // beacon that carries the rest; everything else keeps its order.
        expect(outOfPlace(order)).toBeLessThanOrEqual(1);
      }
    },
  );

  it(
    'retries while the collector is unreachable and sends the stored events after a reload',
    { timeout: 60_000 },
    async () => {
      const { records } = await session({}, async ({ site, context, page }) => {
        await page.goto(`${site.origin}/offline`);
        await committed(page);
        let refused = 0;
        await context.route('**/csc-event*', (route) => {
          refused++;
          return route.abort('connectionrefused');
        });
        await page.evaluate(() => {
          const d = (window as unknown as WithDivolte).divolte;
          for (let i = 0; i < 5; i++) d.signal('whileOffline', { i });
        });
        await page.waitForTimeout(2500);
        expect(refused).toBeGreaterThanOrEqual(2);
        await context.unroute('**/csc-event*');
        // The reload takes the unsent events from sessionStorage; they go first, in order.
        await page.reload();
        await committed(page);
        return refused;
      });
      const types = records.map((r) => r.eventType);
      expect(types.filter((t) => t === 'whileOffline')).toHaveLength(5);
      const offline = records.filter((r) => r.eventType === 'whileOffline');
      expect(offline.map((r) => JSON.parse(r.eventParameters as string).i)).toEqual([0, 1, 2, 3, 4]);
      // After the first page view: the five stored events, then the reloaded page's view.
      expect(types).toEqual(['pageView', ...Array(5).fill('whileOffline'), 'pageView']);
    },
  );

  it(
    'stops after optOut(), and sends nothing under Global Privacy Control when asked to',
    { timeout: 60_000 },
    async () => {
      const optOut = await session({}, async ({ site, page, context }) => {
        await page.goto(`${site.origin}/consent`);
        await committed(page);
        const refused = await page.evaluate(() => {
          const d = (window as unknown as WithDivolte).divolte;
          d.optOut();
          return d.signal('afterOptOut');
        });
        await page.reload();
        await page.evaluate(() => (window as unknown as WithDivolte).divolte.signal('afterReload'));
        await pause(500);
        return { refused, cookies: (await context.cookies()).map((c) => c.name) };
      });
      expect(optOut.result.refused).toBeNull();
      expect(optOut.records.map((r) => r.eventType)).toEqual(['pageView']);
      expect(optOut.result.cookies).toEqual(['_dvp_optout']);

      const gpc = await session(
        { source: ', honorPrivacySignals: true' },
        async ({ site, context, page }) => {
          await context.addInitScript(() =>
            Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
          );
          await page.goto(`${site.origin}/private`);
          await page.evaluate(() => (window as unknown as WithDivolte).divolte.signal('private'));
          await pause(500);
          return (await context.cookies()).length;
        },
      );
      expect(gpc.records).toEqual([]);
      expect(gpc.result).toBe(0);
    },
  );

  it(
    'shows the demo page at the collector root and records its custom event',
    { timeout: 60_000 },
    async () => {
      const { records, result } = await session({}, async ({ cli, page }) => {
        await page.goto(`${cli.address}/`);
        await page.click('#signal');
        await page.waitForFunction(() =>
          document.getElementById('status')?.textContent?.includes('delivered'),
        );
        return {
          party: await page.textContent('#partyId'),
          pageViewId: await page.textContent('#pageViewId'),
        };
      });
      expect(records.map((r) => r.eventType)).toEqual(['pageView', 'demoClick']);
      expect(records[1]).toMatchObject({ partyId: result.party, pageViewId: result.pageViewId });
      expect(JSON.parse(records[1]!.eventParameters as string)).toMatchObject({
        clicks: 1,
        page: { title: 'Footfall demo' },
      });
    },
  );
});
