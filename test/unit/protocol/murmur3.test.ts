import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  murmur3x64_128,
  murmur3x64_128Words,
  murmur3x86_32,
  murmur3x86_32Words,
  utf16le,
  utf8,
} from '../../../src/protocol/murmur3.js';

// A deliberately plain BigInt transcription of MurmurHash3_x64_128 (with Guava's sign-extended
// seed) that serves as the oracle for the 32-bit-halves implementation.
const MASK = (1n << 64n) - 1n;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const fmix = (k: bigint): bigint => {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
  return k ^ (k >> 33n);
};
function referenceX64(bytes: Uint8Array, seed: number): [bigint, bigint] {
  const c1 = 0x87c37b91114253d5n;
  const c2 = 0x4cf5ad432745937fn;
  const le = (at: number, n: number): bigint => {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
    return v;
  };
  let h1 = BigInt.asUintN(64, BigInt(seed | 0));
  let h2 = h1;
  const blocks = Math.floor(bytes.length / 16);
  for (let b = 0; b < blocks; b++) {
    let k1 = le(b * 16, 8);
    let k2 = le(b * 16 + 8, 8);
    k1 = (rotl((k1 * c1) & MASK, 31n) * c2) & MASK;
    h1 ^= k1;
    h1 = (((rotl(h1, 27n) + h2) & MASK) * 5n + 0x52dce729n) & MASK;
    k2 = (rotl((k2 * c2) & MASK, 33n) * c1) & MASK;
    h2 ^= k2;
    h2 = (((rotl(h2, 31n) + h1) & MASK) * 5n + 0x38495ab5n) & MASK;
  }
  const rest = bytes.length % 16;
  const tail = blocks * 16;
  if (rest > 8) h2 ^= (rotl((le(tail + 8, rest - 8) * c2) & MASK, 33n) * c1) & MASK;
  if (rest > 0) h1 ^= (rotl((le(tail, Math.min(rest, 8)) * c1) & MASK, 31n) * c2) & MASK;
  h1 ^= BigInt(bytes.length);
  h2 ^= BigInt(bytes.length);
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  return [h1, h2];
}

function lanes(hash: Uint8Array): [bigint, bigint] {
  const view = new DataView(hash.buffer, hash.byteOffset, hash.byteLength);
  return [view.getBigUint64(0, true), view.getBigUint64(8, true)];
}

const signed = (u: number): number => u | 0;

describe('murmur3x86_32', () => {
  it('gives the sanity values from the protocol spec', () => {
    expect(murmur3x86_32(utf8(''))).toBe(0);
    expect(murmur3x86_32(utf8('a'))).toBe(1009084850);
    expect(murmur3x86_32(utf8('abc'))).toBe(-1277324294);
  });

  it('matches the published reference vectors for every tail length and a high-bit seed', () => {
    const cases: [string, number, number][] = [
      ['Hello, world!', 0, 0xc0363e43],
      ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
      ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 0, 0xee925b90],
      ['Hello, world!', 0x9747b28c, 0x24884cba],
      ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
      ['ππππππππ', 0x9747b28c, 0xd58063c1],
      ['a'.repeat(256), 0x9747b28c, 0x37405bdc],
      ['a', 0x9747b28c, 0x7fa09ea6],
      ['aa', 0x9747b28c, 0x5d211726],
      ['aaa', 0x9747b28c, 0x283e0130],
      ['aaaa', 0x9747b28c, 0x5a97808a],
      ['abcd', 0x9747b28c, 0xf0478627],
      ['', 0xfba4c795, 0x6a396f08],
    ];
    for (const [input, seed, expected] of cases) {
      expect(murmur3x86_32(utf8(input), seed), input).toBe(signed(expected));
    }
  });

  it('always returns a signed 32-bit integer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer(), (bytes, seed) => {
        const h = murmur3x86_32(bytes, seed);
        expect(h).toBe(h | 0);
      }),
    );
  });
});

describe('murmur3x64_128', () => {
  it('hashes empty input with seed 0 to all zeros', () => {
    expect([...murmur3x64_128(new Uint8Array(0))]).toEqual(new Array(16).fill(0));
  });

  it('matches the reference vectors used by Guava and the C++ original', () => {
    const cases: [string, number, bigint, bigint][] = [
      ['hell', 0, 0x629942693e10f867n, 0x92db0b82baeb5347n],
      ['hello', 1, 0xa78ddff5adae8d10n, 0x128900ef20900135n],
      ['hello ', 2, 0x8a486b23f422e826n, 0xf962a2c58947765fn],
      ['hello w', 3, 0x2ea59f466f6bed8cn, 0xc610990acc428a17n],
      ['hello wo', 4, 0x79f6305a386c572cn, 0x46305aed3483b94en],
      ['hello wor', 5, 0xc2219d213ec1f1b5n, 0xa1d8e2e0a52785bdn],
      ['The quick brown fox jumps over the lazy dog', 0, 0xe34bbc7bbc071b6cn, 0x7a433ca9c49a9347n],
      ['The quick brown fox jumps over the lazy cog', 0, 0x658ca970ff85269an, 0x43fee3eaa68e5c3en],
      ['The quick brown fox jumps over the lazy eog', 0, 0x362108102c62d1c9n, 0x3285cd100292b305n],
      ['The quick brown fox jumps over the lazy dogdogdog', 0, 0x9c8205300e612fc4n, 0xcbc0af6136aa3df9n],
      ['The quick brown fox jumps over the lazy1', 0, 0xe3301a827e5cdfe3n, 0xbdbf05f8da0f0392n],
    ];
    for (const [input, seed, h1, h2] of cases) {
      expect(lanes(murmur3x64_128(utf8(input), seed)), input).toEqual([h1, h2]);
    }
  });

  it('matches the reference vector with 0xff and 0x00 bytes in the tail', () => {
    const bytes = Uint8Array.of(
      ...utf8('The quick brown fox jumps over the lazy dog'),
      0xff,
      0x64,
      0x6f,
      0x67,
      0x00,
    );
    expect(lanes(murmur3x64_128(bytes))).toEqual([0xe88abda785929c9en, 0x96b98587cacc83d6n]);
  });

  it('writes h1 then h2, each little-endian, like Guava asBytes()', () => {
    const hash = murmur3x64_128(utf8('The quick brown fox jumps over the lazy dog'));
    expect(Buffer.from(hash).toString('hex')).toBe('6c1b07bc7bbc4be347939ac4a93c437a');
  });

  it('agrees with a BigInt transcription of the algorithm on arbitrary bytes and seeds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer(), (bytes, seed) => {
        expect(lanes(murmur3x64_128(bytes, seed))).toEqual(referenceX64(bytes, seed));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same hash for input that does not start on a word boundary', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 1, max: 3 }), (bytes, shift) => {
        const padded = new Uint8Array(bytes.length + shift);
        padded.set(bytes, shift);
        const unaligned = padded.subarray(shift);
        expect(lanes(murmur3x64_128(unaligned))).toEqual(referenceX64(bytes, 0));
        expect([...unaligned]).toEqual([...bytes]);
      }),
      { numRuns: 500 },
    );
  });

  it('fills a caller-supplied buffer instead of allocating', () => {
    const out = new Uint8Array(16);
    expect(murmur3x64_128(utf8('hell'), 0, out)).toBe(out);
    expect(lanes(out)).toEqual([0x629942693e10f867n, 0x92db0b82baeb5347n]);
  });
});

describe('the word-reading variants', () => {
  // Words over a kept buffer longer than the input, as the server's hot paths use them: bytes past
  // `length` are left over from earlier input and must not count.
  const kept = new Uint8Array(256).fill(0xa5);
  const words = new Int32Array(kept.buffer);

  it('hash only the first length bytes, exactly as the byte-wise functions do', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer(), (bytes, seed) => {
        kept.fill(0xa5);
        kept.set(bytes);
        expect(murmur3x86_32Words(words, kept, bytes.length, seed)).toBe(murmur3x86_32(bytes, seed));
        const out = new Uint8Array(16);
        expect(murmur3x64_128Words(words, kept, bytes.length, seed, out)).toBe(out);
        expect(lanes(out)).toEqual(referenceX64(bytes, seed));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('byte helpers', () => {
  it('encodes UTF-8 including astral characters', () => {
    expect([...utf8('a€😀')]).toEqual([...Buffer.from('a€😀', 'utf8')]);
  });

  it('encodes UTF-16LE one code unit at a time, lone surrogates included', () => {
    for (const s of ['', 'abc', 'ụñ⚕', '😀', 'x\ud800y']) {
      expect(Buffer.from(utf16le(s)).equals(Buffer.from(s, 'utf16le')), s).toBe(true);
    }
  });
});
