import { deflateRawSync } from 'node:zlib';
import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import {
  BlockBuilder,
  decodeLong,
  encodeHeader,
  encodeLong,
  newSyncMarker,
  type AvroCodec,
} from '../../../src/sinks/file/avro-container.js';

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

  const recordType = avsc.Type.forSchema({
    type: 'record',
    name: 'Click',
    fields: [
      { name: 'n', type: 'long' },
      { name: 'page', type: 'string' },
    ],
  });
  type Click = { n: number; page: string };

  /** A whole container file written with one BlockBuilder, as avsc reads it back. */
  async function roundTrip(codec: AvroCodec, batches: Click[][]): Promise<unknown[]> {
    const sync = newSyncMarker();
    const builder = new BlockBuilder();
    const file = [encodeHeader(JSON.stringify(recordType.schema()), codec, sync)];
    for (const batch of batches) {
      const values = batch.map((click) => recordType.toBuffer(click));
      const parts = codec === 'deflate' ? [deflateRawSync(Buffer.concat(values))] : values;
      // A block is only valid until the next build(): keep a copy, as the file keeps the bytes.
      file.push(Buffer.from(builder.build(batch.length, parts, sync)));
    }
    const decoder = new avsc.streams.BlockDecoder();
    const records: unknown[] = [];
    decoder.on('data', (record: unknown) => records.push(record));
    const ended = new Promise((resolve, reject) => decoder.on('end', resolve).on('error', reject));
    decoder.end(Buffer.concat(file));
    await ended;
    return records;
  }

  const clicks = (count: number, from: number, page = '/p'): Click[] =>
    Array.from({ length: count }, (_, i) => ({ n: from + i, page: `${page}${from + i}` }));

  it('builds blocks that avsc reads back, big, small and outsized, with either codec', async () => {
    const batches = [
      clicks(1000, 0),
      clicks(3, 1000),
      [{ n: -1, page: 'x'.repeat(5_000_000) }],
      clicks(2, 7),
    ];
    const expected = batches.flat().map((click) => ({ ...click }));
    for (const codec of ['null', 'deflate'] as const) {
      const records = (await roundTrip(codec, batches)).map((record) => ({ ...(record as Click) }));
      expect(records).toEqual(expected);
    }
  });

  it('reuses its buffer from block to block, but lets an outsized block go', () => {
    const sync = newSyncMarker();
    const builder = new BlockBuilder();
    const small = (n: number) => builder.build(1, [recordType.toBuffer({ n, page: '/' })], sync);
    const first = small(1);
    const second = small(2);
    expect(second.buffer).toBe(first.buffer);
    const huge = builder.build(1, [recordType.toBuffer({ n: 3, page: 'y'.repeat(5_000_000) })], sync);
    expect(huge.buffer).not.toBe(first.buffer);
    expect(small(4).buffer).toBe(first.buffer);
    // Count 1 and the record's length as zig-zag varints, the record, then the sync marker.
    const record = recordType.toBuffer({ n: 5, page: '/' });
    expect(Buffer.from(builder.build(1, [record], sync))).toEqual(
      Buffer.concat([encodeLong(1), encodeLong(record.length), record, sync]),
    );
  });
});
