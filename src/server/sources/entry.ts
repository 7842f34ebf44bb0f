/**
 * What a source is to the app: an entry per source type (registered in ./index.ts) builds each
 * configured source of that type from the same context. The app knows nothing else about sources, so
 * it never branches on their type.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { SourceConfig } from '../../config/index.js';
import type { Ingest, MappingRoute } from '../../pipeline/index.js';
import type { ClientAddressPolicy } from '../client-address.js';
import type { CollectorMetrics } from '../metrics.js';

export type SourceType = SourceConfig['type'];

/** The config of one source type, as src/config/index.ts exports it. */
type SourceConfigOf<T extends SourceType> = Extract<SourceConfig, { readonly type: T }>;

/** Everything the app hands one configured source. */
export interface SourceContext<C extends SourceConfig = SourceConfig> {
  readonly name: string;
  readonly config: C;
  /** The mapping routes of this source, resolved at start-up. */
  readonly routes: readonly MappingRoute[];
  /** The outcome seam: a source records events and refusals there and nowhere else. */
  readonly ingest: Ingest;
  readonly addresses: ClientAddressPolicy;
  readonly now: () => number;
  readonly logger: FastifyBaseLogger;
  /** Where the live inspector is served, for the demo page to link to; absent or null when it is off. */
  readonly inspectorUrl?: string | null;
  /** Request counters, for a fast path (Fastify's onResponse hook counts the rest); absent in tests. */
  readonly metrics?: CollectorMetrics | undefined;
}

/** One configured source, as its entry built it. */
export interface Source {
  /**
   * Adds the source's routes. The app registers it as a plugin of its own, so the source's parsers,
   * limits and error handling cannot leak into another source.
   */
  readonly plugin: FastifyPluginAsync;
  /**
   * Answers a request before Fastify sees it, for traffic too heavy for Fastify's routing, hooks and
   * reply handling; false passes the request on untouched. The app calls it for every request whose
   * URL fits server.maxUrlLength, so a miss must cost next to nothing. It answers completely, counts
   * its request in `metrics`, and must not throw (the app only keeps a bug from taking the process).
   */
  fastPath?(request: IncomingMessage, response: ServerResponse): boolean;
  /**
   * The app is closing: take whatever was answered but not yet counted through the seam, now and
   * synchronously, because the sinks are drained right after.
   */
  close?(): void;
}

export interface SourceEntry<T extends SourceType = SourceType> {
  readonly type: T;
  create(context: SourceContext<SourceConfigOf<T>>): Source;
}
