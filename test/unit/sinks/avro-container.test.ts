import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { decodeLong, encodeLong } from '../../../src/sinks/avro-container.js';

const longType = avsc.Type.forSchema('long');

describe('Avro container framing', () => {
  it('encodes longs exactly as avsc does, past 32 bits and negative ones included', () => {
    for (const n of [
      0,
      1,
      -1,
      63,
      64,
      -64,
      -65,
      127,
      128,
      300,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 40 + 7,
      -(2 ** 40),
    ]) {
      expect(encodeLong(n)).toEqual(longType.toBuffer(n));
      expect(decodeLong(longType.toBuffer(n), 0)).toEqual({ value: n, next: longType.toBuffer(n).length });
    }
  });

  it('reports a varint cut short instead of guessing', () => {
    expect(decodeLong(Buffer.from([0x80, 0x80]), 0)).toBeUndefined();
    expect(decodeLong(Buffer.alloc(0), 0)).toBeUndefined();
  });
});
