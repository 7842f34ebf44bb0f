/**
 * The live inspector against the compiled CLI: the page in a real Chromium, the token, and
 * `footfall tail --json` as a child process. Events are sent from the test the way a site and an app
 * would send them (pixel, beacon, JSON, a malformed pixel) and must show on the page within a second
 * with their outcome; events carrying markup must show as text and run nothing.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../support/chromium.js';
import { CLI, runCli, startCli, type CliProcess } from '../support/cli.js';
import { PARTY, SESSION, tempDir } from '../support/collector.js';
import { PAGE_VIEW, pixelParams, pixelQuery } from '../support/pixel.js';
import { waitFor } from '../support/wait.js';

const TOKEN = randomBytes(16).toString('hex');
const missing = chromiumMissing();

let cli: CliProcess;
let admin = '';
let dir = '';
let eventNumber = 0;

/** A pixel query string for a new event of this type (a fresh event id, so never a duplicate). */
const pixelFor = (type: string) => pixelQuery(pixelParams({ e: `${PAGE_VIEW}${eventNumber++}`, t: type }));

async function sendPixel(query: string): Promise<void> {
  const response = await fetch(`${cli.address}/csc-event?${query}`);
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

async function sendBeacon(type: string): Promise<void> {
  const response = await fetch(`${cli.address}/csc-event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: pixelFor(type),
  });
  expect(response.status).toBe(204);
}

async function sendJson(fields: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${cli.address}/json?p=${encodeURIComponent(PARTY)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      session_id: SESSION,
      event_id: `json-${eventNumber++}`,
      client_timestamp_iso: new Date().toISOString(),
      is_new_party: false,
      is_new_session: false,
      ...fields,
    }),
  });
  expect(response.status).toBe(204);
}

beforeAll(async () => {
  dir = tempDir('footfall-inspector-');
  cli = await startCli(
    ['serve'],
    {
      FOOTFALL_INSPECTOR: 'true',
      FOOTFALL_INSPECTOR_TOKEN: TOKEN,
      FOOTFALL_DATA_DIR: path.join(dir, 'data'),
    },
    dir,
  );
  admin = /"admin":"(http:\/\/[^"]+)"/.exec(cli.output())?.[1] ?? '';
  expect(admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

afterAll(async () => {
  cli?.child.kill('SIGTERM');
  await cli?.exited;
});

describe('the inspector token', () => {
  it('answers 401 with the documented error body without a token or with a wrong one', async () => {
    for (const url of [
      `${admin}/inspect`,
      `${admin}/inspect/events`,
      `${admin}/inspect/events?token=${'0'.repeat(32)}`,
    ]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(await response.json()).toEqual({
        error: 'FOOTFALL_ERR_UNAUTHORIZED',
        message: 'a valid inspector token is needed',
      });
    }
    const wrongBearer = await fetch(`${admin}/inspect/events`, { headers: { authorization: 'Bearer nope' } });
    expect(wrongBearer.status).toBe(401);
    await wrongBearer.body?.cancel();
  });

  it('never writes the token to the log', () => {
    expect(cli.output()).not.toContain(TOKEN);
  });
});

describe.skipIf(missing !== undefined)('the inspector page in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${admin}/inspect?token=${TOKEN}`);
    await waitFor(async () => (await page.textContent('#status')) === 'live', { timeout: 10_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** The page's rows as [event type, outcome text, request] once the one matching `where` is there. */
  const rows = () =>
    page.$$eval('#rows tr.event', (trs) =>
      trs.map((tr) => ({
        type: tr.querySelector('td.type')?.textContent ?? '',
        outcome: tr.querySelector('td.outcome')?.textContent ?? '',
        request: tr.querySelector('td.request')?.textContent ?? '',
        hidden: (tr as HTMLElement).hidden,
      })),
    );

  /** Resolves once a row for `type` shows, failing if it takes longer than a second. */
  const shows = async (match: (row: Awaited<ReturnType<typeof rows>>[number]) => boolean) => {
    let last: unknown;
    return waitFor(
      async () => {
        const current = await rows();
        last = current;
        return current.find(match);
      },
      { timeout: 1_000, interval: 25, message: () => `a row within a second; rows: ${JSON.stringify(last)}` },
    );
  };

  it('shows a pixel, a beacon, a JSON event and a malformed pixel, each within a second with its outcome', async () => {
    await sendPixel(pixelFor('pixelEvent'));
    expect(await shows((row) => row.type === 'pixelEvent')).toMatchObject({
      outcome: 'accepted',
      request: 'GET /csc-event',
    });

    await sendBeacon('beaconEvent');
    expect(await shows((row) => row.type === 'beaconEvent')).toMatchObject({
      outcome: 'accepted',
      request: 'POST /csc-event',
    });

    await sendJson({ event_type: 'jsonEvent' });
    expect(await shows((row) => row.type === 'jsonEvent')).toMatchObject({
      outcome: 'accepted',
      request: 'POST /json',
    });

    await sendPixel('s=not-a-session&t=malformed');
    expect(await shows((row) => row.outcome === 'invalid: bad_identifier')).toMatchObject({
      type: '',
      request: 'GET /csc-event',
    });
  });

  it('hides what the filters do not match, and shows it again when they are cleared', async () => {
    await page.selectOption('select[name=outcome]', 'invalid');
    let visible = (await rows()).filter((row) => !row.hidden);
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((row) => row.outcome.startsWith('invalid'))).toBe(true);

    await page.selectOption('select[name=outcome]', '');
    await page.fill('input[name=type]', 'beaconEvent');
    visible = (await rows()).filter((row) => !row.hidden);
    expect(visible.map((row) => row.type)).toEqual(['beaconEvent']);

    await page.fill('input[name=type]', '');
    expect((await rows()).filter((row) => row.hidden)).toEqual([]);
  });

  it('shows markup an event carries as text, and runs none of it', async () => {
    // No quotes, so the JSON of the detail view holds them verbatim.
    const script = '<script>window.pwned=1</script>';
    const image = '<img src=x onerror=window.pwned=2>';
    await sendJson({ event_type: script, parameters: { html: image } });
    await sendPixel(pixelFor(image));
    await shows((row) => row.type === script);
    await shows((row) => row.type === image);

    await page.click(`#rows tr.event:has(td.type:text-is(${JSON.stringify(script)}))`);
    const detail = await page.textContent('#rows tr.detail');
    expect(detail).toContain(image); // in the request's body, the parsed event and the record
    expect(detail).toContain(script);

    const result = await page.evaluate(() => ({
      pwned: (window as unknown as { pwned?: string }).pwned,
      elements: document.querySelectorAll('#rows script, #rows img').length,
    }));
    expect(result).toEqual({ pwned: undefined, elements: 0 });
  });

  it('expands one event at a time with its request, the parsed event and the Avro JSON record', async () => {
    await page.click('#rows tr.event:has(td.type:text-is("jsonEvent"))');
    const sections = await page.$$eval('#rows tr.detail h3', (hs) => hs.map((h) => h.textContent));
    expect(sections).toEqual(['outcome', 'request', 'event as parsed', 'mapping clicks → files: accepted']);
    expect(await page.$$eval('#rows tr.detail', (trs) => trs.length)).toBe(1);
    const record = JSON.parse((await page.textContent('#rows tr.detail pre:last-child')) ?? '{}') as Record<
      string,
      unknown
    >;
    // Avro's JSON encoding: a nullable field's value is wrapped in its branch's type.
    expect(record).toMatchObject({ eventType: 'jsonEvent', partyId: { string: PARTY } });
  });

  it('keeps the last events for a page that connects late', async () => {
    const late = await browser.newPage();
    await late.goto(`${admin}/inspect?token=${TOKEN}`);
    await waitFor(async () =>
      (await late.$$eval('#rows td.type', (tds) => tds.map((td) => td.textContent))).includes('pixelEvent'),
    );
    await late.close();
  });

  it('pauses and resumes', async () => {
    await page.click('#pause');
    await sendJson({ event_type: 'whilePaused' });
    await waitFor(async () => ((await page.textContent('#status')) ?? '').startsWith('paused, 1 waiting'));
    expect((await rows()).some((row) => row.type === 'whilePaused')).toBe(false);
    await page.click('#pause');
    expect((await rows()).some((row) => row.type === 'whilePaused')).toBe(true);
  });
});

describe('footfall tail --json', () => {
  it('prints the filtered stream as JSON lines and stops on SIGINT', async () => {
    const tail = spawn(
      process.execPath,
      [CLI, 'tail', '--json', '--url', admin, '--outcome', 'invalid,accepted', '--type', 'tailed'],
      { env: { ...process.env, FOOTFALL_INSPECTOR_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    tail.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => tail.on('exit', (code) => resolve(code)));
    const lines = () =>
      out
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    // tail is connected once the collector counts it as a watcher.
    await waitFor(
      async () => /footfall_inspector_watchers 1/.test(await (await fetch(`${admin}/metrics`)).text()),
      {
        timeout: 10_000,
      },
    );
    await sendPixel(pixelFor('tailed'));
    await sendPixel(pixelFor('other'));
    await sendJson({ event_type: 'tailed' });
    await waitFor(() => lines().length >= 2, { timeout: 5_000, message: () => out });
    const seen = lines();
    expect(
      seen.map((line) => [line.source, line.eventType, (line.outcome as { kind: string }).kind]),
    ).toEqual([
      ['browser', 'tailed', 'accepted'],
      ['app', 'tailed', 'accepted'],
    ]);
    expect(seen[0]).toHaveProperty('records.0.record.eventType', 'tailed');
    tail.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('exits 1 with the reason when the token is wrong', async () => {
    const { code, output } = await runCli(['tail', '--url', admin, '--token', 'wrong-token-wrong-token']);
    expect(code).toBe(1);
    expect(output).toContain('401: a valid inspector token is needed');
  });
});

describe('footfall check-config', () => {
  it('says the inspector token is set without printing it', async () => {
    const { code, output } = await runCli(['check-config'], {
      FOOTFALL_INSPECTOR: 'true',
      FOOTFALL_INSPECTOR_TOKEN: TOKEN,
    });
    expect(code).toBe(0);
    expect(output).toContain('token: (set)');
    expect(output).not.toContain(TOKEN);
  });
});
