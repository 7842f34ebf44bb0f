/**
 * What the live inspector shows of a request. Sources build it only while `ingest.watching` is true,
 * so with nobody watching no source builds anything for the inspector.
 */
import { cookieNames, type RequestHeaders, type RequestView } from '../../pipeline/index.js';
import type { EventQuery } from '../../protocol/index.js';

/** Most characters of a body that is not JSON the inspector shows. */
const MAX_TEXT = 2048;

export interface RequestFacts {
  readonly method?: string;
  readonly url?: string;
  readonly receivedAt: number;
  readonly remoteHost: string;
  readonly userAgent: string | null;
  readonly headers: RequestHeaders;
}

export function requestView(
  facts: RequestFacts,
  payload: Pick<RequestView, 'query' | 'body'> = {},
): RequestView {
  const url = facts.url ?? '';
  const mark = url.indexOf('?');
  return {
    method: facts.method ?? '',
    path: mark === -1 ? url : url.slice(0, mark),
    receivedAt: facts.receivedAt,
    clientAddress: facts.remoteHost,
    userAgent: facts.userAgent,
    cookies: cookieNames(facts.headers),
    ...payload,
  };
}

/** A browser event's parameters as pairs, in the order sent. */
export function queryPairs(query: EventQuery): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < query.keys.length; i++) pairs.push([query.keys[i]!, query.values[i] ?? '']);
  return pairs;
}

/** A request body as the inspector shows it: parsed JSON, or the start of the text. */
export function bodyView(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  }
}
