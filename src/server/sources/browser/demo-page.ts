/**
 * `GET {prefix}` of a browser source with `demoPage: true` (the default): a page that loads the
 * tracker, shows the ids it uses and signals a custom event on a button press, so that a newcomer
 * sees the collector work within a minute. Turn it off in production with `demoPage: false`.
 *
 * The page is built once. Its only inline script and style are allowed by hash in a strict
 * Content-Security-Policy, and the configured values in it (the script name, the inspector's
 * address) are escaped. When the inspector is on, the page links to it; when off, it says how to
 * switch it on.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { BrowserSourceConfig } from '../../../config/index.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
code,dd{font-family:ui-monospace,monospace;font-size:.9em}dt{font-weight:600;margin-top:.5rem}dd{margin:0;word-break:break-all}
button{font:inherit;padding:.4rem 1rem;margin:1rem 0}#status{color:#555}`;

// Reads window.divolte, which the synchronous tracker script before it has defined.
const SCRIPT = `(function () {
  var d = window.divolte, clicks = 0;
  function show() {
    ['partyId', 'sessionId', 'pageViewId', 'isNewPartyId', 'isFirstInSession'].forEach(function (key) {
      document.getElementById(key).textContent = String(d[key]);
    });
  }
  show();
  document.addEventListener('visibilitychange', show);
  document.getElementById('signal').addEventListener('click', function () {
    var status = document.getElementById('status');
    var id = d.signal('demoClick', { clicks: ++clicks, at: new Date(), page: { title: document.title } });
    status.textContent = 'Signalled ' + id + ' …';
    show();
    d.whenCommitted(function () {
      status.textContent = 'Event ' + id + ' delivered. Stop the collector to publish its file.';
    }, 5000);
  });
})();`;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where to see the events this page sends: a link to the inspector, or how to switch it on. */
function inspectorHint(inspectorUrl: string | null): string {
  if (inspectorUrl === null) {
    return `<p id="inspector">To see each event as it arrives (what was sent, how it was enriched, the record
it became, or why it was refused), start the collector with <code>FOOTFALL_INSPECTOR=true</code>
(or <code>inspector: { enabled: true }</code>) and reload this page; <code>footfall tail</code> shows the same
in a terminal.</p>`;
  }
  const url = escapeHtml(inspectorUrl);
  return `<p id="inspector">See each event as it arrives in the <a href="${url}">inspector</a>
(on the admin listener; add <code>?token=…</code> when a token is set), or run <code>footfall tail</code>.</p>`;
}

function demoPageHtml(source: BrowserSourceConfig, inspectorUrl: string | null): string {
  const script = escapeHtml(source.scriptName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Footfall demo</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Footfall is collecting</h1>
<p>This page embeds the tracker like any site would:
<code>&lt;script src="${script}"&gt;&lt;/script&gt;</code>. Its page view has already been sent.</p>
<dl>
<dt>Party id</dt><dd id="partyId"></dd>
<dt>Session id</dt><dd id="sessionId"></dd>
<dt>Page view id</dt><dd id="pageViewId"></dd>
<dt>New party</dt><dd id="isNewPartyId"></dd>
<dt>First in session</dt><dd id="isFirstInSession"></dd>
</dl>
<button id="signal" type="button">Signal a custom event</button>
<p id="status">Press the button to send <code>demoClick</code> with a few parameters.</p>
<p>Records land in the configured sinks; with the defaults, Avro files under
<code>data/published/</code> once the collector stops or the file rolls.
Switch this page off with <code>demoPage: false</code>.</p>
${inspectorHint(inspectorUrl)}
<script src="${script}"></script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

export interface DemoPageOptions {
  readonly source: BrowserSourceConfig;
  /** The live inspector's page; null when it is off (the page then says how to switch it on). */
  readonly inspectorUrl: string | null;
}

export const demoPageRoute: FastifyPluginAsync<DemoPageOptions> = async (app, { source, inspectorUrl }) => {
  const body = demoPageHtml(source, inspectorUrl);
  const policy = [
    "default-src 'none'",
    `script-src 'self' ${hash(SCRIPT)}`,
    `style-src ${hash(STYLE)}`,
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  app.get(source.prefix, (_request, reply) => {
    reply
      .header('content-security-policy', policy)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(body);
  });
};
