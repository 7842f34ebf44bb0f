/**
 * The browser source: Divolte's pixel endpoint. The GIF goes out before the event is looked at, so a
 * slow or failing pipeline never shows in page loads; what the event turns into is counted as its
 * outcome instead. `{prefix}{scriptName}` will serve the tracker (its own issue).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BrowserSourceConfig } from '../../config/index.js';
import { processEvent, type MappingRoute, type PipelineContext } from '../../pipeline/index.js';
import { isPixelRefetch, PIXEL_GIF, PIXEL_HEADERS } from '../../protocol/index.js';
import type { ClientAddressPolicy } from '../client-address.js';
import { parseBrowserEvent, parseQuery } from './browser-event.js';

export interface BrowserSourceOptions {
  readonly name: string;
  readonly source: BrowserSourceConfig;
  readonly routes: readonly MappingRoute[];
  readonly pipeline: PipelineContext;
  readonly addresses: ClientAddressPolicy;
  readonly now: () => number;
}

// Built once: the hot path only hands Node a ready Buffer and a frozen header object.
const PIXEL = Buffer.from(PIXEL_GIF.buffer, PIXEL_GIF.byteOffset, PIXEL_GIF.byteLength);
const PIXEL_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(PIXEL_HEADERS).map(([key, value]) => [key.toLowerCase(), value])),
);
const NOT_MODIFIED_HEADERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(PIXEL_RESPONSE_HEADERS).filter(([key]) => key !== 'content-type')),
);
const OTHER_METHODS = ['HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

export const browserSource: FastifyPluginAsync<BrowserSourceOptions> = async (app, options) => {
  const { name, source, routes, pipeline, addresses, now } = options;
  const eventUrl = `${source.prefix}${source.eventSuffix}`;

  const handleEvent = (request: FastifyRequest, reply: FastifyReply): void => {
    // A browser re-sending a cached pixel request is replaying an event we already have.
    if (isPixelRefetch(request.headers['if-none-match'])) {
      reply.code(304).headers(NOT_MODIFIED_HEADERS).send();
      return;
    }
    const receivedAt = now();
    reply.code(200).headers(PIXEL_RESPONSE_HEADERS).send(PIXEL);

    const url = request.url;
    const mark = url.indexOf('?');
    const parsed = parseBrowserEvent(parseQuery(mark === -1 ? '' : url.slice(mark + 1)), {
      sourceName: name,
      receivedAt,
      remoteHost: addresses.clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for']),
      userAgent: request.headers['user-agent'] ?? null,
      headers: request.headers,
    });
    if (!parsed.ok) {
      pipeline.outcomes.record({ kind: 'invalid', reason: parsed.reason, detail: parsed.message }, name);
      return;
    }
    processEvent(parsed.event, routes, pipeline);
  };

  app.route({ method: 'GET', url: eventUrl, exposeHeadRoute: false, handler: handleEvent });
  app.route({
    method: [...OTHER_METHODS],
    url: eventUrl,
    handler: (_request, reply) => {
      reply.code(405).header('allow', 'GET').type('text/plain; charset=utf-8').send('Method Not Allowed');
    },
  });
};
