/**
 * Flags stage: is this event one we have already seen? Divolte's answer is a fixed-size memory of
 * 64-bit signatures indexed by a hash of (party, session, event); reproducing its exact hashing keeps
 * the `detectedDuplicate` values identical for a site that switches collectors mid-stream.
 */
import { murmur3x64_128Words } from '../protocol/index.js';
import type { ClientEvent, EventFlags } from './event.js';

export class DuplicateMemory {
  // Two int32 halves instead of BigInt64Array: no BigInt allocation per event on the hot path.
  private readonly high: Int32Array;
  private readonly low: Int32Array;
  // The hashed bytes, and a word view of them for the hash (see murmur3x64_128Words).
  private scratch = Buffer.allocUnsafeSlow(256);
  private words = new Int32Array(this.scratch.buffer, 0, 64);
  private readonly hash = new Uint8Array(16);

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError('duplicate memory size must be a positive integer');
    this.high = new Int32Array(size);
    this.low = new Int32Array(size);
  }

  /** Records the event and says whether the same signature already sat in its slot. */
  observe(partyId: string, sessionId: string, eventId: string): boolean {
    const slot = this.signature(partyId, sessionId, eventId);
    const seen = this.high[slot] === this.sigHigh && this.low[slot] === this.sigLow;
    this.high[slot] = this.sigHigh;
    this.low[slot] = this.sigLow;
    return seen;
  }

  /**
   * Takes back an observation whose event was not stored (a refused or failed write): a client that
   * sends it again must not find it flagged, or dropped as a duplicate with `discardDuplicates`.
   */
  forget(partyId: string, sessionId: string, eventId: string): void {
    const slot = this.signature(partyId, sessionId, eventId);
    if (this.high[slot] === this.sigHigh && this.low[slot] === this.sigLow) {
      this.high[slot] = 0;
      this.low[slot] = 0;
    }
  }

  // The last signature computed, kept in fields so the hot path allocates nothing.
  private sigHigh = 0;
  private sigLow = 0;

  /** Hashes the identifiers: returns the slot, leaves the 64-bit signature in sigHigh/sigLow. */
  private signature(partyId: string, sessionId: string, eventId: string): number {
    const length = this.utf16le(partyId, sessionId, eventId);
    const hash = murmur3x64_128Words(this.words, this.scratch, length, 0, this.hash);
    this.sigHigh = (hash[8]! << 24) | (hash[9]! << 16) | (hash[10]! << 8) | hash[11]!;
    this.sigLow = (hash[12]! << 24) | (hash[13]! << 16) | (hash[14]! << 8) | hash[15]!;
    return (((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) & 0x7fffffff) % this.size;
  }

  /**
   * Writes the UTF-16LE bytes of the concatenation into the scratch buffer, as Java's String bytes
   * were hashed by Divolte, and says how many there are. (Node writes utf16le in that byte order
   * on every host.)
   */
  private utf16le(partyId: string, sessionId: string, eventId: string): number {
    const length = (partyId.length + sessionId.length + eventId.length) * 2;
    if (this.scratch.length < length) {
      this.scratch = Buffer.allocUnsafeSlow(length * 2);
      this.words = new Int32Array(this.scratch.buffer, 0, length >> 1);
    }
    let at = this.scratch.write(partyId, 0, 'utf16le');
    at += this.scratch.write(sessionId, at, 'utf16le');
    return at + this.scratch.write(eventId, at, 'utf16le');
  }
}

export function computeFlags(event: ClientEvent, memory: DuplicateMemory): EventFlags {
  return {
    corrupt: event.corrupt,
    duplicate: memory.observe(event.partyId, event.sessionId, event.eventId),
  };
}
