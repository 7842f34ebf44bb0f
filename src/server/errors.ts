/**
 * Error answers. Clients get a stable code and one sentence, never a stack trace, an internal detail
 * or anything of their own request echoed back (a URL, a header, a piece of the body); operators get
 * the rest in the logs. Every error the public port answers has this shape, including those Node's
 * HTTP parser and Fastify's router raise before any route runs (app.ts).
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

export const ERROR_CODES = {
  badRequest: 'FOOTFALL_ERR_BAD_REQUEST',
  badJson: 'FOOTFALL_ERR_BAD_JSON',
  badEvent: 'FOOTFALL_ERR_BAD_EVENT',
  badPartyId: 'FOOTFALL_ERR_BAD_PARTY_ID',
  unmappable: 'FOOTFALL_ERR_UNMAPPABLE',
  tooLarge: 'FOOTFALL_ERR_TOO_LARGE',
  contentType: 'FOOTFALL_ERR_CONTENT_TYPE',
  method: 'FOOTFALL_ERR_METHOD',
  notFound: 'FOOTFALL_ERR_NOT_FOUND',
  timeout: 'FOOTFALL_ERR_TIMEOUT',
  headersTooLarge: 'FOOTFALL_ERR_HEADERS_TOO_LARGE',
  unavailable: 'FOOTFALL_ERR_UNAVAILABLE',
  uriTooLong: 'FOOTFALL_ERR_URI_TOO_LONG',
  internal: 'FOOTFALL_ERR_INTERNAL',
  unauthorized: 'FOOTFALL_ERR_UNAUTHORIZED',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
): FastifyReply {
  return reply.code(status).type(JSON_TYPE).send({ error: code, message });
}

/** The same answer on Node's own response, for the raw-HTTP paths that run before Fastify. */
export function writeError(response: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ error: code, message });
  response.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * A whole HTTP/1.1 response with the error body, for a socket no request object was made for (Node's
 * parser refused the bytes). Built once per kind: the parser's refusals are answered without
 * allocating.
 */
export function rawErrorResponse(status: number, code: ErrorCode, message: string): Buffer {
  const body = JSON.stringify({ error: code, message });
  return Buffer.from(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `content-type: ${JSON_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `cache-control: no-store\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * 503 with Retry-After for a request some of whose events its sinks' journals could not write: the
 * client sends them again later (answered means stored, so nothing else may be said).
 */
export function sendNotStored(reply: FastifyReply, dropped: number): FastifyReply {
  reply.header('retry-after', '5');
  return sendError(
    reply,
    503,
    ERROR_CODES.unavailable,
    `${dropped} event(s) could not be stored; retry later`,
  );
}
