import { describe, expect, it } from 'vitest';

import { createCodec, loadBuiltinSchema } from '../../../src/schema/index.js';

const S = ['null', 'string'];

// The agreed field names after Divolte's (other code is written against them) with the types we chose.
const FOOTFALL_FIELDS: readonly (readonly [string, unknown])[] = [
  ['eventId', 'string'],
  ['sourceName', 'string'],
  ['newParty', 'boolean'],
  ['devicePixelRatio', ['null', 'double']],
  ['eventParameters', S],
  ['eventParameterValues', { type: 'map', values: 'string' }],
  ['locationScheme', S],
  ['locationHost', S],
  ['locationPath', S],
  ['locationQuery', S],
  ['locationFragment', S],
  ['utmSource', S],
  ['utmMedium', S],
  ['utmCampaign', S],
  ['utmTerm', S],
  ['utmContent', S],
  ['clickIdType', S],
  ['clickId', S],
  ['refererHost', S],
  ['refererPath', S],
  ['refererInternal', ['null', 'boolean']],
  ['browserName', S],
  ['browserVersion', S],
  ['browserMajor', S],
  ['engineName', S],
  ['engineVersion', S],
  ['osName', S],
  ['osVersion', S],
  ['deviceType', S],
  ['deviceVendor', S],
  ['deviceModel', S],
  ['isBot', 'boolean'],
  ['countryCode', S],
  ['countryName', S],
  ['subdivisionCode', S],
  ['subdivisionName', S],
  ['cityName', S],
  ['postalCode', S],
  ['latitude', ['null', 'double']],
  ['longitude', ['null', 'double']],
  ['timeZone', S],
  ['asn', ['null', 'long']],
  ['asnOrganization', S],
];

// Computed by Apache Avro 1.9.0 (SchemaNormalization.parsingFingerprint "SHA-256") from footfall.avsc.
// Docs and defaults do not enter it; any change that alters the wire format does. When this test fails
// on purpose, bump the version in the record doc, check the change is compatible (new fields appended,
// nullable, defaulted) and update the value.
const FOOTFALL_FINGERPRINT_V1 = '031025ac4598f1b8813e845a8340457b01018f77a518d9e28a91ad28a7dcb19d';

describe('the builtin footfall schema', () => {
  const footfall = loadBuiltinSchema('footfall');
  const divolte = loadBuiltinSchema('divolte');

  it('is io.footfall.ClickEvent, version 1', () => {
    expect(footfall.namespace).toBe('io.footfall');
    expect(footfall.name).toBe('ClickEvent');
    expect(footfall.doc).toMatch(/\bSchema version 1\./);
  });

  it("starts with all 26 Divolte fields in Divolte's order, with the same types and defaults", () => {
    const prefix = footfall.fields.slice(0, divolte.fields.length);
    const strip = ({ doc: _doc, ...rest }: { doc?: string }) => rest;
    expect(prefix.map(strip)).toEqual(divolte.fields.map(strip));
  });

  it('continues with the agreed Footfall fields, in the agreed order, with their types', () => {
    const rest = footfall.fields.slice(divolte.fields.length).map((f) => [f.name, f.type]);
    expect(rest).toEqual(FOOTFALL_FIELDS);
    expect(footfall.fields).toHaveLength(26 + 43);
  });

  it('documents every field', () => {
    const undocumented = footfall.fields.filter((f) => typeof f.doc !== 'string' || f.doc.length < 10);
    expect(undocumented.map((f) => f.name)).toEqual([]);
  });

  it('makes every optional field a null-first union that defaults to null', () => {
    for (const field of footfall.fields) {
      if (Array.isArray(field.type)) {
        expect(field.type, field.name).toHaveLength(2);
        expect(field.type[0], field.name).toBe('null');
        expect(field.default, field.name).toBeNull();
      }
    }
  });

  it('gives every field added after Divolte a default except the three every source provides', () => {
    const added = footfall.fields.slice(divolte.fields.length);
    expect(added.filter((f) => !('default' in f)).map((f) => f.name)).toEqual([
      'eventId',
      'sourceName',
      'newParty',
    ]);
    expect(added.find((f) => f.name === 'eventParameterValues')?.default).toEqual({});
    expect(added.find((f) => f.name === 'isBot')?.default).toBe(false);
  });

  it('keeps its pinned canonical fingerprint, so no wire change slips in unnoticed', () => {
    expect(createCodec(footfall).fingerprint).toBe(FOOTFALL_FINGERPRINT_V1);
  });
});
