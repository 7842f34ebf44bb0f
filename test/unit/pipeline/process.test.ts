import { describe, expect, it } from 'vitest';
import type { EncodedRecord, MappingRoute } from '../../../src/pipeline/dispatch.js';
import { createEnrichment, type PrivacyPolicy } from '../../../src/pipeline/enrich/index.js';
import { DuplicateMemory } from '../../../src/pipeline/flags.js';
import type { Mapper } from '../../../src/pipeline/map/mapper.js';
import { SYNTHETIC_EVENTS } from '../../../src/pipeline/map/synthetic.js';
import { OutcomeCounter } from '../../../src/pipeline/outcomes.js';
import { processEvent, type PipelineContext } from '../../../src/pipeline/process.js';

const event = SYNTHETIC_EVENTS[0]!.event;

function route(mapper: Mapper, offered: EncodedRecord[], name = 'm'): MappingRoute {
  return {
    name,
    mapper,
    encoder: { encode: (record) => Buffer.from(JSON.stringify(record)) },
    discardCorrupted: false,
    discardDuplicates: false,
    destinations: [{ name: 'sink', offer: (record) => (offered.push(record), true), commit: () => true }],
  };
}

function pipeline(privacy: PrivacyPolicy = { ipAddress: 'full', honorDoNotTrack: false }): PipelineContext {
  return {
    duplicates: new DuplicateMemory(1000),
    outcomes: new OutcomeCounter(),
    enrich: createEnrichment({ privacy }),
  };
}

describe('one event through the pipeline', () => {
  it('discards an event whose mapping returns null, as Divolte’s stop() did', () => {
    const context = pipeline();
    const offered: EncodedRecord[] = [];
    expect(processEvent(event, [route(() => null, offered)], context)).toEqual({
      kind: 'discarded',
      reason: 'filtered',
    });
    expect(offered).toEqual([]);
    // Recording the outcome is the ingest seam's job, never the pipeline's.
    expect(context.outcomes.total()).toBe(0);
  });

  it('makes only the event whose mapping throws invalid, and the next one is accepted', () => {
    const context = pipeline();
    const offered: EncodedRecord[] = [];
    const mapper: Mapper = (e) => {
      if (e.eventId.endsWith('0')) throw new Error('no such product');
      return { id: e.eventId };
    };
    expect(processEvent(event, [route(mapper, offered, 'shop')], context)).toMatchObject({
      kind: 'invalid',
      reason: 'mapping_failed',
      detail: 'mapping shop: no such product',
    });
    expect(
      processEvent({ ...event, eventId: `${event.pageViewId}1` }, [route(mapper, offered, 'shop')], context),
    ).toEqual({ kind: 'accepted' });
    expect(offered).toHaveLength(1);
  });

  it('keys the record by party id, and by nothing when the visitor asked not to be tracked', () => {
    const context = pipeline({ ipAddress: 'full', honorDoNotTrack: true });
    const offered: EncodedRecord[] = [];
    const seen: string[] = [];
    const mapper: Mapper = (e, ctx) => (
      seen.push(`${e.partyId}|${e.remoteHost}|${ctx.doNotTrack}`),
      { id: e.eventId }
    );
    processEvent(event, [route(mapper, offered)], context);
    processEvent(
      { ...event, eventId: 'other', headers: { 'sec-gpc': '1' } },
      [route(mapper, offered)],
      context,
    );
    expect(offered.map((r) => r.key)).toEqual([event.partyId, null]);
    expect(seen).toEqual([`${event.partyId}|203.0.113.7|false`, '0:0:anonymous|203.0.113.0|true']);
  });

  it('judges duplicates on the identifiers as received, also for anonymised events', () => {
    const context = pipeline({ ipAddress: 'full', honorDoNotTrack: true });
    const offered: EncodedRecord[] = [];
    const flags: boolean[] = [];
    const mapper: Mapper = (_e, ctx) => (flags.push(ctx.flags.duplicate), {});
    const anonymous = { ...event, headers: { dnt: '1' } };
    processEvent(anonymous, [route(mapper, offered)], context);
    processEvent(
      { ...anonymous, partyId: '0:i1t84hgy:AnotherPartyEntirely0000000000000' },
      [route(mapper, offered)],
      context,
    );
    processEvent(anonymous, [route(mapper, offered)], context);
    expect(flags).toEqual([false, false, true]);
  });

  it('works with a pipeline context from before enrichment existed', () => {
    const offered: EncodedRecord[] = [];
    const context = { duplicates: new DuplicateMemory(10), outcomes: new OutcomeCounter() };
    expect(
      processEvent(event, [route((_e, ctx) => ({ browser: ctx.userAgent().browserName }), offered)], context)
        .kind,
    ).toBe('accepted');
    expect(JSON.parse(offered[0]!.value.toString())).toEqual({ browser: 'Chrome' });
  });
});
