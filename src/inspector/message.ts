/**
 * One SSE message of the inspector: an event as the ingest seam saw it, as plain JSON. Built after
 * the event's turn (the hub batches them), never on the event's own path. Records are shown in Avro's
 * JSON encoding (avsc's `Type#toString(value)`: unions wrapped as `{"type": value}`, bytes as
 * code-point strings), decoded from the very bytes the sinks were offered.
 */
import type { Outcome, RequestView, Sighting } from '../pipeline/index.js';

/** What the inspector needs of a mapping's codec. */
export interface RecordReader {
  decode(value: Buffer): unknown;
  readonly type: { toString(value?: unknown): string };
}

interface MessageRecord {
  readonly mapping: string;
  readonly sinks: readonly string[];
  readonly outcome: OutcomeView;
  /** The record in Avro's JSON encoding; absent when the mapping made none. */
  readonly record?: unknown;
  readonly error?: string;
}

interface OutcomeView {
  readonly kind: Outcome['kind'];
  readonly reason?: string;
  readonly detail?: string;
}

export interface InspectorMessage {
  readonly seq: number;
  /** Receive time, ISO 8601. */
  readonly time: string;
  readonly source: string;
  readonly outcome: OutcomeView;
  readonly count: number;
  readonly eventType: string | null;
  readonly partyId: string | null;
  readonly sessionId: string | null;
  readonly flags: { readonly corrupt: boolean; readonly duplicate: boolean };
  readonly request: RequestView | null;
  /** The parsed event's fields (not its headers); null when it did not parse. */
  readonly event: Record<string, unknown> | null;
  readonly records: readonly MessageRecord[];
}

function outcomeView(outcome: Outcome): OutcomeView {
  if (outcome.kind === 'accepted') return { kind: 'accepted' };
  if (outcome.kind === 'invalid' && outcome.detail !== undefined)
    return { kind: outcome.kind, reason: outcome.reason, detail: outcome.detail };
  return { kind: outcome.kind, reason: outcome.reason };
}

export function buildMessage(
  sighting: Sighting,
  seq: number,
  readers: ReadonlyMap<string, RecordReader>,
): InspectorMessage {
  const event = sighting.event;
  let fields: Record<string, unknown> | null = null;
  if (event !== undefined) {
    // Headers stay out: cookies and authorisation would be shown to whoever watches.
    const { headers: _headers, ...rest } = event;
    fields = rest;
  }
  return {
    seq,
    time: new Date(sighting.receivedAt).toISOString(),
    source: sighting.sourceName,
    outcome: outcomeView(sighting.outcome),
    count: sighting.count,
    eventType: event?.eventType ?? null,
    partyId: event?.partyId ?? null,
    sessionId: event?.sessionId ?? null,
    flags: { corrupt: event?.corrupt ?? false, duplicate: sighting.duplicate },
    request: sighting.request ?? null,
    event: fields,
    records: sighting.routes.map((route) => {
      const base = { mapping: route.mapping, sinks: route.sinks, outcome: outcomeView(route.outcome) };
      if (route.value === undefined) return base;
      const reader = readers.get(route.mapping);
      if (reader === undefined) return { ...base, error: 'no codec known for this mapping' };
      try {
        return { ...base, record: JSON.parse(reader.type.toString(reader.decode(route.value))) as unknown };
      } catch (err) {
        return { ...base, error: `could not decode: ${(err as Error).message}` };
      }
    }),
  };
}
