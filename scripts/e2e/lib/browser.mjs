// Real page views for `npm run e2e:pipeline`: Debian's Chromium, driven by playwright-core, browses the
// demo site of docker/compose.yaml (docker/demo), whose pages load the tracker from the collector.
// The site is served here with its script tag pointed at the local collector instead of localhost:8290.
// The functions passed to page.evaluate run in the page, where window is the global.
/* global window */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { repoRoot } from '../../druid/cluster.mjs';
import { CHROMIUM_PATH, launchChromium } from '../../lib/chromium.mjs';

const demoDir = join(repoRoot, 'docker', 'demo');

// A desktop Chrome on Linux, and a client address in the run's geo database (Amsterdam): headless
// Chromium's own user agent says HeadlessChrome, which bot lists rightly flag.
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CLIENT_IP = '203.0.113.30';
const VISITOR = {
  browserName: 'Chrome',
  browserMajor: '131',
  osName: 'Linux',
  deviceType: 'desktop',
  isBot: 'false',
  countryCode: 'NL',
  countryName: 'Netherlands',
  cityName: 'Amsterdam',
};
/** The same visitor as the dashboard names it. */
const SHOWN = {
  traffic: 'human',
  browser: 'Chrome',
  browserVersion: 'Chrome 131',
  os: 'Linux',
  device: 'desktop',
  country: 'Netherlands',
  city: 'Amsterdam',
};

export function chromiumAvailable() {
  return existsSync(CHROMIUM_PATH);
}

function serveDemo(collectorUrl) {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://demo').pathname;
    const file = normalize(join(demoDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(demoDir) || !existsSync(file) || extname(file) !== '.html') {
      response.writeHead(404).end();
      return;
    }
    const html = readFileSync(file, 'utf8').replaceAll('http://localhost:8290', collectorUrl);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(html);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ origin: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

/** Resolves once the tracker has delivered everything the page signalled so far. */
function committed(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const wait = Date.now() + 10_000;
        (function ready() {
          if (window.divolte && window.divolte.pageViewId) window.divolte.whenCommitted(resolve, 5000);
          else if (Date.now() > wait) reject(new Error('the tracker did not start'));
          else setTimeout(ready, 50);
        })();
      }),
  );
}

/**
 * Opens the shop's home page, follows the campaign link to the product page and presses "Add to
 * cart": two page views and one custom event. Returns them as plan records with their expectations.
 */
export async function browseDemoSite(collectorUrl) {
  const site = await serveDemo(collectorUrl);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      userAgent: USER_AGENT,
      extraHTTPHeaders: { 'x-forwarded-for': CLIENT_IP },
    });
    const page = await context.newPage();
    await page.goto(`${site.origin}/`);
    await committed(page);
    await Promise.all([page.waitForURL(/product\.html/), page.click('a[href*="utm_source"]')]);
    await committed(page);
    await page.click('button');
    await committed(page);
    const { partyId, sessionId } = await page.evaluate(() => ({
      partyId: window.divolte.partyId,
      sessionId: window.divolte.sessionId,
    }));
    await context.close();

    const host = '127.0.0.1';
    const product = {
      locationHost: host,
      locationPath: '/product.html',
      refererHost: host,
      refererInternal: 'true',
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmCampaign: 'demo',
    };
    const base = { kind: 'chromium', party: partyId, session: sessionId };
    const common = { sourceName: 'browser', ...VISITOR };
    // The home page is opened directly; the product page through the newsletter link, so its events
    // carry the link's campaign although the referrer is the shop itself.
    const productShown = {
      ...SHOWN,
      page: '/product.html',
      source: 'newsletter',
      medium: 'email',
      campaign: 'demo',
      channel: 'Email',
      visitorType: 'returning',
    };
    return [
      {
        ...base,
        visitor: 'Chromium: home page',
        expect: {
          ...common,
          eventType: 'pageView',
          firstInSession: 'true',
          newParty: 'true',
          locationHost: host,
          locationPath: '/',
        },
        shown: {
          ...SHOWN,
          page: '/',
          source: '(direct)',
          medium: '(none)',
          campaign: '(none)',
          channel: 'Direct',
          visitorType: 'new',
        },
      },
      {
        ...base,
        visitor: 'Chromium: product page',
        expect: { ...common, eventType: 'pageView', firstInSession: 'false', newParty: 'false', ...product },
        shown: productShown,
      },
      {
        ...base,
        visitor: 'Chromium: add to cart',
        expect: { ...common, eventType: 'addToCart', firstInSession: 'false', newParty: 'false', ...product },
        shown: productShown,
      },
    ];
  } finally {
    await browser.close();
    await site.close();
  }
}
