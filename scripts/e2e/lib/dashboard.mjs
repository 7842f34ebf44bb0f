// The Footfall dashboard as an analyst sees it: Debian's Chromium logs into the run's Superset, opens
// the dashboard with its default filters and then a filtered view (a permalink with one country
// chosen), waits until every tile has rendered, fails on any tile that shows an error or no data, and
// saves a screenshot of each view.
// The functions passed to page.evaluate run in the page, where document and window are globals.
/* global document */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../../lib/chromium.mjs';
import { until } from './steps.mjs';

/** What Superset writes into a tile that has no chart to show. */
const EMPTY_OR_BROKEN = /no results were returned|no data|unexpected error|error occurred|failed to load/i;
const VIEWPORT = { width: 1600, height: 2400 };

/**
 * The state of every chart tile: its name, whether it is still loading, whether its chart has drawn
 * (an ECharts canvas, a table, a Big Number), and any error or empty-state text.
 */
function tiles(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-test="chart-grid-component"]')].map((tile) => {
      const content = tile.querySelector('[data-test="slice-container"]');
      return {
        name: tile.getAttribute('data-test-chart-name') ?? '',
        loading: tile.querySelector('[data-test="loading-indicator"], .loading') !== null,
        drawn: content?.querySelector('canvas, table, .header-line') !== null && content !== null,
        alert: tile.querySelector('[role="alert"], .ant-alert')?.textContent?.trim() ?? '',
        text: content?.innerText ?? '',
      };
    }),
  );
}

/** Waits until all `expected` tiles have drawn or given up, then returns the ones that show an error or no data. */
async function settle(page, expected, what) {
  let last = [];
  await until(
    `${expected} rendered tiles (${what})`,
    async () => {
      last = await tiles(page);
      const done =
        last.length >= expected &&
        last.every((t) => !t.loading && (t.drawn || t.alert || EMPTY_OR_BROKEN.test(t.text)));
      return done ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  ).catch((error) => {
    const pending = last.filter((t) => t.loading || !t.drawn).map((t) => t.name);
    throw new Error(`${error.message}; ${last.length} tiles, not drawn: ${pending.join(', ')}`);
  });
  return last
    .filter((t) => t.alert || !t.drawn || EMPTY_OR_BROKEN.test(t.text))
    .map((t) => `${t.name}: ${(t.alert || t.text || 'nothing drawn').replace(/\s+/g, ' ').slice(0, 200)}`);
}

/**
 * Renders the dashboard twice (defaults, then `filter`) and saves `dashboard.png` and
 * `dashboard-filtered.png` into each of `outDirs`. Throws when a tile is broken or empty.
 */
export async function renderDashboard({ url, password, slug, chartCount, filter, outDirs }) {
  const browser = await launchChromium();
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${url}/login/`);
    await page.fill('input[name="username"], #username', 'admin');
    await page.fill('input[name="password"], #password', password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      page.keyboard.press('Enter'),
    ]);

    const shots = async (name) => {
      // Let the charts' entry animations finish before the picture.
      await page.waitForTimeout(1500);
      for (const dir of outDirs) {
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: join(dir, name), fullPage: true, timeout: 120_000 });
      }
    };

    await page.goto(`${url}/superset/dashboard/${slug}/`);
    problems.push(...(await settle(page, chartCount, 'default filters')).map((p) => `default view: ${p}`));
    await shots('dashboard.png');

    // A filtered view through a permalink, which is how Superset shares a dashboard with filters set.
    const permalink = await page.evaluate(
      async ({ slug, dataMask }) => {
        const token = await (await fetch('/api/v1/security/csrf_token/')).json();
        const response = await fetch(`/api/v1/dashboard/${slug}/permalink`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrftoken': token.result },
          body: JSON.stringify({ dataMask, activeTabs: [], anchor: '', urlParams: [] }),
        });
        return { status: response.status, body: await response.text() };
      },
      {
        slug,
        dataMask: Object.fromEntries(Object.entries(filter).map(([id, mask]) => [id, { id, ...mask }])),
      },
    );
    if (permalink.status !== 201 && permalink.status !== 200)
      throw new Error(`permalink answered ${permalink.status}: ${permalink.body.slice(0, 300)}`);
    await page.goto(JSON.parse(permalink.body).url);
    problems.push(...(await settle(page, chartCount, 'filtered')).map((p) => `filtered view: ${p}`));
    await shots('dashboard-filtered.png');
  } finally {
    await browser.close();
  }
  if (problems.length > 0)
    throw new Error(`dashboard tiles show errors or no data:\n  ${problems.join('\n  ')}`);
}
