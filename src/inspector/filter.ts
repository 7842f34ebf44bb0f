/**
 * The stream's filters, from `/inspect/events?source=…&type=…&party=…&session=…&outcome=…`. Each is a
 * comma-separated list of exact values; an event passes when it matches every filter given. `outcome`
 * matches the kind (`invalid`) or kind and reason (`invalid:bad_identifier`).
 */
import type { InspectorMessage } from './message.js';

export interface EventFilter {
  readonly source?: ReadonlySet<string>;
  readonly type?: ReadonlySet<string>;
  readonly party?: ReadonlySet<string>;
  readonly session?: ReadonlySet<string>;
  readonly outcome?: ReadonlySet<string>;
}

const FILTER_KEYS = ['source', 'type', 'party', 'session', 'outcome'] as const;

export function parseFilter(query: Readonly<Record<string, unknown>>): EventFilter {
  const filter: Record<string, ReadonlySet<string>> = {};
  for (const key of FILTER_KEYS) {
    const raw = query[key];
    const texts = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    const values = texts.flatMap((text) => text.split(',').map((v) => v.trim())).filter((v) => v !== '');
    if (values.length > 0) filter[key] = new Set(values);
  }
  return filter;
}

export function matches(filter: EventFilter, message: InspectorMessage): boolean {
  const { source, type, party, session, outcome } = filter;
  if (source && !source.has(message.source)) return false;
  if (type && !type.has(message.eventType ?? '')) return false;
  if (party && !party.has(message.partyId ?? '')) return false;
  if (session && !session.has(message.sessionId ?? '')) return false;
  if (outcome) {
    const { kind, reason } = message.outcome;
    if (!outcome.has(kind) && !(reason !== undefined && outcome.has(`${kind}:${reason}`))) return false;
  }
  return true;
}
