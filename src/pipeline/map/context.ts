/**
 * The MapperContext of one event. Everything is lazy and memoised: a field stays `undefined` until a
 * mapping first asks, and the answer is then kept for the other mappings of the same event. The
 * client's full address stays in a private field; mappings only see the event after the privacy
 * policy (see enrich/privacy.ts).
 */
import type { ClientEvent, EventFlags, JsonValue, RequestHeaders } from '../event.js';
import type { Enrichment } from '../enrich/index.js';
import type { GeoInfo } from '../enrich/geo.js';
import { applyPrivacy } from '../enrich/privacy.js';
import { campaignOf, parseUrl, sameSite, type Campaign, type UrlParts } from '../enrich/url.js';
import type { UserAgentInfo } from '../enrich/user-agent.js';
import type { MapperContext } from './mapper.js';

export class EventContext implements MapperContext {
  /** The event as mappings see it: identical to the received one unless the privacy policy changed it. */
  readonly event: ClientEvent;
  readonly doNotTrack: boolean;
  readonly #enrich: Enrichment;
  readonly #remoteHost: string;
  readonly #headers: RequestHeaders;
  #userAgent: UserAgentInfo | undefined;
  #geo: GeoInfo | null | undefined;
  #location: UrlParts | null | undefined;
  #referrer: UrlParts | null | undefined;
  #campaign: Campaign | undefined;
  #cookies: Map<string, string> | undefined;

  constructor(
    received: ClientEvent,
    readonly flags: EventFlags,
    enrich: Enrichment,
  ) {
    const view = applyPrivacy(received, enrich.privacy);
    this.event = view.event;
    this.doNotTrack = view.doNotTrack;
    this.#enrich = enrich;
    this.#remoteHost = received.remoteHost;
    this.#headers = view.event.headers;
  }

  userAgent(): UserAgentInfo {
    this.#userAgent ??= this.#enrich.userAgent(this.event.userAgent, this.#headers);
    return this.#userAgent;
  }

  geo(ip?: string): GeoInfo | null {
    const lookup = this.#enrich.geo;
    if (lookup === null) return null;
    if (ip !== undefined) return lookup(ip);
    if (this.#geo === undefined) this.#geo = lookup(this.#remoteHost);
    return this.#geo;
  }

  location(): UrlParts | null {
    if (this.#location === undefined) this.#location = parseUrl(this.event.location);
    return this.#location;
  }

  referrer(): UrlParts | null {
    if (this.#referrer === undefined) this.#referrer = parseUrl(this.event.referrer);
    return this.#referrer;
  }

  referrerInternal(): boolean | null {
    const referrer = this.referrer();
    if (referrer === null) return null;
    return sameSite(referrer.host, this.location()?.host ?? null);
  }

  campaign(): Campaign {
    this.#campaign ??= campaignOf(this.location());
    return this.#campaign;
  }

  parameter(path: string): JsonValue | undefined {
    return valueAt(this.event.parameters, path);
  }

  header(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? (value[0] ?? null) : value;
  }

  headerValues(name: string): readonly string[] {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }

  cookie(name: string): string | null {
    this.#cookies ??= parseCookies(this.header('cookie'));
    return this.#cookies.get(name) ?? null;
  }
}

/** `name=value; other=value`; the first occurrence of a name wins, as browsers send the most specific first. */
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === null) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = pair.slice(0, eq).trim();
    if (name === '' || cookies.has(name)) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value);
      } catch {
        // Not percent-encoding after all: keep the raw text.
      }
    }
    cookies.set(name, value);
  }
  return cookies;
}

type Step = string | number;

const compiled = new Map<string, readonly Step[] | null>();
const MAX_COMPILED = 1000;

/** Follows a parameter path; undefined when it leads nowhere or does not parse. */
export function valueAt(root: JsonValue | undefined, path: string): JsonValue | undefined {
  let steps = compiled.get(path);
  if (steps === undefined) {
    steps = compilePath(path);
    if (compiled.size < MAX_COMPILED) compiled.set(path, steps);
  }
  if (steps === null) return undefined;
  let node: JsonValue | undefined = root;
  for (const step of steps) {
    if (node === null || node === undefined || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      const index = typeof step === 'number' ? step : /^\d+$/.test(step) ? Number(step) : -1;
      node = index >= 0 && index < node.length ? node[index] : undefined;
    } else {
      const key = String(step);
      node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    }
  }
  return node;
}

/** `$.a.b[0]['c.d']` → ['a', 'b', 0, 'c.d']; null when the text is not a path. */
function compilePath(path: string): readonly Step[] | null {
  let rest = path.startsWith('$') ? path.slice(1) : path;
  if (rest !== '' && rest[0] !== '.' && rest[0] !== '[') rest = `.${rest}`;
  const steps: Step[] = [];
  while (rest !== '') {
    const match =
      /^\.([^.[\]]+)/.exec(rest) ??
      /^\[(\d+)\]/.exec(rest) ??
      /^\[(['"])((?:(?!\1)[^\\]|\\.)*)\1\]/.exec(rest);
    if (match === null) return null;
    if (match[0].startsWith('.')) steps.push(match[1] as string);
    else if (match[2] === undefined) steps.push(Number(match[1]));
    else steps.push(match[2].replace(/\\(.)/g, '$1'));
    rest = rest.slice(match[0].length);
  }
  return steps;
}
