// Divolte's wire format, shared by the server and the browser tracker. Everything here is pure
// ECMAScript (plus TextEncoder and feature-detected Web Crypto), so the tracker can bundle it.

export {
  LITTLE_ENDIAN,
  murmur3x86_32,
  murmur3x86_32Words,
  murmur3x64_128,
  murmur3x64_128Words,
  utf8,
  utf16le,
} from './murmur3.js';
export { checksumInput, computeChecksum, verifyChecksum, type ChecksumParams } from './checksum.js';
export {
  decodeMincode,
  DEFAULT_MINCODE_LIMITS,
  encodeMincode,
  MincodeError,
  mincodeOf,
  type JsonValue,
  type MincodeErrorReason,
  type MincodeLimits,
} from './mincode.js';
export {
  formatIdentifier,
  formatPageViewId,
  generateEventId,
  generateIdentifier,
  generatePageViewId,
  isValidEventId,
  isValidPageViewId,
  MAX_EVENT_ID_LENGTH,
  MAX_IDENTIFIER_LENGTH,
  MAX_PAGE_VIEW_ID_LENGTH,
  MAX_UNIQUE_LENGTH,
  parseIdentifier,
  parsePartyId,
  parseSessionId,
  secureRandomBytes,
  secureUniquePart,
  UNIQUE_ALPHABET,
  UNIQUE_LENGTH,
  webCryptoUniquePart,
  type DivolteIdentifier,
  type RandomBytes,
} from './identifiers.js';
export {
  encodeBase36Float,
  encodeBool,
  PAGE_VIEW_EVENT_TYPE,
  parseBase36Float,
  parseBase36Int,
  parseBase36Long,
  parseBool,
  QueryParam,
  type QueryParamName,
} from './params.js';
export { EventQuery, parseEventQuery } from './query.js';
export { isPixelRefetch, PIXEL_ETAG, PIXEL_ETAG_OPAQUE, PIXEL_GIF, PIXEL_HEADERS } from './pixel.js';
