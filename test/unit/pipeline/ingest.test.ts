import { describe, expect, it } from 'vitest';
import type { Destination, MappingRoute } from '../../../src/pipeline/dispatch.js';
import type { ClientEvent } from '../../../src/pipeline/event.js';
import { DuplicateMemory } from '../../../src/pipeline/flags.js';
import { Ingest, type EventReading, type Taken } from '../../../src/pipeline/ingest.js';
import { SYNTHETIC_EVENTS } from '../../../src/pipeline/map/synthetic.js';
import { OutcomeCounter, type Outcome } from '../../../src/pipeline/outcomes.js';

const event: ClientEvent = { ...SYNTHETIC_EVENTS[0]!.event, sourceName: 'web' };
const second: ClientEvent = { ...event, eventId: `${event.pageViewId}1` };

function route(destination: Destination): MappingRoute {
  return {
    name: 'm',
    mapper: (e) => ({ id: e.eventId }),
    encoder: { encode: (record) => Buffer.from(JSON.stringify(record)) },
    discardCorrupted: false,
    discardDuplicates: false,
    destinations: [destination],
  };
}

const keeps: Destination = { name: 'keeps', offer: () => true, commit: () => true };

function setUp() {
  const outcomes = new OutcomeCounter();
  const heard: [Outcome, string, number][] = [];
  outcomes.onOutcome((outcome, source, count) => heard.push([outcome, source, count]));
  const errors: [unknown, string][] = [];
  const ingest = new Ingest({ duplicates: new DuplicateMemory(100), outcomes }, (err, source) =>
    errors.push([err, source]),
  );
  /** The outcome once the turn's group is committed, as a source answers from it. */
  const settle = (taken: Taken): Outcome => {
    ingest.commit();
    return taken.outcome;
  };
  return { outcomes, heard, errors, ingest, settle };
}

describe('the ingest seam', () => {
  it('records the one outcome of an event it takes through the pipeline, and returns it', () => {
    const { outcomes, heard, errors, ingest, settle } = setUp();
    expect(settle(ingest.take(event, [route(keeps)]))).toEqual({ kind: 'accepted' });
    expect(settle(ingest.take(event, []))).toEqual({ kind: 'failed', reason: 'no_mapping' });
    expect(outcomes.snapshot()).toEqual({ accepted: 1, 'failed:no_mapping': 1 });
    expect(heard.map(([, source, count]) => [source, count])).toEqual([
      ['web', 1],
      ['web', 1],
    ]);
    expect(errors).toEqual([]);
  });

  it('counts an event the pipeline throws on as failed, reports it, and takes the next one', () => {
    const { outcomes, errors, ingest, settle } = setUp();
    const broken = new Error('a bug in a destination');
    let calls = 0;
    const flaky: Destination = {
      name: 'flaky',
      offer: () => {
        if (calls++ === 0) throw broken;
        return true;
      },
      commit: () => true,
    };
    expect(settle(ingest.take(event, [route(flaky)]))).toEqual({ kind: 'failed', reason: 'internal_error' });
    expect(settle(ingest.take(second, [route(flaky)]))).toEqual({ kind: 'accepted' });
    expect(outcomes.snapshot()).toEqual({ accepted: 1, 'failed:internal_error': 1 });
    expect(errors).toEqual([[broken, 'web']]);
  });

  it('reads raw input with the source’s reader: invalid with its reason, failed when it throws', () => {
    const { outcomes, errors, ingest, settle } = setUp();
    const reader = (input: string): EventReading => {
      if (input === 'throw') throw new Error('reader bug');
      if (input === 'bad') return { ok: false, reason: 'bad_identifier', message: 'p is missing' };
      return { ok: true, event: { ...event, eventId: input } };
    };
    expect(settle(ingest.read('web', [route(keeps)], reader, 'e1'))).toEqual({ kind: 'accepted' });
    expect(settle(ingest.read('web', [route(keeps)], reader, 'bad'))).toEqual({
      kind: 'invalid',
      reason: 'bad_identifier',
      detail: 'p is missing',
    });
    expect(settle(ingest.read('web', [route(keeps)], reader, 'throw'))).toEqual({
      kind: 'failed',
      reason: 'internal_error',
    });
    expect(outcomes.snapshot()).toEqual({
      accepted: 1,
      'failed:internal_error': 1,
      'invalid:bad_identifier': 1,
    });
    expect(errors.map(([err, source]) => [(err as Error).message, source])).toEqual([['reader bug', 'web']]);
  });

  it('counts every event of a refused request once, with the kind its reason belongs to', () => {
    const { outcomes, heard, ingest } = setUp();
    ingest.reject('app', 'bad_request', 101);
    ingest.reject('app', 'queue_full', 3);
    ingest.reject('web', 'internal_error', 1);
    // A request whose events cannot be told apart still leaves a trace: it counts as one.
    ingest.reject('app', 'bad_json', 0);
    expect(outcomes.snapshot()).toEqual({
      'dropped:queue_full': 3,
      'failed:internal_error': 1,
      'invalid:bad_json': 1,
      'invalid:bad_request': 101,
    });
    expect(heard).toEqual([
      [{ kind: 'invalid', reason: 'bad_request' }, 'app', 101],
      [{ kind: 'dropped', reason: 'queue_full' }, 'app', 3],
      [{ kind: 'failed', reason: 'internal_error' }, 'web', 1],
      [{ kind: 'invalid', reason: 'bad_json' }, 'app', 1],
    ]);
  });

  it('never lets a failing listener or log escape, and counts the event exactly once', () => {
    const outcomes = new OutcomeCounter();
    outcomes.onOutcome(() => {
      throw new Error('metrics bug');
    });
    const ingest = new Ingest({ duplicates: new DuplicateMemory(100), outcomes }, () => {
      throw new Error('the log is gone');
    });
    const taken = ingest.take(event, [route(keeps)]);
    ingest.commit();
    expect(taken.outcome).toEqual({ kind: 'accepted' });
    expect(() => ingest.reject('web', 'too_large', 2)).not.toThrow();
    expect(outcomes.snapshot()).toEqual({ accepted: 1, 'invalid:too_large': 2 });
  });

  it('counts an event accepted only once every destination that took its records has committed', () => {
    const { outcomes, ingest } = setUp();
    let commits = 0;
    let failing = false;
    const journal: Destination = {
      name: 'journal',
      offer: () => true,
      commit: () => (commits++, !failing),
    };
    const first = ingest.take(event, [route(journal)]);
    const other = ingest.take(second, [route(journal), route(keeps)]);
    // Nothing is counted before the commit: the answer must not leave before the journal write.
    expect(outcomes.snapshot()).toEqual({});
    ingest.commit();
    expect(commits).toBe(1);
    expect([first.outcome, other.outcome]).toEqual([{ kind: 'accepted' }, { kind: 'accepted' }]);
    expect(outcomes.snapshot()).toEqual({ accepted: 2 });

    failing = true;
    const third: ClientEvent = { ...event, eventId: `${event.pageViewId}3` };
    const lost = ingest.take(third, [route(journal)]);
    ingest.commit();
    expect(lost.outcome).toEqual({ kind: 'dropped', reason: 'not_stored' });
    expect(outcomes.snapshot()).toEqual({ accepted: 2, 'dropped:not_stored': 1 });
  });

  it('forgets the duplicate signature of an event that was not stored, so its retry is not flagged', () => {
    const { ingest } = setUp();
    let failing = true;
    const journal: Destination = { name: 'journal', offer: () => true, commit: () => !failing };
    const flagged: boolean[] = [];
    const watching: MappingRoute = {
      ...route(journal),
      mapper: (e, context) => (flagged.push(context.flags.duplicate), { id: e.eventId }),
    };
    ingest.take(event, [watching]);
    ingest.commit();
    failing = false;
    const retry = ingest.take(event, [watching]);
    ingest.commit();
    expect(retry.outcome).toEqual({ kind: 'accepted' });
    // A second send of a stored event is still a duplicate.
    ingest.take(event, [watching]);
    ingest.commit();
    expect(flagged).toEqual([false, false, true]);
  });

  it('resolves committed() once the turn has committed, and answers at once with nothing waiting', async () => {
    const { ingest } = setUp();
    await ingest.committed();
    const taken = ingest.take(event, [route(keeps)]);
    const before = taken.outcome;
    await ingest.committed();
    expect(before).toEqual({ kind: 'accepted' });
    expect(taken.outcome).toEqual({ kind: 'accepted' });
  });
});
