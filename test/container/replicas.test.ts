/**
 * Three replicas of the image behind HAProxy with the shipped docker/load-balancer/ files, as a
 * deployment runs them: each replica has its own data volume, the balancer hashes on the party id
 * and checks readiness. Under load: events spread over all three, the stored remote address is the
 * client's (a forged X-Forwarded-For is ignored), a repeated event is flagged a duplicate as often as
 * one instance flags it, a graceful stop loses nothing and turns no client away, and a replica
 * SIGKILLed and restarted loses none of the events it answered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podman, podmanAsync } from '../../scripts/container/image.mjs';
import { readPublished, SESSION } from '../support/collector.js';
import { ROOT } from '../support/cli.js';
import { pixelParams, pixelQuery } from '../support/pixel.js';
import { waitFor } from '../support/wait.js';
import { freePort } from '../faults/support/collector.js';
import { startLoad, type LoadResult } from '../faults/support/load.js';
import {
  removeAll,
  runContainer,
  state,
  stopContainer,
  waitReady,
  type Container,
} from './support/containers.js';

const LB_DIR = path.join(ROOT, 'docker', 'load-balancer');
/** Where the test's clients come from: not the balancer's 127.0.0.1, so the two can be told apart. */
const CLIENT_ADDRESS = '127.0.0.2';
const FORGED = '203.0.113.7';
const REPEATS = 6;

let replicas: Container[] = [];
let haproxy: ChildProcess | undefined;
let haproxyLog = '';
let lb = '';

interface Sent {
  status: number;
}

/** One request from CLIENT_ADDRESS, carrying a forged X-Forwarded-For the balancer must not pass as the client. */
function send(url: string, o: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Sent>((resolve, reject) => {
    const req = request(
      url,
      {
        method: o.method ?? 'GET',
        localAddress: CLIENT_ADDRESS,
        headers: { 'x-forwarded-for': FORGED, ...o.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

const party = (n: number): string => `0:i1t84hgy:lb${String(n).padStart(6, '0')}${'B'.repeat(24)}`;
const pixelUrl = (base: string, id: string, p: string): string =>
  `${base}/csc-event?${pixelQuery(pixelParams({ p, e: id, t: 'lb' }))}`;

async function startHaproxy(): Promise<void> {
  const port = await freePort();
  lb = `http://127.0.0.1:${port}`;
  haproxy = spawn('haproxy', ['-db', '-f', path.join(LB_DIR, 'haproxy.cfg')], {
    env: {
      ...process.env,
      FOOTFALL_LB_BIND: `127.0.0.1:${port}`,
      ...Object.fromEntries(replicas.map((r, i) => [`FOOTFALL_REPLICA_${i + 1}`, `127.0.0.1:${r.port}`])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  haproxy.stdout?.on('data', (chunk: Buffer) => (haproxyLog += chunk.toString()));
  haproxy.stderr?.on('data', (chunk: Buffer) => (haproxyLog += chunk.toString()));
  await waitFor(
    async () => {
      try {
        return (await fetch(`${lb}/ping`)).status === 200;
      } catch {
        return false;
      }
    },
    { timeout: 20_000, interval: 100, message: () => `haproxy to answer; its log:\n${haproxyLog}` },
  );
}

/** The balancer still routes only to ready replicas once the one named here is ready again. */
async function restart(c: Container): Promise<void> {
  await podmanAsync(['start', c.name], { quiet: true });
  await waitReady(c);
}

/** A load through the balancer: JSON and pixel events (both carry `p`), 24 parties. */
function load(runId: string, maxMs: number) {
  return startLoad({
    target: lb,
    runId,
    clients: 24,
    kinds: ['json', 'pixel'],
    maxEvents: 100_000,
    maxMs,
    requestsPerSecond: 400,
  });
}

const errorsOf = (result: LoadResult): Record<string, number> =>
  Object.fromEntries(Object.entries(result.statuses).filter(([key]) => !/^(json 204|pixel 200)$/.test(key)));

let spread: LoadResult;
let graceful: LoadResult;
let killed: LoadResult;
let killedAt = 0;
/** Every stored record, by replica, read once all replicas stopped. */
let stored: Record<string, unknown>[][] = [];

beforeAll(async () => {
  replicas = await Promise.all(
    [1, 2, 3].map((n) =>
      runContainer({
        prefix: `replica${n}`,
        configFile: path.join(LB_DIR, 'footfall.yaml'),
        // The balancer runs on the host here and connects from loopback.
        env: { FOOTFALL_TRUST_PROXIES: '127.0.0.1' },
      }),
    ),
  );
  await startHaproxy();
}, 120_000);

afterAll(() => {
  haproxy?.kill('SIGTERM');
  removeAll();
});

describe('three replicas behind HAProxy', () => {
  it('take a load hashed by party id with no client error', async () => {
    spread = await load('spread', 4000).done;
    expect(errorsOf(spread)).toEqual({});
    expect(spread.answered.size).toBeGreaterThan(500);
  });

  it('see the client address, not a forged hop, and repeat events reach the replica that saw them first', async () => {
    for (let i = 0; i < 10; i++) expect((await send(pixelUrl(lb, `addr-${i}`, party(i)))).status).toBe(200);
    for (let i = 0; i < REPEATS; i++) {
      // By `p`, through the balancer...
      expect((await send(pixelUrl(lb, 'dup-by-param', party(100)))).status).toBe(200);
      // ...by the `_dvp` cookie alone (a beacon: its `p` is in the body, which the balancer does not read)...
      const beacon = await send(`${lb}/csc-event`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', cookie: `_dvp=${party(101)}` },
        body: pixelQuery(pixelParams({ p: party(101), s: SESSION, e: 'dup-by-cookie', t: 'lb' })),
      });
      expect(beacon.status).toBe(204);
      // ...and to one replica directly, the baseline.
      expect((await send(pixelUrl(replicas[0]!.base, 'dup-direct', party(102)))).status).toBe(200);
    }
  });

  it('lose nothing and turn no client away when a replica stops gracefully under load', async () => {
    const running = load('graceful', 12_000);
    await running.whenAnswered(600);
    const exitCode = await stopContainer(replicas[1]!.name);
    expect(exitCode).toBe(0);
    graceful = await running.done;
    expect(errorsOf(graceful), haproxyLog.slice(-3000)).toEqual({});
    expect(graceful.unanswered).toBe(0);
    await restart(replicas[1]!);
  });

  it('lose no answered event when a replica is SIGKILLed under load and restarted', async () => {
    const running = load('killed', 15_000);
    await running.whenAnswered(600);
    killedAt = Date.now();
    podman(['kill', '--signal', 'KILL', replicas[2]!.name]);
    await waitFor(() => state(replicas[2]!.name).status === 'exited');
    expect(state(replicas[2]!.name).exitCode).toBe(137);
    await restart(replicas[2]!);
    killed = await running.done;
    expect(killed.answered.size).toBeGreaterThan(1000);
  });

  it('stored what they answered: spread over all three, client addresses, duplicates as with one', async () => {
    for (const replica of replicas) expect(await stopContainer(replica.name)).toBe(0);
    stored = await Promise.all(replicas.map((r) => readPublished(path.join(r.dataDir, 'published'))));
    const all = stored.flat();
    const ids = new Set(all.map((r) => r.eventId as string));

    const perReplica = stored.map(
      (records) => records.filter((r) => String(r.eventId).startsWith('spread-')).length,
    );
    console.log(`REPLICAS spread ${perReplica.join('/')} of ${spread.answered.size} answered`);
    for (const count of perReplica) expect(count).toBeGreaterThan(spread.answered.size / 10);

    const addresses = all.filter((r) => String(r.eventId).startsWith('addr-'));
    expect(addresses).toHaveLength(10);
    for (const record of addresses) expect(record.remoteHost).toBe(CLIENT_ADDRESS);

    const flagged = (id: string) => {
      const copies = all.filter((r) => r.eventId === id);
      expect(copies).toHaveLength(REPEATS);
      return copies.filter((r) => r.detectedDuplicate === true).length;
    };
    const direct = flagged('dup-direct');
    expect(direct).toBe(REPEATS - 1);
    expect(flagged('dup-by-param')).toBe(direct);
    expect(flagged('dup-by-cookie')).toBe(direct);

    const lost = (result: LoadResult) => [...result.answered.keys()].filter((id) => !ids.has(id));
    console.log(
      `REPLICAS graceful stop: ${graceful.answered.size} answered, ${lost(graceful).length} lost, ` +
        `statuses ${JSON.stringify(graceful.statuses)}; SIGKILL: ${killed.answered.size} answered, ` +
        `${lost(killed).length} lost, statuses ${JSON.stringify(killed.statuses)}`,
    );
    expect(lost(spread)).toEqual([]);
    expect(lost(graceful)).toEqual([]);
    expect(lost(killed)).toEqual([]);
    // The SIGKILLed replica had answered events of that phase before it died, and kept them.
    const answeredBeforeKill = new Set(
      [...killed.answered].filter(([, answer]) => answer.at < killedAt).map(([id]) => id),
    );
    const keptByKilled = stored[2]!.filter((r) => answeredBeforeKill.has(r.eventId as string)).length;
    console.log(
      `REPLICAS the SIGKILLed replica had answered and kept ${keptByKilled} events from before the kill`,
    );
    expect(keptByKilled).toBeGreaterThan(0);
  }, 180_000);
});
