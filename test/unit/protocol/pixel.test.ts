import { describe, expect, it } from 'vitest';
import { isPixelRefetch, PIXEL_ETAG, PIXEL_GIF, PIXEL_HEADERS } from '../../../src/protocol/pixel.js';

describe('pixel', () => {
  it('is the 37-byte GIF from the spec', () => {
    const expected = Buffer.from('R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==', 'base64');
    expect(PIXEL_GIF).toHaveLength(37);
    expect(Buffer.from(PIXEL_GIF).equals(expected)).toBe(true);
  });

  it('answers with exactly the headers Divolte sends', () => {
    expect(PIXEL_HEADERS).toEqual({
      'Content-Type': 'image/gif',
      ETag: '"6b3edc43-20ec-4078-bc47-e965dd76b88a"',
      'Cache-Control': 'private, no-cache, proxy-revalidate',
      Pragma: 'no-cache',
      Expires: 'Fri, 14 Apr 1995 11:30:00 GMT',
    });
    expect(Object.isFrozen(PIXEL_HEADERS)).toBe(true);
  });

  it('recognises a browser re-fetch by its If-None-Match header', () => {
    expect(isPixelRefetch(PIXEL_ETAG)).toBe(true);
    expect(isPixelRefetch(`W/${PIXEL_ETAG}`)).toBe(true);
    expect(isPixelRefetch(`"other", ${PIXEL_ETAG}`)).toBe(true);
    expect(isPixelRefetch(['"other"', PIXEL_ETAG])).toBe(true);
    expect(isPixelRefetch('*')).toBe(true);
  });

  it('does not mistake other or missing validators for a re-fetch', () => {
    expect(isPixelRefetch(undefined)).toBe(false);
    expect(isPixelRefetch('')).toBe(false);
    expect(isPixelRefetch('"other"')).toBe(false);
    expect(isPixelRefetch('6b3edc43-20ec-4078-bc47-e965dd76b88a')).toBe(false);
  });
});
