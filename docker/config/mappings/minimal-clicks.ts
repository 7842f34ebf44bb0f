/**
 * The smallest useful user mapping: a flat record of who did what, where and when, for the schema in
 * minimal-clicks.avsc. A mapping is a function from the event and its context to a plain object whose
 * keys are the schema's fields; Footfall checks it against the schema at start-up.
 */
import type { Mapper } from 'footfall';

/** One record of minimal-clicks.avsc. */
export interface MinimalClick {
  timestamp: number;
  partyId: string | null;
  sessionId: string | null;
  eventType: string;
  path: string | null;
  referrerHost: string | null;
  countryCode: string | null;
  browser: string | null;
  isBot: boolean;
}

const minimalClicks: Mapper<MinimalClick> = (event, ctx) => ({
  timestamp: event.receivedAt,
  // With privacy.honorDoNotTrack, a DNT/GPC request carries a placeholder id; store nothing instead.
  partyId: ctx.doNotTrack ? null : event.partyId,
  sessionId: ctx.doNotTrack ? null : event.sessionId,
  eventType: event.eventType ?? 'unknown',
  path: ctx.location()?.path ?? null,
  referrerHost: ctx.referrer()?.host ?? null,
  countryCode: ctx.geo()?.countryCode ?? null,
  browser: ctx.userAgent().browserName,
  isBot: ctx.userAgent().isBot,
});

export default minimalClicks;
