// MurmurHash3, the two variants Divolte relies on: x86 32-bit for the request checksum (Guava's
// Hashing.murmur3_32 on the server, a hand-written copy in divolte.js) and x64 128-bit for the
// duplicate memory (Guava's Hashing.murmur3_128). This file runs in the browser tracker too, so it
// uses nothing beyond ECMAScript and TextEncoder.

const encoder = /* @__PURE__ */ new TextEncoder();

/** The UTF-8 bytes of `s`; lone surrogates become U+FFFD, as in every WHATWG encoder. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * The UTF-16 little-endian bytes of `s`, one pair per code unit and no BOM. This is what Guava's
 * `putUnencodedChars` feeds the hash, so the duplicate memory must hash exactly these bytes.
 */
export function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** Whether typed-array words are little-endian here, as the hashes' blocks are. */
export const LITTLE_ENDIAN = /* @__PURE__ */ isLittleEndian();

// A call, so that the annotation above lets the tracker's bundler drop it (it hashes byte-wise).
function isLittleEndian(): boolean {
  return new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
}

/** The mixing of one 32-bit block, shared by the body and the tail of the x86 32-bit hash. */
const mixBlock = (k: number): number => {
  k = Math.imul(k, 0xcc9e2d51);
  return Math.imul((k << 15) | (k >>> 17), 0x1b873593);
};

/** The x86 32-bit hash's finalization: the length, then the avalanche. */
const finish32 = (h: number, len: number): number => {
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
};

/** MurmurHash3 x86 32-bit as a signed int32, which is how both Guava and divolte.js report it. */
export function murmur3x86_32(bytes: Uint8Array, seed = 0): number {
  const len = bytes.length;
  let h = seed | 0;
  let k = 0;
  // One byte at a time into a little-endian block (a shift count is taken mod 32, so `i << 3` is the
  // byte's place in it), mixed in at every fourth byte. Fewer bytes than reading whole blocks plus a
  // tail, for the browser tracker that bundles this.
  for (let i = 0; i < len; i++) {
    k |= bytes[i] << (i << 3);
    if ((i & 3) == 3) {
      h ^= mixBlock(k);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      k = 0;
    }
  }
  // The last one to three bytes, mixed without the rotation.
  if (len & 3) h ^= mixBlock(k);
  return finish32(h, len);
}

/**
 * murmur3x86_32() of `bytes[0..length)`, with `words` an Int32Array over the same memory from the
 * same start: on a little-endian host a block is one read, a quarter of the loop of the byte-wise
 * version (big-endian hosts assemble it from bytes). For the server's per-event checksum.
 */
export function murmur3x86_32Words(words: Int32Array, bytes: Uint8Array, length: number, seed = 0): number {
  const blocks = length >> 2;
  let h = seed | 0;
  for (let i = 0; i < blocks; i++) {
    h ^= mixBlock(LITTLE_ENDIAN ? words[i]! : readLe32(bytes, i << 2));
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let i = blocks << 2; i < length; i++) k |= bytes[i]! << ((i & 3) << 3);
  if (length & 3) h ^= mixBlock(k);
  return finish32(h, length);
}

// The 128-bit variant works on 64-bit lanes held as (high, low) pairs of 32-bit numbers. BigInt
// would read more naturally but allocates on every operation and measured about 15 times slower;
// this runs once per event on the server. mul64() and fmix64() leave their result in a scratch
// array instead of returning an object, so the hot loop allocates nothing (a typed array measured
// faster in V8 than module-level `let`s).
const scratch = /* @__PURE__ */ new Uint32Array(2); // [high, low]

/** (ah:al) * (bh:bl) mod 2^64. Inputs may be signed or unsigned 32-bit. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  // Math.imul gives the low half of al*bl but not its high half, which comes from 16-bit limbs
  // whose partial sums all stay below 2^32, so the unsigned shifts below are exact.
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const m1 = a1 * b0 + ((a0 * b0) >>> 16);
  const m2 = a0 * b1 + (m1 & 0xffff);
  scratch[0] = a1 * b1 + (m1 >>> 16) + (m2 >>> 16) + Math.imul(ah, bl) + Math.imul(al, bh);
  scratch[1] = Math.imul(al, bl);
}

const C1_HI = 0x87c37b91;
const C1_LO = 0x114253d5;
const C2_HI = 0x4cf5ad43;
const C2_LO = 0x2745937f;
const FMIX1_HI = 0xff51afd7;
const FMIX1_LO = 0xed558ccd;
const FMIX2_HI = 0xc4ceb9fe;
const FMIX2_LO = 0x1a85ec53;

function fmix64(h: number, l: number): void {
  mul64(h, l ^ (h >>> 1), FMIX1_HI, FMIX1_LO);
  h = scratch[0];
  mul64(h, scratch[1] ^ (h >>> 1), FMIX2_HI, FMIX2_LO);
  scratch[1] ^= scratch[0] >>> 1;
}

function readLe32(bytes: Uint8Array, i: number): number {
  return (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
}

function writeLe32(out: Uint8Array, i: number, v: number): void {
  out[i] = v & 0xff;
  out[i + 1] = (v >>> 8) & 0xff;
  out[i + 2] = (v >>> 16) & 0xff;
  out[i + 3] = v >>> 24;
}

// Word-aligned scratch for murmur3x64_128() inputs that cannot be read as words where they are.
let aligned = /* @__PURE__ */ new Uint8Array(256);

/**
 * MurmurHash3 x64 128-bit, laid out as Guava's `HashCode.asBytes()`: h1 then h2, each little-endian.
 *
 * The seed is taken as a signed int32 and sign-extended into both lanes, because Guava stores its
 * `int` seed in `long` fields; the C++ reference zero-extends instead. The two agree for seeds
 * below 2^31, including Divolte's 0.
 *
 * Pass `out` to reuse a 16-byte buffer on hot paths.
 */
export function murmur3x64_128(
  bytes: Uint8Array,
  seed = 0,
  out: Uint8Array = new Uint8Array(16),
): Uint8Array {
  if (bytes.byteOffset % 4 !== 0) {
    if (aligned.length < bytes.length) aligned = new Uint8Array((bytes.length + 3) & ~3);
    aligned.set(bytes);
    bytes = aligned.subarray(0, bytes.length);
  }
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  return murmur3x64_128Words(words, bytes, bytes.length, seed, out);
}

/**
 * murmur3x64_128() of `bytes[0..length)`, with `words` an Int32Array over the same memory from the
 * same start: on a little-endian host each 32-bit half of a block is one read (a quarter of the
 * work of assembling it from bytes, which big-endian hosts still do). For the duplicate memory,
 * which hashes every event into kept buffers.
 */
export function murmur3x64_128Words(
  words: Int32Array,
  bytes: Uint8Array,
  length: number,
  seed: number,
  out: Uint8Array,
): Uint8Array {
  const len = length;
  const s = seed | 0;
  let h1h = s < 0 ? 0xffffffff : 0;
  let h1l = s >>> 0;
  let h2h = h1h;
  let h2l = h1l;
  let k1h: number;
  let k1l: number;
  let k2h: number;
  let k2l: number;
  let t: number;

  const end = len - (len & 15);
  for (let i = 0; i < end; i += 16) {
    const w = i >> 2;
    k1l = LITTLE_ENDIAN ? words[w]! : readLe32(bytes, i);
    k1h = LITTLE_ENDIAN ? words[w + 1]! : readLe32(bytes, i + 4);
    k2l = LITTLE_ENDIAN ? words[w + 2]! : readLe32(bytes, i + 8);
    k2h = LITTLE_ENDIAN ? words[w + 3]! : readLe32(bytes, i + 12);

    // k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1
    mul64(k1h, k1l, C1_HI, C1_LO);
    k1h = (scratch[0] << 31) | (scratch[1] >>> 1);
    k1l = (scratch[1] << 31) | (scratch[0] >>> 1);
    mul64(k1h, k1l, C2_HI, C2_LO);
    h1h ^= scratch[0];
    h1l ^= scratch[1];

    // h1 = rotl64(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729
    t = (h1h << 27) | (h1l >>> 5);
    h1l = ((h1l << 27) | (h1h >>> 5)) >>> 0;
    h1h = t >>> 0;
    t = h1l + (h2l >>> 0);
    h1h = (h1h + (h2h >>> 0) + (t > 0xffffffff ? 1 : 0)) >>> 0;
    h1l = t >>> 0;
    t = ((h1l << 2) >>> 0) + h1l; // times 5 as (x << 2) + x, cheaper than mul64
    h1h = (((h1h << 2) | (h1l >>> 30)) + h1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
    t = (t >>> 0) + 0x52dce729;
    h1h = (h1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
    h1l = t >>> 0;

    // k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2
    mul64(k2h, k2l, C2_HI, C2_LO);
    k2h = (scratch[1] << 1) | (scratch[0] >>> 31);
    k2l = (scratch[0] << 1) | (scratch[1] >>> 31);
    mul64(k2h, k2l, C1_HI, C1_LO);
    h2h ^= scratch[0];
    h2l ^= scratch[1];

    // h2 = rotl64(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5
    t = (h2h << 31) | (h2l >>> 1);
    h2l = ((h2l << 31) | (h2h >>> 1)) >>> 0;
    h2h = t >>> 0;
    t = h2l + h1l;
    h2h = (h2h + h1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
    h2l = t >>> 0;
    t = ((h2l << 2) >>> 0) + h2l; // times 5 as (x << 2) + x, cheaper than mul64
    h2h = (((h2h << 2) | (h2l >>> 30)) + h2h + (t > 0xffffffff ? 1 : 0)) >>> 0;
    t = (t >>> 0) + 0x38495ab5;
    h2h = (h2h + (t > 0xffffffff ? 1 : 0)) >>> 0;
    h2l = t >>> 0;
  }

  const rest = len & 15;
  if (rest > 8) {
    k2l = 0;
    k2h = 0;
    for (let j = rest - 1; j >= 8; j--) {
      const b = bytes[end + j];
      if (j >= 12) k2h |= b << ((j - 12) * 8);
      else k2l |= b << ((j - 8) * 8);
    }
    mul64(k2h, k2l, C2_HI, C2_LO);
    k2h = (scratch[1] << 1) | (scratch[0] >>> 31);
    k2l = (scratch[0] << 1) | (scratch[1] >>> 31);
    mul64(k2h, k2l, C1_HI, C1_LO);
    h2h ^= scratch[0];
    h2l ^= scratch[1];
  }
  if (rest > 0) {
    k1l = 0;
    k1h = 0;
    for (let j = Math.min(rest, 8) - 1; j >= 0; j--) {
      const b = bytes[end + j];
      if (j >= 4) k1h |= b << ((j - 4) * 8);
      else k1l |= b << (j * 8);
    }
    mul64(k1h, k1l, C1_HI, C1_LO);
    k1h = (scratch[0] << 31) | (scratch[1] >>> 1);
    k1l = (scratch[1] << 31) | (scratch[0] >>> 1);
    mul64(k1h, k1l, C2_HI, C2_LO);
    h1h ^= scratch[0];
    h1l ^= scratch[1];
  }

  // The length is xored in as a 64-bit value; inputs never approach 2^32 bytes here.
  h1l = (h1l ^ len) >>> 0;
  h1h >>>= 0;
  h2l = (h2l ^ len) >>> 0;
  h2h >>>= 0;

  // h1 += h2; h2 += h1
  t = h1l + h2l;
  h1h = (h1h + h2h + (t > 0xffffffff ? 1 : 0)) >>> 0;
  h1l = t >>> 0;
  t = h2l + h1l;
  h2h = (h2h + h1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
  h2l = t >>> 0;

  fmix64(h1h, h1l);
  h1h = scratch[0];
  h1l = scratch[1];
  fmix64(h2h, h2l);
  h2h = scratch[0];
  h2l = scratch[1];

  // h1 += h2; h2 += h1
  t = h1l + h2l;
  h1h = (h1h + h2h + (t > 0xffffffff ? 1 : 0)) >>> 0;
  h1l = t >>> 0;
  t = h2l + h1l;
  h2h = (h2h + h1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
  h2l = t >>> 0;

  writeLe32(out, 0, h1l);
  writeLe32(out, 4, h1h);
  writeLe32(out, 8, h2l);
  writeLe32(out, 12, h2h);
  return out;
}
