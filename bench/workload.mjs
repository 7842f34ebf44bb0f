// Request sets and the saturating driver shared by benchmark scripts. Needs the compiled protocol in
// dist/ (npm run build).
import autocannon from 'autocannon';
import { computeChecksum, generateIdentifier, generatePageViewId } from '../dist/protocol/index.js';

/** Desktop Chrome, so the user agent parser does the work it does for most real traffic. */
export const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

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

/** The pixel workload as autocannon takes it. */
export function pixelWorkload(count = 2000) {
  return { requests: pixelRequests(count), headers: { 'user-agent': USER_AGENT } };
}

/** Drives a server on 127.0.0.1 as fast as it answers for `seconds`; resolves autocannon's result. */
export function saturate(port, workload, { seconds, connections }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        headers: workload.headers,
        requests: workload.requests,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}
