// The tracking pixel of the browser source, byte for byte what Divolte answers: a 1x1 transparent
// GIF whose ETag doubles as a re-fetch detector. Browsers never see a cacheable response, so a
// request that still carries this ETag in If-None-Match is a browser or proxy replaying an old
// event, not a new one.

/**
 * The 37-byte GIF, base64 `R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==`. Inlined rather
 * than decoded so the module needs neither Buffer nor atob. Shared: never write to it.
 */
export const PIXEL_GIF: Uint8Array = Uint8Array.of(
  0x47,
  0x49,
  0x46,
  0x38,
  0x39,
  0x61,
  0x01,
  0x00,
  0x01,
  0x00,
  0x00,
  0x00,
  0x00,
  0x21,
  0xf9,
  0x04,
  0x01,
  0x0a,
  0x00,
  0x01,
  0x00,
  0x2c,
  0x00,
  0x00,
  0x00,
  0x00,
  0x01,
  0x00,
  0x01,
  0x00,
  0x00,
  0x02,
  0x02,
  0x4c,
  0x01,
  0x00,
  0x3b,
);

/** The entity tag without quotes, as it appears inside If-None-Match. */
const PIXEL_ETAG_OPAQUE = '6b3edc43-20ec-4078-bc47-e965dd76b88a';
/** The ETag header value (a strong tag, hence quoted and without `W/`). */
export const PIXEL_ETAG = `"${PIXEL_ETAG_OPAQUE}"`;

/**
 * Headers of every pixel response, 200 and 304 alike. The 1995 Expires date and the no-cache trio
 * keep browsers and proxies from answering a repeated event URL from cache.
 */
export const PIXEL_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'image/gif',
  ETag: PIXEL_ETAG,
  'Cache-Control': 'private, no-cache, proxy-revalidate',
  Pragma: 'no-cache',
  Expires: 'Fri, 14 Apr 1995 11:30:00 GMT',
});

/**
 * Whether an If-None-Match header names the pixel: `*`, or a list containing the tag, weak (`W/`)
 * or strong. That is RFC 9110's weak comparison, which Divolte (Undertow with weak matching
 * allowed) used too. Such a request gets 304 and records nothing.
 */
export function isPixelRefetch(ifNoneMatch: string | readonly string[] | undefined): boolean {
  if (ifNoneMatch === undefined) return false;
  const headers = typeof ifNoneMatch === 'string' ? [ifNoneMatch] : ifNoneMatch;
  for (const header of headers) {
    for (const raw of header.split(',')) {
      let tag = raw.trim();
      if (tag === '*') return true;
      if (tag.startsWith('W/')) tag = tag.slice(2);
      if (tag === PIXEL_ETAG) return true;
    }
  }
  return false;
}
