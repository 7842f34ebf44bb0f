import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_PARAMETERS_DEPTH,
  MAX_PARAMETERS_LENGTH,
  parseIsoTimestamp,
} from '../../../src/server/sources/json/json-event.js';
import type { RunningCollector } from '../../../src/collector/collector.js';
import { collectorPerTest, PARTY, SESSION, tempDir } from '../../support/collector.js';

/** `depth` arrays, one inside the other, around a number. */
const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

const event = (overrides: Record<string, unknown> = {}) => ({
  session_id: SESSION,
  event_id: 'e-1',
  is_new_party: true,
  is_new_session: false,
  client_timestamp_iso: '2026-11-26T10:00:00.123Z',
  event_type: 'purchase',
  parameters: { sku: 'A-1', price: 9.5, tags: ['x'] },
  ...overrides,
});

describe('the JSON source', () => {
  const { start, published } = collectorPerTest('server: { shutdownDelay: 0 }\n');

  const post = (
    c: RunningCollector,
    body: unknown,
    options: { type?: string; query?: string; raw?: string } = {},
  ) =>
    c.app.inject({
      method: 'POST',
      url: `/json${options.query ?? `?p=${encodeURIComponent(PARTY)}`}`,
      headers: { 'content-type': options.type ?? 'application/json', 'user-agent': 'test-agent/1.0' },
      payload: options.raw ?? JSON.stringify(body),
    });

  it.each([
    ['a valid event', 204, {}, undefined],
    ['a charset parameter on the content type', 204, { type: 'application/json; charset=utf-8' }, undefined],
    ['a wrong content type', 415, { type: 'text/plain' }, 'FOOTFALL_ERR_CONTENT_TYPE'],
    ['a missing party id', 400, { query: '' }, 'FOOTFALL_ERR_BAD_PARTY_ID'],
    ['a malformed party id', 400, { query: '?p=nope' }, 'FOOTFALL_ERR_BAD_PARTY_ID'],
    ['broken JSON', 400, { raw: '{"session_id":' }, 'FOOTFALL_ERR_BAD_JSON'],
    ['an empty body', 400, { raw: '' }, 'FOOTFALL_ERR_BAD_EVENT'],
    [
      'a body over the size limit',
      413,
      { raw: JSON.stringify({ pad: 'x'.repeat(5000) }) },
      'FOOTFALL_ERR_TOO_LARGE',
    ],
  ] as const)('answers %s with %i', async (_name, status, options, code) => {
    const c = await start();
    const response = await post(c, event(), options);
    expect(response.statusCode).toBe(status);
    if (code) expect(response.json()).toMatchObject({ error: code });
    else expect(response.body).toBe('');
  });

  it.each([
    ['session_id', { session_id: 'x' }],
    ['event_id', { event_id: '' }],
    ['is_new_party', { is_new_party: 'yes' }],
    ['is_new_session', { is_new_session: 1 }],
    ['client_timestamp_iso', { client_timestamp_iso: 'yesterday' }],
    ['event_type', { event_type: 42 }],
  ])('rejects a bad %s with 400 before answering', async (field, overrides) => {
    const c = await start();
    const response = await post(c, event(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
    expect(c.outcomes.total('invalid')).toBe(1);
    expect(c.outcomes.total('accepted')).toBe(0);
  });

  it('answers 405 with Allow: POST to other methods, before reading any body', async () => {
    const c = await start();
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'TRACE']) {
      const response = await c.app.inject({ method, url: '/json' });
      expect(response.statusCode, method).toBe(405);
      expect(response.headers.allow).toBe('POST');
      expect(response.json()).toMatchObject({ error: 'FOOTFALL_ERR_METHOD' });
    }
    const put = await c.app.inject({
      method: 'PUT',
      url: `/json?p=${encodeURIComponent(PARTY)}`,
      headers: { 'content-type': 'text/plain' },
      payload: 'x'.repeat(10_000),
    });
    expect(put.statusCode).toBe(405);
    expect(c.outcomes.total()).toBe(0);
  });

  it('accepts an array of events and records each once', async () => {
    const c = await start();
    const response = await post(c, [
      event({ event_id: 'a' }),
      event({ event_id: 'b' }),
      event({ event_id: 'c' }),
    ]);
    expect(response.statusCode).toBe(204);
    expect(c.outcomes.snapshot()).toEqual({ accepted: 3 });
  });

  it('rejects the whole array when one event in it is broken', async () => {
    const c = await start();
    const response = await post(c, [event({ event_id: 'a' }), event({ is_new_party: null })]);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^event 1: is_new_party/);
    // Refused as a whole: each of its events counts once as refused.
    expect(c.outcomes.snapshot()).toEqual({ 'invalid:bad_request': 2 });
  });

  it('counts every event of an array over maxEventsPerRequest, and a body it cannot read as one', async () => {
    const c = await start();
    // Small items, so that the count and not the 4 KiB body limit refuses it.
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ i }));
    expect((await post(c, tooMany)).statusCode).toBe(400);
    expect((await post(c, event(), { raw: '[{' })).statusCode).toBe(400);
    expect((await post(c, event(), { raw: '[]' })).statusCode).toBe(400);
    expect((await post(c, event(), { type: 'text/plain' })).statusCode).toBe(415);
    expect(c.outcomes.snapshot()).toEqual({
      'invalid:bad_content_type': 1,
      'invalid:bad_json': 1,
      'invalid:bad_request': 102,
    });
  });

  it('writes the event into the published Avro file with the values sent', async () => {
    const c = await start();
    expect((await post(c, event())).statusCode).toBe(204);
    const records = await published(c);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      partyId: PARTY,
      sessionId: SESSION,
      eventId: 'e-1',
      eventType: 'purchase',
      newParty: true,
      firstInSession: false,
      clientTimestamp: Date.parse('2026-11-26T10:00:00.123Z'),
      userAgentString: 'test-agent/1.0',
      sourceName: 'app',
      eventParameters: JSON.stringify({ sku: 'A-1', price: 9.5, tags: ['x'] }),
      eventParameterValues: { sku: 'A-1', price: '9.5' },
      detectedDuplicate: false,
      detectedCorruption: false,
      pageViewId: null,
    });
  });

  it('flags a repeated event id from the same party and session as a duplicate', async () => {
    const c = await start();
    await post(c, event());
    await post(c, event());
    const records = await published(c);
    expect(records.map((r) => r.detectedDuplicate)).toEqual([false, true]);
  });

  it('drops duplicates when the mapping says so', async () => {
    const c = await start(`
mappings:
  m: { sources: [app], sinks: [files], discardDuplicates: true }
`);
    await post(c, event());
    await post(c, event());
    expect(c.outcomes.snapshot()).toEqual({ accepted: 1, 'discarded:duplicate': 1 });
  });

  it('answers 400 FOOTFALL_ERR_UNMAPPABLE when a mapping cannot make the record, without quoting it', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'm.mjs'),
      "export default (event) => { if (event.eventType === 'explode') throw new Error(`boom ${event.eventId}`); return { id: event.eventId }; };\n",
    );
    writeFileSync(
      path.join(dir, 's.avsc'),
      JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'id', type: 'string' }] }),
    );
    const c = await start(
      `mappings: { m: { sources: [app], sinks: [files], schema: ${path.join(dir, 's.avsc')}, mapper: ${path.join(dir, 'm.mjs')} } }\n`,
    );
    const one = await post(c, event({ event_id: 'secret-1', event_type: 'explode' }));
    expect(one.statusCode).toBe(400);
    expect(one.json()).toEqual({
      error: 'FOOTFALL_ERR_UNMAPPABLE',
      message: 'the event could not be mapped to a record',
    });
    const some = await post(c, [
      event({ event_id: 'a' }),
      event({ event_id: 'secret-2', event_type: 'explode' }),
    ]);
    expect(some.statusCode).toBe(400);
    expect(some.json().message).toBe('event(s) 1 could not be mapped to a record; the others were stored');
    expect(some.body).not.toContain('secret');
    expect(c.outcomes.snapshot()).toEqual({ accepted: 1, 'invalid:mapping_failed': 2 });
    expect((await published(c)).map((r) => r.id)).toEqual(['a']);
  });

  it("limits parameters to the depth and length of the pixel's, before any mapping runs", async () => {
    // A body large enough for parameters nested thousands deep, which overflowed the stack in mapping.
    const c = await start('sources:\n  app: { type: json, maxBodySize: 256kb }\n');
    expect(
      (await post(c, event({ event_id: 'd32', parameters: nested(MAX_PARAMETERS_DEPTH) }))).statusCode,
    ).toBe(204);
    for (const depth of [MAX_PARAMETERS_DEPTH + 1, 5000]) {
      // Written out: JSON.stringify itself overflows the stack on it.
      const raw = JSON.stringify(event({ event_id: `d${depth}`, parameters: 'P' })).replace(
        '"P"',
        `${'['.repeat(depth)}1${']'.repeat(depth)}`,
      );
      const response = await post(c, undefined, { raw });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: 'FOOTFALL_ERR_BAD_EVENT',
        message: `parameters must be nested at most ${MAX_PARAMETERS_DEPTH} deep`,
      });
    }
    const long = { text: 'x'.repeat(MAX_PARAMETERS_LENGTH) };
    const tooLong = await post(c, event({ event_id: 'long', parameters: long }));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toBe(
      `parameters must be at most ${MAX_PARAMETERS_LENGTH} characters as JSON`,
    );
    expect(c.outcomes.snapshot()).toEqual({ accepted: 1, 'invalid:bad_request': 3 });
  });

  it('records party and session ids in their canonical form, as the pixel does', async () => {
    const c = await start();
    const [, partyTime, partyUnique] = PARTY.split(':');
    const [, sessionTime, sessionUnique] = SESSION.split(':');
    const response = await post(
      c,
      event({ session_id: `0:00${sessionTime!.toUpperCase()}:${sessionUnique}` }),
      {
        query: `?p=${encodeURIComponent(`0:+${partyTime!.toUpperCase()}:${partyUnique}`)}`,
      },
    );
    expect(response.statusCode).toBe(204);
    expect(await published(c)).toMatchObject([{ partyId: PARTY, sessionId: SESSION }]);
  });

  it('refuses event ids with lone surrogates, which would collapse into one id in UTF-8', async () => {
    const c = await start();
    for (const id of ['\\ud800', 'a\\udc00b', '\\udfff\\ud800']) {
      const response = await post(c, undefined, {
        raw: JSON.stringify(event({ event_id: 'ID' })).replace('"ID"', `"${id}"`),
      });
      expect(response.statusCode, id).toBe(400);
      expect(response.json().message).toMatch(/^event_id holds a lone UTF-16 surrogate/);
    }
    const pair = await post(c, undefined, {
      raw: JSON.stringify(event({ event_id: 'ID' })).replace('"ID"', '"e-\\ud83d\\ude00"'),
    });
    expect(pair.statusCode).toBe(204);
    expect(c.outcomes.snapshot()).toEqual({ accepted: 1, 'invalid:bad_request': 3 });
    expect((await published(c)).map((r) => r.eventId)).toEqual(['e-\u{1f600}']);
  });

  it('says where a body is not JSON without quoting it', async () => {
    const c = await start();
    for (const raw of ['\u0000secret', '{secret', '[1,2 secret']) {
      const response = await post(c, undefined, { raw });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('FOOTFALL_ERR_BAD_JSON');
      expect(response.json().message).toMatch(/^the body is not valid JSON/);
      expect(response.body).not.toContain('secret');
    }
  });

  it('sends CORS headers only to allowed origins', async () => {
    const c = await start(`
sources:
  app: { type: json, corsOrigins: ['https://shop.example'] }
`);
    const allowed = await c.app.inject({
      method: 'OPTIONS',
      url: '/json',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const other = await c.app.inject({
      method: 'POST',
      url: `/json?p=${encodeURIComponent(PARTY)}`,
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: JSON.stringify(event()),
    });
    expect(other.statusCode).toBe(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('client timestamps', () => {
  it('treats a timestamp without an offset as UTC', () => {
    expect(parseIsoTimestamp('2026-11-26T10:00:00')).toBe(Date.UTC(2026, 10, 26, 10, 0, 0));
  });
  it('honours offsets in both spellings', () => {
    expect(parseIsoTimestamp('2026-11-26T10:00:00+01:00')).toBe(Date.UTC(2026, 10, 26, 9, 0, 0));
    expect(parseIsoTimestamp('2026-11-26T10:00:00-0130')).toBe(Date.UTC(2026, 10, 26, 11, 30, 0));
  });
  it('keeps milliseconds and ignores finer digits', () => {
    expect(parseIsoTimestamp('2026-11-26T10:00:00.123456Z')).toBe(Date.UTC(2026, 10, 26, 10, 0, 0, 123));
  });
  it('rejects what is not a date-time', () => {
    for (const text of [
      '',
      '2026-11-26',
      '2026-13-40T99:00:00Z',
      'now',
      '2026-11-26T10:00:00ZZ',
      '2026-02-31T10:00:00Z',
      '2026-11-26T24:00:00Z',
      '2026-11-26T10:60:00Z',
    ]) {
      expect(parseIsoTimestamp(text)).toBeUndefined();
    }
  });
});
