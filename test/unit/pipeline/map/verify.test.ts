import { describe, expect, it } from 'vitest';
import { BUILTIN_MAPPERS, MappingError, verifyMapper } from '../../../../src/pipeline/map/verify.js';
import type { Mapper } from '../../../../src/pipeline/map/mapper.js';
import { SYNTHETIC_EVENTS } from '../../../../src/pipeline/map/synthetic.js';
import { createCodec, loadBuiltinSchema, type AvroRecordSchema } from '../../../../src/schema/index.js';

const schema: AvroRecordSchema = {
  type: 'record',
  name: 'Click',
  namespace: 'test',
  fields: [
    { name: 'eventType', type: 'string' },
    { name: 'path', type: ['null', 'string'], default: null },
    { name: 'width', type: ['null', 'int'], default: null },
  ],
};
const codec = createCodec(schema);
const what = 'mappings.clicks.mapper (./clicks.ts)';

function errorOf(mapper: Mapper): MappingError {
  try {
    verifyMapper(mapper, codec, { what });
  } catch (err) {
    if (err instanceof MappingError) return err;
    throw err;
  }
  throw new Error('the mapping was accepted');
}

describe('the start-up check of a mapping', () => {
  it('accepts a mapping whose records fit its schema for every synthetic event', () => {
    const mapper: Mapper = (event, ctx) => ({
      eventType: event.eventType ?? 'unknown',
      path: ctx.location()?.path ?? null,
      width: event.screenWidth,
    });
    expect(verifyMapper(mapper, codec, { what })).toEqual({
      encoded: SYNTHETIC_EVENTS.length,
      discarded: [],
    });
  });

  it('names the field whose type is wrong and the event that showed it', () => {
    const error = errorOf((event) => ({
      eventType: event.eventType ?? 'unknown',
      width: String(event.screenWidth),
    }));
    expect(error.code).toBe('FOOTFALL_ERR_MAPPING');
    expect(error.message).toBe(
      `${what} made a record for a browser page view that does not fit schema test.Click: width: expected null | int, got a string`,
    );
  });

  it('names a misspelt field', () => {
    expect(errorOf((event) => ({ eventType: 'x', pth: event.location })).message).toMatch(
      /pth: not a field of the schema/,
    );
  });

  it('catches a required field that is only missing for some events', () => {
    expect(errorOf((event) => ({ eventType: event.eventType })).message).toMatch(
      /for a bare event without optional values .*eventType: expected string, got null/,
    );
  });

  it('reports a mapping that throws on an event without the values it assumed', () => {
    const error = errorOf((event) => ({ eventType: event.referrer!.toUpperCase() }));
    expect(error.message).toMatch(
      /^mappings\.clicks\.mapper \(\.\/clicks\.ts\) threw on a JSON-source event that asks not to be tracked: /,
    );
  });

  it('reports a mapping that returns something other than a record or null', () => {
    expect(errorOf(() => undefined as never).message).toMatch(/returned undefined for a browser page view/);
    expect(errorOf(() => 'text' as never).message).toMatch(/returned a string/);
  });

  it('counts discarded events instead of checking them', () => {
    const mapper: Mapper = (event) => (event.sourceType === 'json' ? null : { eventType: 'x' });
    expect(verifyMapper(mapper, codec, { what }).discarded).toEqual([
      'a JSON-source event that asks not to be tracked',
      'a bare event without optional values',
    ]);
  });

  it('passes the builtin mappers with their own schemas and fails them with the other one', () => {
    const footfall = createCodec(loadBuiltinSchema('footfall'));
    const divolte = createCodec(loadBuiltinSchema('divolte'));
    expect(verifyMapper(BUILTIN_MAPPERS['builtin:footfall']!, footfall, { what }).encoded).toBe(4);
    expect(verifyMapper(BUILTIN_MAPPERS['builtin:divolte']!, divolte, { what }).encoded).toBe(4);
    expect(() => verifyMapper(BUILTIN_MAPPERS['builtin:footfall']!, divolte, { what })).toThrow(
      /not a field of the schema/,
    );
  });
});
