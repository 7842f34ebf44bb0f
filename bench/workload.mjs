// Request sets and the saturating driver shared by benchmark scripts. Needs the compiled protocol in
// dist/ (npm run build).
//
// Two workloads. `realistic` (the default, traffic/): 100,000 distinct events of a web shop's
// visitors, 62 user agents, 17,000 page URLs; a stream that never repeats an event. `warm`: 2,000
// events of one desktop Chrome on 50 pages, which keeps every cache of the collector hot; kept to
// compare with figures measured before the realistic one existed.
import autocannon from 'autocannon';
import * as protocol from '../dist/protocol/index.js';
import { jsonTraffic, pixelTraffic } from './traffic/index.mjs';

const { computeChecksum, generateIdentifier, generatePageViewId } = protocol;

/** Desktop Chrome, so the user agent parser does the work it does for most real traffic. */
export const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const WORKLOAD_NAMES = ['realistic', 'warm'];

/**
 * `count` distinct pixel requests as divolte.js and Footfall's tracker send them: fresh page view and
 * event ids, party and session ids from a day and a minute ago, a checksum over the parameters (so
 * none is "corrupted"), every value through encodeURIComponent in the trackers' parameter order (so
 * `:` is escaped and `~` and `!` are not; URLSearchParams would escape those too).
 */
export function pixelRequests(count, { prefix = '/' } = {}) {
  const requests = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const pageView = generatePageViewId();
    const params = new URLSearchParams({
      p: generateIdentifier(now - 86_400_000),
      s: generateIdentifier(now - 60_000),
      v: pageView,
      e: `${pageView}0`,
      c: now.toString(36),
      n: i % 10 === 0 ? 't' : 'f',
      f: i % 5 === 0 ? 't' : 'f',
      l: `https://shop.example/products/${i % 50}?utm_source=news&utm_medium=email`,
      r: 'https://www.search.example/?q=shoes',
      i: (1920).toString(36),
      j: (1080).toString(36),
      k: (1.5).toString(36),
      w: (1440).toString(36),
      h: (900).toString(36),
      t: 'pageView',
    });
    params.append('x', computeChecksum(params));
    const query = [...params].map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
    requests.push({ method: 'GET', path: `${prefix}csc-event?${query}` });
  }
  return requests;
}

/** The warm pixel workload as autocannon takes it. */
export function pixelWorkload(count = 2000) {
  return { name: 'warm', requests: pixelRequests(count), headers: { 'user-agent': USER_AGENT } };
}

/** The warm JSON workload: one event per POST, as an app server would send them. */
export function jsonWorkload(count = 2000) {
  const requests = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const party = generateIdentifier(now - 86_400_000);
    requests.push({
      method: 'POST',
      path: `/json?p=${encodeURIComponent(party)}`,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: JSON.stringify({
        session_id: generateIdentifier(now - 60_000),
        event_id: `json-${i}`,
        is_new_party: false,
        is_new_session: i % 5 === 0,
        client_timestamp_iso: new Date(now).toISOString(),
        event_type: 'purchase',
        parameters: { sku: `sku-${i % 100}`, price: 19.95, quantity: 1 },
      }),
    });
  }
  return { name: 'warm', requests };
}

/**
 * The realistic workload of `kind` (`pixel` or `json`): `{ name, size, request(i) }`, an endless
 * stream whose first `size` requests are the generated events (options as traffic/index.mjs takes).
 */
export function realisticWorkload(kind, options = {}) {
  const { events, request } = kind === 'json' ? jsonTraffic(options) : pixelTraffic(protocol, options);
  return { name: 'realistic', size: events.length, request };
}

/**
 * A fresh `next()` over the workload's requests, each with its headers: a stream from its start, or
 * a fixed set round and round. One cursor per server run, shared by its phases, so the measured
 * window continues where the warm-up stopped.
 */
export function cursor(workload) {
  let i = 0;
  if (workload.request) return () => workload.request(i++);
  return () => {
    const request = workload.requests[i++ % workload.requests.length];
    return { ...request, headers: { ...workload.headers, ...request.headers } };
  };
}

/**
 * Drives a server on 127.0.0.1 as fast as it answers for `seconds`; resolves autocannon's result. A
 * fixed request set goes to autocannon as it is (every connection walks it from the start); a stream
 * is read through `next`, one request at a time for all connections together, so each event is sent
 * once. autocannon builds a request with a `setupRequest` anew each time, a few microseconds of the
 * load generator's CPU.
 */
export function saturate(port, workload, { seconds, connections, next }) {
  const requests = workload.request
    ? [
        {
          setupRequest: (defaults) => {
            const { method, path, headers, body } = next();
            return { ...defaults, method, path, headers: { ...headers }, body: body ?? defaults.body };
          },
        },
      ]
    : workload.requests;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        headers: workload.headers,
        requests,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}
