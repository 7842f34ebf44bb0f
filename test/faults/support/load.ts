/**
 * Load with known event ids, sent the three ways real clients send: JSON POSTs to the json source,
 * beacons (`POST {prefix}csc-event`, text/plain, one event query per line, as navigator.sendBeacon
 * sends them) and pixel GETs with valid checksums. Every id answered with success (JSON and beacon
 * 204, pixel 200) is recorded with its time; everything else is counted by kind and status.
 *
 * Clients go on through connection errors (a collector killed and restarting, a port not listening
 * yet), pausing briefly after each, and the whole load is bounded by a number of events and a time.
 */
import { Agent, request } from 'node:http';
import { pixelParams, pixelQuery } from '../../support/pixel.js';
import { SESSION } from '../../support/collector.js';
import { sleep } from './run.js';

export type Kind = 'json' | 'beacon' | 'pixel';

export interface Answer {
  readonly kind: Kind;
  /** When the success answer arrived (ms since the epoch). */
  readonly at: number;
}

interface Refusal {
  readonly kind: Kind;
  /** The party id it was sent for, so it can be sent again exactly. */
  readonly party: string;
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly at: number;
}

export interface LoadResult {
  /** Ids whose request was answered with success. */
  readonly answered: Map<string, Answer>;
  /** Ids whose request was answered with anything else (last answer per id). */
  readonly refused: Map<string, Refusal>;
  /** `"<kind> <status>"` or `"<kind> error"` → requests. */
  readonly statuses: Record<string, number>;
  /** Events sent (in requests that went out, answered or not). */
  readonly sent: number;
  /** Events in requests that got no answer at all (connection refused or reset, timeout). */
  readonly unanswered: number;
  readonly durationMs: number;
}

export interface LoadOptions {
  /** Base URL of the collector, e.g. http://127.0.0.1:8290. */
  readonly target: string | (() => string | undefined);
  /** Prefix of every event id: unique per scenario. */
  readonly runId: string;
  readonly clients?: number;
  /** Stop after this many events were sent... */
  readonly maxEvents: number;
  /** ...or after this long. */
  readonly maxMs: number;
  /** The kinds the clients rotate through. */
  readonly kinds?: readonly Kind[];
  readonly beaconEvents?: number;
  /** Requests per second over all clients (a beacon is one request); unlimited when absent. */
  readonly requestsPerSecond?: number;
  readonly requestTimeoutMs?: number;
  /** Pause of a client after a request that got no answer. */
  readonly errorPauseMs?: number;
}

export interface Load {
  /** Answered events so far. */
  answeredCount(): number;
  /** Events refused so far (answered with another status than success). */
  refusedCount(): number;
  sentCount(): number;
  /** Resolves once `n` events were answered with success (or the load ended). */
  whenAnswered(n: number): Promise<void>;
  /** Stops sending, waits for the requests in flight and returns the result. */
  stop(): Promise<LoadResult>;
  /** Resolves when the load ends by itself (bounds reached) or is stopped. */
  readonly done: Promise<LoadResult>;
}

/** A valid party id per client: `0:<timestamp>:<32 characters>`. */
function partyFor(client: number): string {
  return `0:i1t84hgy:ff${String(client).padStart(6, '0')}${'A'.repeat(24)}`;
}

function jsonBody(id: string, n = 0): string {
  return JSON.stringify({
    session_id: SESSION,
    event_id: id,
    is_new_party: false,
    is_new_session: false,
    client_timestamp_iso: new Date().toISOString(),
    event_type: 'fault',
    parameters: { n },
  });
}

function eventQuery(id: string, party: string): string {
  return pixelQuery(pixelParams({ p: party, e: id, t: 'fault' }));
}

export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  /**
   * False when the collector says it could not store the event. The pixel answers a browser 200 and
   * the GIF whatever happens (Divolte's contract), and marks an event it could not store with
   * `x-footfall-stored: false`: such an answer is no promise, so it is not counted as answered.
   */
  readonly stored: boolean;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request; rejects when no answer arrives (refused, reset, timed out). */
function httpRequest(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string> = {},
  body?: string,
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = request(
      url,
      {
        method,
        agent,
        headers: payload ? { ...headers, 'content-length': String(payload.length) } : headers,
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] ?? undefined,
            stored: res.headers['x-footfall-stored'] !== 'false',
          }),
        );
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function sendJson(base: string, party: string, id: string, n = 0, timeoutMs?: number) {
  return httpRequest(
    `${base}/json?p=${encodeURIComponent(party)}`,
    'POST',
    { 'content-type': 'application/json' },
    jsonBody(id, n),
    timeoutMs,
  );
}

function sendBeacon(base: string, party: string, ids: readonly string[], timeoutMs?: number) {
  return httpRequest(
    `${base}/csc-event`,
    'POST',
    { 'content-type': 'text/plain;charset=UTF-8' },
    ids.map((id) => eventQuery(id, party)).join('\n'),
    timeoutMs,
  );
}

function sendPixel(base: string, party: string, id: string, timeoutMs?: number) {
  return httpRequest(`${base}/csc-event?${eventQuery(id, party)}`, 'GET', {}, undefined, timeoutMs);
}

const SUCCESS: Record<Kind, number> = { json: 204, beacon: 204, pixel: 200 };

export function startLoad(o: LoadOptions): Load {
  const clients = o.clients ?? 6;
  const kinds = o.kinds ?? (['json', 'beacon', 'pixel'] as const);
  const beaconEvents = o.beaconEvents ?? 3;
  const timeoutMs = o.requestTimeoutMs ?? 10_000;
  const errorPauseMs = o.errorPauseMs ?? 25;
  const target = typeof o.target === 'string' ? () => o.target as string : o.target;
  const interval = o.requestsPerSecond ? (clients * 1000) / o.requestsPerSecond : 0;

  const answered = new Map<string, Answer>();
  const refused = new Map<string, Refusal>();
  const statuses: Record<string, number> = {};
  let sent = 0;
  let unanswered = 0;
  let serial = 0;
  let stopped = false;
  const started = Date.now();
  const deadline = started + o.maxMs;
  const waiters: { n: number; resolve: () => void }[] = [];

  const count = (key: string): void => {
    statuses[key] = (statuses[key] ?? 0) + 1;
  };
  const wake = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (answered.size >= waiters[i]!.n || stopped) {
        waiters[i]!.resolve();
        waiters.splice(i, 1);
      }
    }
  };

  const client = async (index: number): Promise<void> => {
    const party = partyFor(index);
    let turn = index;
    while (!stopped && sent < o.maxEvents && Date.now() < deadline) {
      const began = Date.now();
      const kind = kinds[turn++ % kinds.length]!;
      const base = target();
      if (base === undefined) {
        await sleep(errorPauseMs);
        continue;
      }
      const n = kind === 'beacon' ? beaconEvents : 1;
      const ids = Array.from({ length: n }, () => `${o.runId}-${kind[0]}${serial++}`);
      sent += n;
      try {
        const answer =
          kind === 'json'
            ? await sendJson(base, party, ids[0]!, serial, timeoutMs)
            : kind === 'beacon'
              ? await sendBeacon(base, party, ids, timeoutMs)
              : await sendPixel(base, party, ids[0]!, timeoutMs);
        count(`${kind} ${answer.status}`);
        const at = Date.now();
        if (answer.status === SUCCESS[kind] && answer.stored) {
          for (const id of ids) answered.set(id, { kind, at });
          wake();
        } else {
          for (const id of ids)
            refused.set(id, { kind, party, status: answer.status, retryAfter: answer.retryAfter, at });
        }
      } catch {
        count(`${kind} error`);
        unanswered += n;
        await sleep(errorPauseMs);
      }
      if (interval > 0) await sleep(interval - (Date.now() - began));
    }
  };

  const done = Promise.all(Array.from({ length: clients }, (_, i) => client(i))).then(() => {
    stopped = true;
    wake();
    return { answered, refused, statuses, sent, unanswered, durationMs: Date.now() - started };
  });

  return {
    answeredCount: () => answered.size,
    refusedCount: () => refused.size,
    sentCount: () => sent,
    whenAnswered(n) {
      if (answered.size >= n || stopped) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    stop() {
      stopped = true;
      return done;
    },
    done,
  };
}
