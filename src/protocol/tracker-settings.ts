// The per-source settings baked into the browser tracker. The server builds them from a browser
// source's configuration and writes them, JSON-escaped, over the placeholder of the bundled
// template; the tracker reads them as a literal. They live in protocol/ because both sides must
// agree on them and the tracker may import nothing else.
//
// A tuple rather than an object: property names survive minification and would cost the tracker's
// size budget twice, once in its code and once in the literal.

export type TrackerSettings = readonly [
  partyCookie: string,
  sessionCookie: string,
  /** Seconds; cookies are rewritten with this max-age on every event (a sliding expiry). */
  partyTimeout: number,
  sessionTimeout: number,
  /**
   * What follows `name=value; max-age=…` in every cookie the tracker writes: `; path=/`, the
   * optional `; domain=…`, `; samesite=…` and, when the source always wants it, `; secure`.
   */
  cookieAttributes: string,
  /** Add `; secure` on https pages (the `auto` setting). */
  secureOnHttps: boolean,
  eventSuffix: string,
  /** Signal `pageView` on its own: once visible, after a back/forward cache restore, on SPA navigation. */
  autoPageView: boolean,
  /**
   * Which history changes start a page view: 1 when path or query change, 2 when any part of the
   * URL changes (fragment included), 0 never (the build then leaves the code out; see
   * TrackerFeatures).
   */
  spaPageViews: 0 | 1 | 2,
];

/**
 * Features compiled in or out of a template (esbuild `define`), so that a source pays only for
 * what it uses. The server picks the template whose features match the source's configuration.
 */
export interface TrackerFeatures {
  /** Page views on pushState, replaceState and popstate. */
  readonly spa: boolean;
  /** Track nobody whose browser sends Global Privacy Control or Do Not Track. */
  readonly privacy: boolean;
}

/** The template file of a feature set, as scripts/build-tracker.mjs names it. */
export function trackerTemplateName(features: TrackerFeatures): string {
  return `tracker${features.spa ? '-spa' : ''}${features.privacy ? '-privacy' : ''}.template.js`;
}

/**
 * The identifier the bundled template carries where the settings belong. A bare global name, so
 * minification keeps it verbatim and it occurs exactly once.
 */
export const TRACKER_SETTINGS_PLACEHOLDER = '__FOOTFALL_TRACKER_SETTINGS__';
