// The Footfall dashboard as an analyst sees it: Debian's Chromium logs into the run's Superset, opens
// the dashboard with its default filters and then a filtered view (a permalink with one country
// chosen), waits until every tile has rendered, fails on any tile that shows an error or no data, and
// saves a screenshot of each view.
// The functions passed to page.evaluate run in the page, where document and window are globals.
/* global document */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './browser.mjs';
import { until } from './steps.mjs';

/** What Superset writes into a tile that has no chart to show. */
const BAD_TILE = /no results were returned|no data|unexpected error|error|cannot read|failed/i;
const VIEWPORT = { width: 1600, height: 2400 };

/** The state of every chart tile: its name, whether it is still loading, and the text it shows. */
function tiles(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-test="dashboard-component-chart-holder"]')].map((holder) => {
      const title = holder.querySelector(
        '[data-test="editable-title"], .header-title, [data-test="slice-header"]',
      );
      return {
        name: (title?.textContent ?? '').trim(),
        loading: holder.querySelector('[data-test="loading-indicator"], .loading') !== null,
        drawn: holder.querySelector('canvas, svg, table, .header-line, [data-test="big-number"]') !== null,
        alert: holder.querySelector('[role="alert"], .alert, [data-test="alert"]')?.textContent?.trim() ?? '',
        text: holder.innerText,
      };
    }),
  );
}

/** Waits until all `expected` tiles have drawn, then returns the ones that show an error or no data. */
async function settle(page, expected, what) {
  let last = [];
  await until(
    `${expected} rendered tiles (${what})`,
    async () => {
      last = await tiles(page);
      const done =
        last.length >= expected &&
        last.every((t) => !t.loading && (t.drawn || t.alert || BAD_TILE.test(t.text)));
      return done ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  ).catch((error) => {
    throw new Error(
      `${error.message}; tiles: ${JSON.stringify(last.map((t) => [t.name, t.loading, t.drawn]))}`,
    );
  });
  // Tiles that say why they are empty; a chart's own labels never contain these words.
  return last
    .filter(
      (t) => t.alert || /no results were returned|no data|unexpected error|error occurred/i.test(t.text),
    )
    .map((t) => `${t.name || '(untitled)'}: ${(t.alert || t.text).replace(/\s+/g, ' ').slice(0, 200)}`);
}

/**
 * Renders the dashboard twice (defaults, then `filter`) and saves `dashboard.png` and
 * `dashboard-filtered.png` into each of `outDirs`. Throws when a tile is broken or empty.
 */
export async function renderDashboard({ url, password, slug, chartCount, filter, outDirs }) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
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
        await page.screenshot({ path: join(dir, name), fullPage: true });
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
      { slug, dataMask: filter },
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
