import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateMemory } from '../../../src/pipeline/flags.js';
import { murmur3x64_128, utf16le } from '../../../src/protocol/murmur3.js';

/** Divolte's slot and signature for (party, session, event), from the byte-wise hash. */
function reference(size: number, party: string, session: string, event: string) {
  const hash = murmur3x64_128(utf16le(party + session + event));
  const int = (at: number) =>
    (hash[at]! << 24) | (hash[at + 1]! << 16) | (hash[at + 2]! << 8) | hash[at + 3]!;
  return { slot: (int(0) & 0x7fffffff) % size, signature: `${int(8)}:${int(12)}` };
}

describe('the duplicate memory', () => {
  it('flags a repeated (party, session, event) and not a new one', () => {
    const memory = new DuplicateMemory(1000);
    expect(memory.observe('0:a:party', '0:b:session', 'e1')).toBe(false);
    expect(memory.observe('0:a:party', '0:b:session', 'e2')).toBe(false);
    expect(memory.observe('0:a:party', '0:b:session', 'e1')).toBe(true);
    expect(memory.observe('0:a:party', '0:c:session', 'e1')).toBe(false);
  });

  it('remembers exactly what Divolte’s memory would, for any identifiers of any length', () => {
    // A small memory, so slots are shared and overwritten: the verdicts then depend on every slot
    // and signature being Divolte's. Long and non-ASCII ids (lone surrogates too) grow the scratch.
    const id = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.string({ unit: 'binary', minLength: 100, maxLength: 400 }),
      fc.constantFrom('0:mwwi5nbq:VwQv4~ru4yvbF7Bfa4xIfW4Dsi9oVO8p!', '\ud800', ''),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(id, id, id), { minLength: 1, maxLength: 60 }), (events) => {
        const size = 7;
        const memory = new DuplicateMemory(size);
        const slots = new Map<number, string>();
        for (const [party, session, event] of [...events, ...events]) {
          const { slot, signature } = reference(size, party, session, event);
          // Slots start out zero, as Divolte's did: only the all-zero hash of three empty strings
          // matches that.
          expect(memory.observe(party, session, event)).toBe((slots.get(slot) ?? '0:0') === signature);
          slots.set(slot, signature);
        }
      }),
      { numRuns: 300 },
    );
  });
});
