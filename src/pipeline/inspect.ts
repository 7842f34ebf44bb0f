/**
 * The port the live inspector listens on (src/inspector/ implements it). The ingest seam is the one
 * place every event ends, invalid and refused ones included, so it is the one place the inspector is
 * told about them. Nothing here is built unless `watching` is true: the seam checks that one field per
 * event, and with nobody watching the hot path does exactly what it does without an inspector.
 */
import type { ClientEvent, RequestHeaders } from './event.js';
import type { Outcome } from './outcomes.js';

/** What the inspector shows of the request an event came in. */
export interface RequestView {
  readonly method: string;
  /** The URL path, without the query string. */
  readonly path: string;
  readonly receivedAt: number;
  /** The client's address after the trusted-proxy policy. */
  readonly clientAddress: string;
  readonly userAgent: string | null;
  /** Names of the cookies the request carried; never their values. */
  readonly cookies: readonly string[];
  /** A browser event's parameters as sent (decoded from the query string or beacon line). */
  readonly query?: readonly (readonly [string, string])[];
  /** A JSON request's body: parsed when it is JSON, else its first characters as text. */
  readonly body?: unknown;
}

/** One mapping's part in an event: its outcome and, when it made one, the encoded record. */
export interface RouteSighting {
  readonly mapping: string;
  readonly sinks: readonly string[];
  readonly outcome: Outcome;
  /** The Avro binary the sinks were offered; absent when the mapping made no record. */
  readonly value?: Buffer;
}

/** One event (or one refused request) as the seam saw it, with its final outcome. */
export interface Sighting {
  readonly sourceName: string;
  readonly receivedAt: number;
  readonly outcome: Outcome;
  /** Events this outcome stands for: more than one only for a request refused as a whole. */
  readonly count: number;
  readonly event?: ClientEvent;
  readonly request?: RequestView;
  /** The event was in the duplicate memory already. */
  readonly duplicate: boolean;
  readonly routes: readonly RouteSighting[];
}

export interface EventObserver {
  /** Read once per event: false means the seam builds nothing for the observer. */
  readonly watching: boolean;
  /**
   * Asked while watching, before anything is built: follow this event (`event`, before the
   * pipeline, so its records are kept) or show this refusal (`refusal`: an event that ended in
   * anything but accepted without being followed, or a request refused as a whole)? Lets the observer
   * sample a flood down to what a person can read without the seam building what it would drop.
   */
  admit(kind: 'event' | 'refusal'): boolean;
  /** Must not throw or wait; the seam guards it anyway. */
  see(sighting: Sighting): void;
}

/** The names of the cookies in a request's Cookie header(s). */
export function cookieNames(headers: RequestHeaders): string[] {
  const raw = headers.cookie;
  if (raw === undefined) return [];
  const names: string[] = [];
  for (const header of Array.isArray(raw) ? raw : [raw]) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
      if (name !== '') names.push(name);
    }
  }
  return names;
}
