// Divolte's wire format, shared by the server and the browser tracker. Everything here is pure
// ECMAScript (plus TextEncoder and feature-detected Web Crypto), so the tracker can bundle it.

export { murmur3x64_128Words } from './murmur3.js';
export { computeChecksum, verifyChecksum } from './checksum.js';
export { decodeMincode, DEFAULT_MINCODE_LIMITS, encodeMincode } from './mincode.js';
export {
  formatIdentifier,
  formatPageViewId,
  generateEventId,
  generateIdentifier,
  generatePageViewId,
  isValidEventId,
  isValidPageViewId,
  parsePartyId,
  parseSessionId,
} from './identifiers.js';
export {
  encodeBase36Float,
  encodeBool,
  PAGE_VIEW_EVENT_TYPE,
  parseBase36Float,
  parseBase36Int,
  parseBase36Long,
  QueryParam,
} from './params.js';
export { EventQuery, parseEventQuery } from './query.js';
export { isPixelRefetch, PIXEL_ETAG, PIXEL_GIF, PIXEL_HEADERS } from './pixel.js';
