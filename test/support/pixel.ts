/** Builds browser-event query strings the way divolte.js does, checksum included. */
import { computeChecksum } from '../../src/protocol/index.js';
import { PARTY, SESSION } from './collector.js';

export const PAGE_VIEW = '0:1fF6GFGjDOQiEx_OxnTm_tl4BH91eGLF';

export type PixelParams = Record<string, string | undefined>;

export function pixelParams(overrides: PixelParams = {}): PixelParams {
  return {
    p: PARTY,
    s: SESSION,
    v: PAGE_VIEW,
    e: `${PAGE_VIEW}0`,
    c: 'i1t8q2b6',
    n: 'f',
    f: 'f',
    l: 'http://localhost:8290/',
    i: '1ak',
    j: 'sj',
    k: '2',
    w: 'uq',
    h: 'qd',
    t: 'pageView',
    ...overrides,
  };
}

/** The query string for these parameters; `x` is computed unless given (pass `x: undefined` to omit). */
export function pixelQuery(params: PixelParams = pixelParams(), withChecksum = true): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && key !== 'x') search.append(key, value);
  }
  if ('x' in params) {
    if (params.x !== undefined) search.append('x', params.x);
  } else if (withChecksum) {
    search.append('x', computeChecksum(search));
  }
  // URLSearchParams writes spaces as '+'; divolte.js uses encodeURIComponent's %20.
  return search.toString().replace(/\+/g, '%20');
}
