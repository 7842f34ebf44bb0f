/**
 * What a mapping is: a function from an event (and lazily computed helpers) to a plain record object
 * that the mapping's Avro schema then encodes. Builtin mappers and user mappings share this shape.
 */
import type { JsonValue, ClientEvent, EventFlags } from '../event.js';
import type { Campaign, UrlParts } from '../enrich/url.js';
import type { GeoInfo } from '../enrich/geo.js';
import type { UserAgentInfo } from '../enrich/user-agent.js';

/**
 * Helpers a mapping may call. Each computes its answer the first time it is asked for one event and
 * returns the same answer after that, also to the other mappings of the event; nothing is computed
 * for a mapping that does not ask.
 */
export interface MapperContext {
  /** Duplicate and corruption flags of the event. */
  readonly flags: EventFlags;
  /**
   * True when `privacy.honorDoNotTrack` is on and the request carried `DNT: 1` or `Sec-GPC: 1`. The
   * event's party and session ids are then already replaced by ANONYMOUS_ID (`0:0:anonymous`); write
   * null into nullable identifier fields when this is true.
   */
  readonly doNotTrack: boolean;
  /**
   * Browser, engine, OS, device and robot facts, plus Divolte's nine fields in Divolte's words under
   * `divolte` and in Footfall's under `footfall`.
   */
  userAgent(): UserAgentInfo;
  /**
   * Geo-IP facts of the client's full address (looked up before the IP privacy policy applies), or of
   * `ip` when given; null when unknown or when no database is configured.
   */
  geo(ip?: string): GeoInfo | null;
  /** The page URL in parts; null when absent or not an absolute URL. */
  location(): UrlParts | null;
  /** The referrer URL in parts; null when absent or not an absolute URL. */
  referrer(): UrlParts | null;
  /** Whether the referrer is on the same site as the page (see `sameSite`); null when either is unknown. */
  referrerInternal(): boolean | null;
  /** UTM parameters and ad click id of the page URL. */
  campaign(): Campaign;
  /**
   * A value inside the custom event parameters by path: `product.id`, `items[0].sku`, `$.a.b` or
   * `['key.with.dots']`; undefined when the path leads nowhere.
   */
  parameter(path: string): JsonValue | undefined;
  /** First value of a request header (name in any case); null when absent. */
  header(name: string): string | null;
  /** Every value of a request header as Node received it (repeated headers are usually joined by `, `). */
  headerValues(name: string): readonly string[];
  /** A cookie of the request, percent-decoded when it decodes; null when absent. */
  cookie(name: string): string | null;
}

/**
 * A mapping. Returning null discards the event (outcome `discarded`, reason `filtered`), the
 * equivalent of Divolte's `stop()`. A mapping that throws, or returns a record that does not fit its
 * schema, makes that one event `invalid` with reason `mapping_failed`.
 */
export type Mapper<R extends object = object> = (event: ClientEvent, context: MapperContext) => R | null;
