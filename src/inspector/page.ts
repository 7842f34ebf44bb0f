/**
 * The inspector page, served by the admin listener as three fixed assets: no build step, no CDN, no
 * framework. Everything an event carries is attacker-controlled, so the script only ever puts it in
 * the page through `textContent`, and the page's Content-Security-Policy allows no inline script and
 * no script from anywhere but this listener, so markup that slipped through could not run either.
 */

export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'none'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>Footfall inspector</title>
    <link rel="stylesheet" href="/inspect/page.css" />
  </head>
  <body>
    <header>
      <h1>Footfall inspector</h1>
      <span id="status" class="status">connecting…</span>
      <span id="counters" class="counters"></span>
    </header>
    <form id="filters" class="filters" autocomplete="off">
      <label>source <input name="source" placeholder="any" /></label>
      <label>event type <input name="type" placeholder="any" /></label>
      <label>party id <input name="party" placeholder="any" /></label>
      <label>session id <input name="session" placeholder="any" /></label>
      <label>outcome
        <select name="outcome">
          <option value="">any</option>
          <option value="accepted">accepted</option>
          <option value="invalid">invalid</option>
          <option value="discarded">discarded</option>
          <option value="dropped">dropped</option>
          <option value="failed">failed</option>
        </select>
      </label>
      <button type="button" id="pause">Pause</button>
      <button type="button" id="clear">Clear</button>
    </form>
    <table>
      <thead>
        <tr>
          <th>time</th><th>source</th><th>outcome</th><th>event type</th><th>party id</th>
          <th>session id</th><th>request</th><th>flags</th>
        </tr>
      </thead>
      <tbody id="rows"></tbody>
    </table>
    <p id="empty" class="empty">No events yet: they appear here as the collector receives them. Click one to see
      what was sent, how it was enriched and the record each mapping made of it.</p>
    <script src="/inspect/page.js"></script>
  </body>
</html>
`;

export const PAGE_STYLE = `
:root { color-scheme: light dark; --muted: #777; --line: #8883; --accepted: #2a7; --bad: #d44; --warn: #c80; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1rem 2rem; }
header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 1.2rem; margin: 0.8rem 0; }
.status, .counters { color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: end; margin-bottom: 0.8rem; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.filters input { width: 11rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; font-size: 12px; color: var(--muted); }
tr.event { cursor: pointer; }
tr.event:hover { background: #8881; }
tr.event.open { background: #8882; }
td.party, td.session, td.time { font-family: ui-monospace, monospace; font-size: 12px; }
td.outcome { font-weight: 600; }
.outcome-accepted td.outcome { color: var(--accepted); }
.outcome-invalid td.outcome, .outcome-failed td.outcome, .outcome-dropped td.outcome { color: var(--bad); }
.outcome-discarded td.outcome { color: var(--warn); }
tr.detail td { background: #8881; }
tr.detail h3 { font-size: 12px; margin: 0.6rem 0 0.2rem; color: var(--muted); }
tr.detail pre { margin: 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
.empty { color: var(--muted); }
`;

// Plain ES2017 for every current browser. It reads event data only into textContent.
export const PAGE_SCRIPT = `'use strict';
(function () {
  var MAX_ROWS = 500;
  var token = new URLSearchParams(location.search).get('token');
  var rows = document.getElementById('rows');
  var statusText = document.getElementById('status');
  var counters = document.getElementById('counters');
  var empty = document.getElementById('empty');
  var form = document.getElementById('filters');
  var pauseButton = document.getElementById('pause');
  var paused = false;
  var waiting = [];
  var count = 0;
  var live = false;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function outcomeText(outcome) {
    return outcome.reason ? outcome.kind + ': ' + outcome.reason : outcome.kind;
  }

  function flagsText(message) {
    var flags = [];
    if (message.flags.corrupt) flags.push('corrupt');
    if (message.flags.duplicate) flags.push('duplicate');
    if (message.count > 1) flags.push(message.count + ' events');
    return flags.join(', ');
  }

  function filters() {
    var values = {};
    ['source', 'type', 'party', 'session', 'outcome'].forEach(function (name) {
      values[name] = form.elements[name].value.trim();
    });
    return values;
  }

  function visible(message, f) {
    if (f.source && message.source !== f.source) return false;
    if (f.type && (message.eventType || '') !== f.type) return false;
    if (f.party && (message.partyId || '') !== f.party) return false;
    if (f.session && (message.sessionId || '') !== f.session) return false;
    if (f.outcome && message.outcome.kind !== f.outcome) return false;
    return true;
  }

  function section(parent, title, value) {
    parent.appendChild(el('h3', null, title));
    parent.appendChild(el('pre', null, typeof value === 'string' ? value : JSON.stringify(value, null, 2)));
  }

  function closeDetail() {
    var open = rows.querySelector('tr.event.open');
    if (open) open.classList.remove('open');
    var detail = rows.querySelector('tr.detail');
    if (detail) detail.remove();
  }

  function toggle(row) {
    var wasOpen = row.classList.contains('open');
    closeDetail();
    if (wasOpen) return;
    var message = row.inspected;
    var detail = el('tr', 'detail');
    var cell = el('td');
    cell.colSpan = 8;
    var outcome = message.outcome;
    section(cell, 'outcome', outcomeText(outcome) + (outcome.detail ? ' (' + outcome.detail + ')' : ''));
    if (message.request) section(cell, 'request', message.request);
    if (message.event) section(cell, 'event as parsed', message.event);
    message.records.forEach(function (record) {
      var title = 'mapping ' + record.mapping + ' → ' + record.sinks.join(', ') + ': ' + outcomeText(record.outcome);
      section(cell, title, record.record !== undefined ? record.record : record.error || 'no record');
    });
    detail.appendChild(cell);
    row.classList.add('open');
    row.after(detail);
  }

  function render(message) {
    var row = el('tr', 'event outcome-' + message.outcome.kind);
    row.inspected = message;
    row.dataset.seq = String(message.seq);
    row.dataset.outcome = message.outcome.kind;
    row.appendChild(el('td', 'time', message.time.slice(11, 23)));
    row.appendChild(el('td', 'source', message.source));
    row.appendChild(el('td', 'outcome', outcomeText(message.outcome)));
    row.appendChild(el('td', 'type', message.eventType || ''));
    row.appendChild(el('td', 'party', message.partyId || ''));
    row.appendChild(el('td', 'session', message.sessionId || ''));
    row.appendChild(el('td', 'request', message.request ? message.request.method + ' ' + message.request.path : ''));
    row.appendChild(el('td', 'flags', flagsText(message)));
    row.hidden = !visible(message, filters());
    row.addEventListener('click', function () { toggle(row); });
    rows.insertBefore(row, rows.firstChild);
    count++;
    empty.hidden = true;
    while (count > MAX_ROWS) {
      var last = rows.lastElementChild;
      if (last.classList.contains('detail')) closeDetail();
      else { last.remove(); count--; }
    }
  }

  function applyFilters() {
    var f = filters();
    rows.querySelectorAll('tr.event').forEach(function (row) {
      row.hidden = !visible(row.inspected, f);
      if (row.hidden && row.classList.contains('open')) closeDetail();
    });
  }

  function showStatus() {
    var text = live ? 'live' : 'reconnecting…';
    if (paused) text = 'paused, ' + waiting.length + ' waiting';
    statusText.textContent = text;
  }

  form.addEventListener('input', applyFilters);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  pauseButton.addEventListener('click', function () {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) {
      var queued = waiting;
      waiting = [];
      queued.forEach(render);
    }
    showStatus();
  });
  document.getElementById('clear').addEventListener('click', function () {
    closeDetail();
    rows.textContent = '';
    waiting = [];
    count = 0;
    empty.hidden = false;
    showStatus();
  });

  var stream = new EventSource('/inspect/events' + (token ? '?token=' + encodeURIComponent(token) : ''));
  stream.onopen = function () { live = true; showStatus(); };
  stream.onerror = function () { live = false; showStatus(); };
  stream.onmessage = function (e) {
    var message = JSON.parse(e.data);
    if (paused) {
      waiting.push(message);
      if (waiting.length > MAX_ROWS) waiting.shift();
      showStatus();
    } else {
      render(message);
    }
  };
  stream.addEventListener('stats', function (e) {
    var s = JSON.parse(e.data);
    counters.textContent = 'shown ' + s.shown + ' · sampled out ' + s.sampledOut +
      ' · too slow for this page ' + s.droppedForYou + ' · watchers ' + s.watchers;
  });
})();
`;
