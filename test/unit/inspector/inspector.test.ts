import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/inspector/filter.js';
import { Inspector } from '../../../src/inspector/inspector.js';
import type { InspectorMessage } from '../../../src/inspector/message.js';
import type { Outcome, Sighting } from '../../../src/pipeline/index.js';
import { waitFor } from '../../support/wait.js';

/** A response that takes `room` writes, then reports a full socket until drain() is called. */
class FakeResponse extends EventEmitter {
  readonly frames: string[] = [];
  status = 0;
  constructor(private room = Infinity) {
    super();
  }
  writeHead(status: number): this {
    this.status = status;
    return this;
  }
  write(frame: string): boolean {
    this.frames.push(frame);
    return --this.room > 0;
  }
  end(): void {
    this.emit('close');
  }
  drain(room: number): void {
    this.room = room;
    this.emit('drain');
  }
  messages(): InspectorMessage[] {
    return this.frames
      .filter((frame) => frame.startsWith('id: '))
      .map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as InspectorMessage);
  }
}

const asResponse = (fake: FakeResponse) => fake as unknown as ServerResponse;

function sighting(sourceName: string, outcome: Outcome): Sighting {
  return { sourceName, receivedAt: 0, outcome, count: 1, duplicate: false, routes: [] };
}

const ACCEPTED: Outcome = { kind: 'accepted' };
const INVALID: Outcome = { kind: 'invalid', reason: 'bad_identifier', detail: 'p is missing' };

let hub: Inspector | undefined;
afterEach(() => hub?.close());

function newHub(options: Partial<ConstructorParameters<typeof Inspector>[0]> = {}): Inspector {
  hub = new Inspector({ bufferSize: 500, maxEventsPerSecond: 10_000, readers: new Map(), ...options });
  return hub;
}

describe('the inspector hub', () => {
  it('watches only while a client is attached', () => {
    const inspector = newHub();
    expect(inspector.watching).toBe(false);
    const page = new FakeResponse();
    inspector.attach(asResponse(page), {});
    expect(page.status).toBe(200);
    expect(inspector.watching).toBe(true);
    page.end();
    expect(inspector.watching).toBe(false);
  });

  it('sends each event to the clients whose filter it matches, after the turn', async () => {
    const inspector = newHub();
    const all = new FakeResponse();
    const refusals = new FakeResponse();
    inspector.attach(asResponse(all), {});
    inspector.attach(asResponse(refusals), parseFilter({ outcome: 'invalid' }));
    inspector.see(sighting('web', ACCEPTED));
    inspector.see(sighting('app', INVALID));
    expect(all.messages()).toEqual([]); // nothing is built on the event's own path
    await waitFor(() => all.messages().length === 2);
    expect(all.messages().map((m) => m.source)).toEqual(['web', 'app']);
    expect(refusals.messages().map((m) => [m.source, m.outcome])).toEqual([
      ['app', { kind: 'invalid', reason: 'bad_identifier', detail: 'p is missing' }],
    ]);
  });

  it('replays the ring to a late client, newer than its Last-Event-ID only', async () => {
    const inspector = newHub({ bufferSize: 3 });
    const first = new FakeResponse();
    inspector.attach(asResponse(first), {});
    for (const source of ['a', 'b', 'c', 'd']) inspector.see(sighting(source, ACCEPTED));
    await waitFor(() => first.messages().length === 4);
    const late = new FakeResponse();
    inspector.attach(asResponse(late), {});
    expect(late.messages().map((m) => m.source)).toEqual(['b', 'c', 'd']);
    const reconnected = new FakeResponse();
    inspector.attach(asResponse(reconnected), {}, 3);
    expect(reconnected.messages().map((m) => m.source)).toEqual(['d']);
  });

  it('never waits for a slow client: a bounded queue, then drops with a count', async () => {
    const inspector = newHub({ clientQueue: 5 });
    const slow = new FakeResponse(3); // the socket is full after three frames
    const fast = new FakeResponse();
    inspector.attach(asResponse(slow), {});
    inspector.attach(asResponse(fast), {});
    for (let i = 0; i < 20; i++) inspector.see(sighting(`s${i}`, ACCEPTED));
    await waitFor(() => fast.messages().length === 20);
    // retry + stats + one message were written; five queued; the other fourteen dropped.
    expect(slow.messages()).toHaveLength(1);
    expect(inspector.stats().droppedForSlowClients).toBe(14);
    slow.drain(Infinity);
    expect(slow.messages().map((m) => m.source)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
  });

  it('samples events and refusals each within their own budget', () => {
    const inspector = newHub({ maxEventsPerSecond: 4 });
    let events = 0;
    for (let i = 0; i < 100; i++) if (inspector.admit('event')) events++;
    // A flood of events leaves the refusals' budget whole.
    expect(inspector.admit('refusal')).toBe(true);
    expect(events).toBe(1);
    expect(inspector.stats().sampledOut).toBe(99);
  });
});
