import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  DuplicateMemory,
  Ingest,
  mapFootfall,
  OutcomeCounter,
  type MappingRoute,
} from '../../../src/pipeline/index.js';
import { createCodec, loadBuiltinSchema } from '../../../src/schema/index.js';
import { MemorySink } from '../../../src/sinks/index.js';
import { createClientAddressPolicy } from '../../../src/server/client-address.js';
import type { RunningCollector } from '../../../src/collector/collector.js';
import { browserEvents } from '../../../src/server/sources/browser/pixel.js';
import { defaultBrowserSource, inProcessCollector, readPublished } from '../../support/collector.js';
import { pixelParams, pixelQuery } from '../../support/pixel.js';

/**
 * The pixel answers first and runs the pipeline over each event-loop turn's events afterwards. These
 * tests pin down what that must not cost: an event is never lost or changed by waiting for its batch.
 */

/** Just enough of Node's request and response for the pixel handler. */
function fakeExchange(query: string): { request: IncomingMessage; response: ServerResponse; sent: number[] } {
  const sent: number[] = [];
  const request = {
    url: `/csc-event?${query}`,
    headers: { 'user-agent': 'Mozilla/5.0 batch test' },
    socket: { remoteAddress: '192.0.2.7' },
  } as unknown as IncomingMessage;
  const response = {
    writeHead: (status: number) => sent.push(status),
    end: () => undefined,
  } as unknown as ServerResponse;
  return { request, response, sent };
}

/** A seam that fails the test on any exception it catches, instead of logging it. */
function strictIngest(outcomes: OutcomeCounter): Ingest {
  const caught: unknown[] = [];
  onTestFinished(() => expect(caught).toEqual([]));
  return new Ingest({ duplicates: new DuplicateMemory(1000), outcomes }, (err) => caught.push(err));
}

describe('pixel events taken in batches after the answer', () => {
  it('answers once its batch is processed and committed, with the client address read on arrival', () => {
    const outcomes = new OutcomeCounter();
    const sink = new MemorySink({ acceptBeforeStart: true });
    const codec = createCodec(loadBuiltinSchema('footfall'));
    const route: MappingRoute = {
      name: 'clicks',
      mapper: mapFootfall,
      encoder: codec,
      discardCorrupted: false,
      discardDuplicates: false,
      destinations: [sink],
    };
    const events = browserEvents({
      name: 'browser',
      source: defaultBrowserSource(),
      routes: [route],
      ingest: strictIngest(outcomes),
      addresses: createClientAddressPolicy([]),
      now: () => 1_700_000_000_000,
    });
    const exchange = fakeExchange(pixelQuery());
    events.pixel(exchange.request, exchange.response);
    // Not answered yet: the batch runs on the next turn of the event loop or on flush(), and the
    // answer waits for its records to be committed.
    expect(exchange.sent).toEqual([]);
    expect(outcomes.total()).toBe(0);
    // The connection is gone by the time the batch runs; the address was taken while it was there.
    (exchange.request as unknown as { socket: { remoteAddress: string | undefined } }).socket.remoteAddress =
      undefined;
    events.flush();
    expect(exchange.sent).toEqual([200]);
    expect(outcomes.snapshot()).toEqual({ accepted: 1 });
    const [record] = sink.records().map(({ value }) => codec.decode(value));
    expect(record).toMatchObject({ remoteHost: '192.0.2.7', timestamp: 1_700_000_000_000 });
    // A second flush has nothing left to do.
    events.flush();
    expect(outcomes.total()).toBe(1);
  });

  it('runs the batch by itself on the next turn of the event loop', async () => {
    const outcomes = new OutcomeCounter();
    const events = browserEvents({
      name: 'browser',
      source: defaultBrowserSource(),
      routes: [],
      ingest: strictIngest(outcomes),
      addresses: createClientAddressPolicy([]),
      now: Date.now,
    });
    for (let i = 0; i < 5; i++) {
      const exchange = fakeExchange(pixelQuery(pixelParams({ e: `0:1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF${i}` })));
      events.pixel(exchange.request, exchange.response);
    }
    events.pixel(fakeExchange('p=broken').request, fakeExchange('').response);
    expect(outcomes.total()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    // No route: valid events are accepted by nobody but still end in one outcome each.
    expect(outcomes.total()).toBe(6);
    expect(outcomes.total('invalid')).toBe(1);
  });
});

describe('pixel events over real sockets', () => {
  let collector: RunningCollector | undefined;
  afterEach(async () => {
    await collector?.shutdown();
    collector = undefined;
  });

  it('keeps every event of clients that hang up right after the answer, and shutdown takes the last batch', async () => {
    const started = await inProcessCollector('server: { shutdownDelay: 0, port: 0, host: 127.0.0.1 }\n');
    collector = started.collector;
    await collector.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = collector.app.server.address() as { port: number };
    const count = 40;
    const answered = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        hangUpAfterAnswer(
          port,
          `/csc-event?${pixelQuery(pixelParams({ e: `0:1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF${i}` }))}`,
        ),
      ),
    );
    expect(answered.every((status) => status === 200)).toBe(true);
    // Shut down in the same turn as the last answer: the onClose hook must flush what is waiting.
    const outcomes = (await collector.shutdown()).outcomes;
    collector = undefined;
    expect(outcomes).toEqual({ accepted: count });
    const records = await readPublished(path.join(started.dir, 'data', 'published'));
    expect(records).toHaveLength(count);
    expect(new Set(records.map((record) => record.remoteHost))).toEqual(new Set(['127.0.0.1']));
    expect(new Set(records.map((record) => record.eventId)).size).toBe(count);
  });
});

/** Sends one GET and destroys the socket as soon as the status line is in; resolves the status. */
function hangUpAfterAnswer(port: number, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.destroy();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0));
    });
    socket.write(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 test\r\n\r\n`);
  });
}
