import { createHash } from 'node:crypto';

import avsc from 'avsc';
import { describe, expect, it } from 'vitest';

import { createCodec, loadBuiltinSchema } from '../../../src/schema/index.js';
import { DIVOLTE_FIELDS, DIVOLTE_SCHEMA_TEXT } from './divolte-reference.js';
import { fullDivolteRecord, minimalDivolteRecord } from './samples.js';

// Produced by Apache Avro 1.9.0 (the version divolte-schema 0.9.0 builds with) from Divolte's own schema
// file: SchemaNormalization.parsingFingerprint("SHA-256", schema) and GenericDatumWriter output for the
// sample records. Pinned here so that avsc and Java are compared, not avsc with itself.
const JAVA_FINGERPRINT = 'cdf11946b1878753dca2a2e214ccf2f0b555838eaf6ea1df912b1b10dfb26676';
const JAVA_MINIMAL_HEX =
  '000001b086bcf7d758b086bcf7d758126c6f63616c686f73740000000000000000000e756e6b6e6f776e00000000000000000000';
const JAVA_FULL_HEX =
  '000101f6c69987ed64e6c49987ed64163230332e302e3131332e37024c68747470733a2f2f7777772e6578616d706c652e6f72' +
  '672f7365617263683f713d73686f6573028e0168747470733a2f2f73686f702e6578616d706c652e636f6d2f73686f65732f72' +
  '65643f75746d5f736f757263653d6e6577732667636c69643d6162633132332372657669657773029c1102ea0e02801b028c10' +
  '0256303a69317438346867793a3541463335395a6a71356b55793938753477516a6c495a7a5747684e7e476c470256303a6931' +
  '7438346867793a39354362695043596c6e5f316530613672467675526b446b654e6e63364b43380244303a316646364746476a' +
  '444f516945785f4f786e546d5f746c344248393165474c4610706167655669657702ea014d6f7a696c6c612f352e3020284d61' +
  '63696e746f73683b20496e74656c204d6163204f5320582031305f31355f3729204170706c655765624b69742f3533372e3336' +
  '20284b48544d4c2c206c696b65204765636b6f29204368726f6d652f3132302e302e302e30205361666172692f3533372e3336' +
  '020c4368726f6d65020c4368726f6d650216476f6f676c6520496e632e020e42726f7773657202123132302e302e302e300222' +
  '506572736f6e616c20636f6d707574657202084f532058020e31302e31352e3702284170706c6520436f6d70757465722c2049' +
  '6e632e';

describe('the builtin divolte schema', () => {
  const schema = loadBuiltinSchema('divolte');

  it('is io.divolte.record.DefaultEventRecord with the 26 fields of the design doc, in order', () => {
    expect(schema.namespace).toBe('io.divolte.record');
    expect(schema.name).toBe('DefaultEventRecord');
    expect(schema.fields).toHaveLength(26);
    const actual = schema.fields.map((f) =>
      'default' in f ? [f.name, f.type, f.default] : [f.name, f.type],
    );
    expect(actual).toEqual(DIVOLTE_FIELDS);
  });

  it("is identical to Divolte's own DefaultEventRecord.avsc, attributes included", () => {
    expect(schema).toEqual(JSON.parse(DIVOLTE_SCHEMA_TEXT));
  });

  it("has the canonical SHA-256 fingerprint Java Avro computes for Divolte's schema", () => {
    const canonical = JSON.stringify({
      name: 'io.divolte.record.DefaultEventRecord',
      type: 'record',
      fields: DIVOLTE_FIELDS.map(([name, type]) => ({ name, type })),
    });
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(JAVA_FINGERPRINT);
    expect(createCodec(schema).fingerprint).toBe(JAVA_FINGERPRINT);
  });

  it('encodes records to exactly the bytes Java Avro writes for them', () => {
    const codec = createCodec(schema);
    expect(codec.encode(minimalDivolteRecord()).toString('hex')).toBe(JAVA_MINIMAL_HEX);
    expect(codec.encode(fullDivolteRecord()).toString('hex')).toBe(JAVA_FULL_HEX);
  });

  it("encodes records that a reader built from Divolte's schema text decodes unchanged", () => {
    const codec = createCodec(schema);
    const reader = avsc.Type.forSchema(JSON.parse(DIVOLTE_SCHEMA_TEXT));

    const full = fullDivolteRecord();
    expect({ ...reader.fromBuffer(codec.encode(full)) }).toEqual(full);

    const minimal = { ...reader.fromBuffer(codec.encode(minimalDivolteRecord())) };
    expect(minimal).toMatchObject(minimalDivolteRecord());
    expect(minimal.eventType).toBe('unknown');
    expect(minimal.partyId).toBeNull();
    expect(minimal.userAgentOsVendor).toBeNull();
  });
});
