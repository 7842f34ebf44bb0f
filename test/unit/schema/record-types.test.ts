import { describe, expect, it } from 'vitest';

import { createCodec, loadBuiltinSchema } from '../../../src/schema/index.js';
import { fullDivolteRecord, fullFootfallRecord } from './samples.js';

// The samples are object literals typed as the interfaces, so the compiler guarantees their keys are
// exactly the interface's; comparing those keys with the schema closes the loop.
describe('the record interfaces', () => {
  it('DivolteRecord has exactly the fields of the divolte schema, in schema order', () => {
    const fields = loadBuiltinSchema('divolte').fields.map((f) => f.name);
    expect(Object.keys(fullDivolteRecord())).toEqual(fields);
  });

  it('FootfallRecord has exactly the fields of the footfall schema, in schema order', () => {
    const fields = loadBuiltinSchema('footfall').fields.map((f) => f.name);
    expect(Object.keys(fullFootfallRecord())).toEqual(fields);
  });

  it('describe records the codecs accept as they are', () => {
    expect(() => createCodec(loadBuiltinSchema('divolte')).encode(fullDivolteRecord())).not.toThrow();
    expect(() => createCodec(loadBuiltinSchema('footfall')).encode(fullFootfallRecord())).not.toThrow();
  });
});
