/**
 * The browser source's registry entry. Besides its Fastify routes (source.ts) it owns the pixel fast
 * path: the pixel is most of the traffic and needs none of Fastify's routing, hooks or reply
 * handling, so the HTTP server offers every request to `fastPath` first and this answers
 * `GET {prefix}{eventSuffix}` itself (pixel.ts), leaving everything else to Fastify. Pixel events
 * wait for their batch after the answer; `close` takes the last batch in before the sinks drain.
 */
import { ERROR_CODES, writeError } from '../../errors.js';
import type { SourceEntry } from '../entry.js';
import { browserEvents } from './pixel.js';
import { browserSource } from './source.js';

const QUESTION_MARK = 0x3f;

export const browser: SourceEntry<'browser'> = {
  type: 'browser',
  create({ name, config, routes, ingest, addresses, now, logger, metrics, inspectorUrl }) {
    const events = browserEvents({ name, source: config, routes, ingest, addresses, now });
    // Also the metrics label: the same route pattern Fastify reports for the route in source.ts.
    const eventPath = `${config.prefix}${config.eventSuffix}`;
    return {
      plugin: (app) =>
        browserSource(app, { name, source: config, events, ingest, now, inspectorUrl: inspectorUrl ?? null }),
      fastPath(request, response) {
        if (request.method !== 'GET') return false;
        // The path is the URL up to its query string; compared in place, since every request pays it
        // (prefix and suffix never hold a `?`).
        const url = request.url ?? '';
        if (!url.startsWith(eventPath)) return false;
        if (url.length > eventPath.length && url.charCodeAt(eventPath.length) !== QUESTION_MARK) return false;
        try {
          events.pixel(request, response);
        } catch (err) {
          // A bug, never input (the parsers do not throw): answer if we still can and keep serving.
          logger.error({ err }, 'the pixel handler failed');
          if (!response.headersSent) writeError(response, 500, ERROR_CODES.internal, 'internal error');
          else if (!response.writableEnded) response.end();
        }
        metrics?.countRequest(eventPath, response.statusCode);
        return true;
      },
      close: () => events.flush(),
    };
  },
};
