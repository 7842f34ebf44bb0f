/**
 * Real-browser tests drive Debian's Chromium through playwright-core (no bundled browser download).
 * Outside CI a missing Chromium skips them with the reason; under CI it fails them, since a silently
 * skipped browser suite would look like a green one. `.ci/run` installs Chromium with apt-get.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHROMIUM_PATH } from '../../scripts/lib/chromium.mjs';

export { launchChromium } from '../../scripts/lib/chromium.mjs';

/** Why the browser tests cannot run here, or undefined when they can. Throws under CI. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) throw new Error(`real-browser tests cannot run under CI: ${reason}`);
  console.warn(`real-browser tests skipped: ${reason}`);
  return reason;
}

export interface TestSite {
  /** `http://127.0.0.1:<port>`: another port than the collector's, so the tracker is cross-origin. */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * A tiny site: every path answers a page titled after it that embeds the collector's tracker
 * synchronously, links to `/next` and runs `extra` (HTML) when the path matches a key of `pages`.
 */
export async function startTestSite(
  collector: string,
  pages: Record<string, string> = {},
): Promise<TestSite> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/favicon.ico') {
      response.writeHead(404).end();
      return;
    }
    const extra = pages[url.pathname] ?? '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(`<!doctype html><html><head><meta charset="utf-8"><title>${url.pathname}</title>
<script src="${collector}/divolte.js"></script></head>
<body><h1>${url.pathname}</h1><a id="next" href="/next">next</a><a id="other" href="/other?x=1#part">other</a>
${extra}</body></html>`);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
