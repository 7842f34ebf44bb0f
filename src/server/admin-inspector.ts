/**
 * The inspector's routes on the admin listener: `GET /inspect` (the page and its two assets) and
 * `GET /inspect/events` (Server-Sent Events, the stream `footfall tail` reads too). The page and the
 * stream need the token when one is configured, as `Authorization: Bearer …` or `?token=…`
 * (EventSource cannot set headers); the assets hold nothing secret and are served to anyone.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { parseFilter } from '../inspector/filter.js';
import type { Inspector } from '../inspector/inspector.js';
import { PAGE_CSP, PAGE_HTML, PAGE_SCRIPT, PAGE_STYLE } from '../inspector/page.js';
import { ERROR_CODES, sendError } from './errors.js';

export interface InspectorRoutesOptions {
  readonly inspector: Inspector;
  /** Null: no token needed (the config allows that only on a loopback admin listener). */
  readonly token: string | null;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export const inspectorRoutes: FastifyPluginAsync<InspectorRoutesOptions> = async (app, options) => {
  const { inspector } = options;
  // Compared as SHA-256 digests: equal lengths whatever was sent, so timingSafeEqual tells nothing
  // about the token's length or its first differing character.
  const expected = options.token === null ? null : digest(options.token);

  const presented = (request: FastifyRequest): string | undefined => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      return match?.[1];
    }
    const query = request.query as Record<string, unknown>;
    return typeof query.token === 'string' ? query.token : undefined;
  };

  const authorised = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (expected === null) return true;
    const token = presented(request);
    if (token !== undefined && timingSafeEqual(digest(token), expected)) return true;
    reply.header('www-authenticate', 'Bearer realm="footfall-inspector"');
    sendError(reply, 401, ERROR_CODES.unauthorized, 'a valid inspector token is needed');
    return false;
  };

  app.get('/inspect', async (request, reply) => {
    if (!authorised(request, reply)) return reply;
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(PAGE_HTML);
  });
  app.get('/inspect/page.js', async (_request, reply) =>
    reply
      .header('x-content-type-options', 'nosniff')
      .type('text/javascript; charset=utf-8')
      .send(PAGE_SCRIPT),
  );
  app.get('/inspect/page.css', async (_request, reply) =>
    reply.header('x-content-type-options', 'nosniff').type('text/css; charset=utf-8').send(PAGE_STYLE),
  );

  app.get('/inspect/events', async (request, reply) => {
    if (!authorised(request, reply)) return reply;
    // The stream outlives the handler: Fastify lets go of the response, the inspector writes it.
    reply.hijack();
    const lastId = Number(request.headers['last-event-id'] ?? 0);
    inspector.attach(
      reply.raw,
      parseFilter(request.query as Record<string, unknown>),
      Number.isSafeInteger(lastId) ? lastId : 0,
    );
    return reply;
  });
};
