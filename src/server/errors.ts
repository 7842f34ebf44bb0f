/**
 * Error answers. Clients get a stable code and one sentence, never a stack trace or an internal
 * detail; operators get the rest in the logs.
 */
import type { FastifyReply } from 'fastify';

export const ERROR_CODES = {
  badRequest: 'FOOTFALL_ERR_BAD_REQUEST',
  badJson: 'FOOTFALL_ERR_BAD_JSON',
  badEvent: 'FOOTFALL_ERR_BAD_EVENT',
  badPartyId: 'FOOTFALL_ERR_BAD_PARTY_ID',
  tooLarge: 'FOOTFALL_ERR_TOO_LARGE',
  contentType: 'FOOTFALL_ERR_CONTENT_TYPE',
  method: 'FOOTFALL_ERR_METHOD',
  notFound: 'FOOTFALL_ERR_NOT_FOUND',
  unavailable: 'FOOTFALL_ERR_UNAVAILABLE',
  uriTooLong: 'FOOTFALL_ERR_URI_TOO_LONG',
  internal: 'FOOTFALL_ERR_INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: code, message });
}
