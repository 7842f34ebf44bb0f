import { describe, expect, it } from 'vitest';
import type { Destination, MappingRoute } from '../../../src/pipeline/dispatch.js';
import type { ClientEvent } from '../../../src/pipeline/event.js';
import { DuplicateMemory } from '../../../src/pipeline/flags.js';
import { Ingest, type EventReader } from '../../../src/pipeline/ingest.js';
import type { EventObserver, RequestView, Sighting } from '../../../src/pipeline/inspect.js';
import { SYNTHETIC_EVENTS } from '../../../src/pipeline/map/synthetic.js';
import { OutcomeCounter } from '../../../src/pipeline/outcomes.js';

const event: ClientEvent = { ...SYNTHETIC_EVENTS[0]!.event, sourceName: 'web' };

const route = (destination: Destination): MappingRoute => ({
  name: 'm',
  mapper: (e) => ({ id: e.eventId }),
  encoder: { encode: (record) => Buffer.from(JSON.stringify(record)) },
  discardCorrupted: false,
  discardDuplicates: false,
  destinations: [destination],
});

const view: RequestView = {
  method: 'GET',
  path: '/csc-event',
  receivedAt: 1,
  clientAddress: '127.0.0.1',
  userAgent: null,
  cookies: [],
};

class Watcher implements EventObserver {
  readonly seen: Sighting[] = [];
  readonly asked: string[] = [];
  /** What admit() answers, by kind. */
  follows = { event: true, refusal: true };
  constructor(public watching: boolean) {}
  admit(kind: 'event' | 'refusal'): boolean {
    this.asked.push(kind);
    return this.follows[kind];
  }
  see(sighting: Sighting): void {
    this.seen.push(sighting);
  }
}

function setUp(watching: boolean, commits = true) {
  const observer = new Watcher(watching);
  const ingest = new Ingest(
    { duplicates: new DuplicateMemory(100), outcomes: new OutcomeCounter(), observer },
    () => undefined,
  );
  const destination: Destination = { name: 'files', offer: () => true, commit: () => commits };
  return { observer, ingest, routes: [route(destination)] };
}

/** A reader of event ids ('bad' is invalid) that counts how often the seam asks for its request view. */
function describingReader(): { reader: EventReader<string>; described: () => number } {
  let described = 0;
  const reader: EventReader<string> = (input) =>
    input === 'bad'
      ? { ok: false, reason: 'bad_identifier', message: 'p is missing' }
      : { ok: true, event: { ...event, eventId: input } };
  reader.describe = () => {
    described++;
    return view;
  };
  return { reader, described: () => described };
}

describe('the ingest seam and the inspector', () => {
  it('tells a watching inspector of every event with its final outcome, records included', () => {
    const { observer, ingest, routes } = setUp(true);
    const { reader, described } = describingReader();
    ingest.read('web', routes, reader, 'bad');
    ingest.read('web', routes, reader, 'e1');
    ingest.reject('app', 'bad_json', 3, 'not JSON', { ...view, method: 'POST' });
    // The accepted event waits for the commit: only then is its outcome final.
    expect(observer.seen.map((s) => s.outcome.kind)).toEqual(['invalid', 'invalid']);
    ingest.commit();
    expect(described()).toBe(2);
    const [invalid, refused, accepted] = observer.seen;
    expect(invalid).toMatchObject({
      sourceName: 'web',
      outcome: { kind: 'invalid', reason: 'bad_identifier', detail: 'p is missing' },
      request: view,
      routes: [],
    });
    expect(refused).toMatchObject({ sourceName: 'app', count: 3, request: { method: 'POST' } });
    expect(accepted!.outcome).toEqual({ kind: 'accepted' });
    expect(accepted!.event!.eventId).toBe('e1');
    expect(accepted!.routes).toHaveLength(1);
    expect(accepted!.routes[0]).toMatchObject({
      mapping: 'm',
      sinks: ['files'],
      outcome: { kind: 'accepted' },
    });
    expect(JSON.parse(accepted!.routes[0]!.value!.toString())).toEqual({ id: 'e1' });
  });

  it('shows an event its journal could not write as dropped: not_stored', () => {
    const { observer, ingest, routes } = setUp(true, false);
    ingest.take(event, routes, view);
    ingest.commit();
    expect(observer.seen.map((s) => s.outcome)).toEqual([{ kind: 'dropped', reason: 'not_stored' }]);
  });

  it('asks the sampler before building anything, and still shows a refusal it did not follow', () => {
    const { observer, ingest, routes } = setUp(true);
    observer.follows = { event: false, refusal: true };
    const { reader, described } = describingReader();
    ingest.read('web', routes, reader, 'e1');
    ingest.read('web', [], reader, 'e2'); // failed: no_mapping, not followed but shown
    ingest.commit();
    expect(observer.seen.map((s) => [s.outcome.kind, s.routes.length, s.request?.path])).toEqual([
      ['failed', 0, '/csc-event'],
    ]);
    expect(described()).toBe(1);
    observer.follows = { event: false, refusal: false };
    ingest.read('web', routes, reader, 'bad');
    expect(observer.seen).toHaveLength(1);
    expect(described()).toBe(1);
  });

  it('builds nothing and describes nothing while nobody watches', () => {
    const { observer, ingest, routes } = setUp(false);
    const reader: EventReader<string> = () => ({ ok: true, event });
    reader.describe = () => {
      throw new Error('must not be called');
    };
    ingest.read('web', routes, reader, 'x');
    ingest.reject('web', 'bad_request', 1);
    ingest.commit();
    expect(ingest.watching).toBe(false);
    expect(observer.seen).toEqual([]);
    expect(observer.asked).toEqual([]);
  });

  it('keeps counting when the inspector throws', () => {
    const outcomes = new OutcomeCounter();
    const errors: unknown[] = [];
    const observer: EventObserver = {
      watching: true,
      admit: () => true,
      see: () => {
        throw new Error('inspector bug');
      },
    };
    const ingest = new Ingest({ duplicates: new DuplicateMemory(10), outcomes, observer }, (err) =>
      errors.push(err),
    );
    ingest.reject('web', 'bad_request', 1);
    expect(outcomes.snapshot()).toEqual({ 'invalid:bad_request': 1 });
    expect(errors).toHaveLength(1);
  });
});
