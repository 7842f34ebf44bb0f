/**
 * The event model: what a source route extracts from a request. It is plain data, built once per
 * request and never mutated; later stages derive new values from it instead of changing it.
 */

/** A JSON value as decoded from mincode or a JSON body. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type SourceType = 'browser' | 'json';

/** Request headers as Node gives them: lower-case names, repeated headers as arrays. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface ClientEvent {
  readonly sourceName: string;
  readonly sourceType: SourceType;
  /** Server receive time, ms since the epoch. */
  readonly receivedAt: number;
  /** The client's address after the trusted-proxy policy; never resolved through DNS. */
  readonly remoteHost: string;
  readonly userAgent: string | null;
  readonly headers: RequestHeaders;

  readonly partyId: string;
  readonly sessionId: string;
  /** Null for events from the JSON source, which has no page views. */
  readonly pageViewId: string | null;
  readonly eventId: string;
  /** Client clock, ms since the epoch. */
  readonly clientTimestamp: number;
  readonly newParty: boolean;
  readonly firstInSession: boolean;
  readonly eventType: string | null;

  readonly location: string | null;
  readonly referrer: string | null;
  readonly screenWidth: number | null;
  readonly screenHeight: number | null;
  readonly viewportWidth: number | null;
  readonly viewportHeight: number | null;
  readonly devicePixelRatio: number | null;

  /** Custom event parameters; undefined when none were sent or they could not be decoded. */
  readonly parameters: JsonValue | undefined;
  /** The checksum was missing or wrong (browser source only). */
  readonly corrupt: boolean;
}

/** Flags computed by the pipeline from the event and the collector's short-term memory. */
export interface EventFlags {
  readonly duplicate: boolean;
  readonly corrupt: boolean;
}
