import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateEventId,
  generateIdentifier,
  generatePageViewId,
  isValidEventId,
  isValidPageViewId,
  parseIdentifier,
  parsePartyId,
  parseSessionId,
  secureRandomBytes,
  UNIQUE_ALPHABET,
} from '../../../src/protocol/identifiers.js';

const TRACKER_UNIQUE = /^[A-Za-z0-9~_]{32}$/;
const fixedBytes = (fill: number) => (n: number) => new Uint8Array(n).fill(fill);

describe('parsePartyId and parseSessionId', () => {
  it('parse the example party id from the spec', () => {
    expect(parsePartyId('0:i1t84hgy:5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG')).toEqual({
      version: 0,
      timestamp: parseInt('i1t84hgy', 36),
      unique: '5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG',
      value: '0:i1t84hgy:5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG',
    });
    expect(parseSessionId('0:i1t84hgy:95CbiPCYln_1e0a6rFvuRkDkeNnc6KC8')?.unique).toBe(
      '95CbiPCYln_1e0a6rFvuRkDkeNnc6KC8',
    );
  });

  it("parse Divolte's own test id with timestamp 42", () => {
    expect(parseIdentifier('0:16:5mRCeUO4p2_6R7u1m9ZoxXG2AfBeJeHD')?.timestamp).toBe(42);
  });

  it('accept pseudo-random ids, documented app ids and ids from Divolte’s base64url generator', () => {
    for (const id of [
      '0:i1t84hgy:5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG!',
      '0:is8tiwk4:XLEUVj9hA6AXRUOp2zuIdUpaeFOC~7AU',
      '0:i1t84hgy:party',
      '0:is8tiwk4:a!b',
      '0:16:Ab-_c0d-',
      '0:-16:negative',
      '0:+16:plus',
    ]) {
      expect(parseIdentifier(id), id).not.toBeNull();
    }
  });

  it('canonicalise the timestamp the way Divolte rebuilt the id', () => {
    expect(parseIdentifier('0:+0016:x')?.value).toBe('0:16:x');
    expect(parseIdentifier('0:I1T84HGY:x')?.value).toBe('0:i1t84hgy:x');
    expect(parseIdentifier('0:-16:x')?.value).toBe('0:-16:x');
  });

  it('reject malformed ids', () => {
    const tooLong = '0:16:' + 'a'.repeat(129);
    for (const id of [
      '',
      '0',
      '0:',
      '0:16',
      '0:16:',
      '1:16:abc',
      '00:16:abc',
      ' 0:16:abc',
      '0::abc',
      '0:1.6:abc',
      '0:16:abc:def',
      '0:16:a b',
      '0:16:a%20b',
      '0:16:ab\u00e9',
      '0:zzzzzzzzzzzz:abc', // beyond 2^53
      tooLong,
      '0:i1t84hgy:5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG\n',
    ]) {
      expect(parseIdentifier(id), JSON.stringify(id)).toBeNull();
    }
    expect(parseIdentifier('0:16:' + 'a'.repeat(128))).not.toBeNull();
  });

  it('reject non-strings handed over by untyped callers', () => {
    expect(parseIdentifier(undefined as unknown as string)).toBeNull();
    expect(parseIdentifier(42 as unknown as string)).toBeNull();
  });
});

describe('generateIdentifier', () => {
  it('makes 0:<timestamp>:<32 characters> that parses back with the same timestamp', () => {
    const random = secureRandomBytes();
    expect(random).toBeDefined();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), (timestamp) => {
        const id = generateIdentifier(timestamp, random);
        const parsed = parsePartyId(id);
        expect(parsed?.timestamp).toBe(timestamp);
        expect(parsed?.value).toBe(id);
        expect(parsed?.unique).toMatch(TRACKER_UNIQUE);
      }),
    );
  });

  it('maps the low six bits of each random byte onto the alphabet', () => {
    expect(generateIdentifier(42, fixedBytes(0))).toBe('0:16:' + 'A'.repeat(32));
    expect(generateIdentifier(42, fixedBytes(0xff))).toBe('0:16:' + '_'.repeat(32));
    expect(generateIdentifier(42, fixedBytes(64 + 62))).toBe('0:16:' + '~'.repeat(32));
    expect(new Set(UNIQUE_ALPHABET).size).toBe(64);
  });

  it("marks ids made without a secure random source with '!'", () => {
    const id = generateIdentifier(Date.now());
    expect(id).toMatch(/^0:[0-9a-z]+:[A-Za-z0-9~_]{32}!$/);
    expect(parseSessionId(id)).not.toBeNull();
  });

  it('does not repeat itself', () => {
    const random = secureRandomBytes();
    const ids = new Set(Array.from({ length: 10_000 }, () => generateIdentifier(42, random)));
    expect(ids.size).toBe(10_000);
  });

  it('refuses timestamps that cannot be written exactly and short random sources', () => {
    expect(() => generateIdentifier(1.5)).toThrow(RangeError);
    expect(() => generateIdentifier(2 ** 53)).toThrow(RangeError);
    expect(() => generateIdentifier(1, () => new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('page view and event ids', () => {
  it('generates 0:<32 characters> page view ids that validate', () => {
    const id = generatePageViewId(secureRandomBytes());
    expect(id).toMatch(/^0:[A-Za-z0-9~_]{32}$/);
    expect(isValidPageViewId(id)).toBe(true);
    expect(generatePageViewId()).toMatch(/^0:[A-Za-z0-9~_]{32}!$/);
  });

  it('accepts server-supplied page view ids from the script URL fragment', () => {
    for (const id of ['0:1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF', 'my-page-view-42', '0:pageView', 'a b#c?d']) {
      expect(isValidPageViewId(id), id).toBe(true);
    }
  });

  it('rejects empty, overlong, slashed and control-character page view ids', () => {
    for (const id of ['', 'a/b', 'x'.repeat(257), 'tab\there', 'del\u007f']) {
      expect(isValidPageViewId(id), JSON.stringify(id)).toBe(false);
    }
    expect(isValidPageViewId('x'.repeat(256))).toBe(true);
  });

  it('makes event ids from the page view id and a hex counter, as divolte.js does', () => {
    const pageView = '0:1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF';
    expect(generateEventId(pageView, 0)).toBe(pageView + '0');
    expect(generateEventId(pageView, 255)).toBe(pageView + 'ff');
    expect(isValidEventId(generateEventId(pageView, 12345))).toBe(true);
  });

  it('accepts free-form event ids from apps but not empty, overlong or control-character ones', () => {
    expect(isValidEventId('AruZ~Em0WNlAnbyzVmwM~GR0cMb6Xl9r')).toBe(true);
    expect(isValidEventId('order/2024/17')).toBe(true);
    expect(isValidEventId('x'.repeat(512))).toBe(true);
    for (const id of ['', 'x'.repeat(513), 'new\nline']) {
      expect(isValidEventId(id), JSON.stringify(id)).toBe(false);
    }
  });
});
