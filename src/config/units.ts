/**
 * Human-friendly units for config values: durations such as `30m` or `730d` and sizes such as `4kb`.
 * Plain numbers are accepted too (milliseconds and bytes) so environment variables stay simple.
 */

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

// Binary multiples: a collector's limits are about buffers, where 1kb meaning 1024 bytes surprises nobody.
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  tb: 1024 ** 4,
};

const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

function parseUnit(value: string | number, units: Record<string, number>, bare: string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = PATTERN.exec(value);
  if (!match) return undefined;
  const unit = (match[2] ?? '').toLowerCase() || bare;
  const factor = units[unit];
  if (factor === undefined) return undefined;
  return Math.round(Number(match[1]) * factor);
}

/**
 * The strings parseDuration and parseSize accept, as a JSON Schema `pattern` (ECMAScript syntax without
 * flags, so each unit letter is spelt in both cases): the published schema (json-schema.ts) accepts in
 * a YAML editor what the loader accepts. A unit test holds each pattern to its parser.
 */
export const DURATION_PATTERN = unitPattern(DURATION_UNITS);
export const SIZE_PATTERN = unitPattern(SIZE_UNITS);

function unitPattern(units: Record<string, number>): string {
  const anyCase = (unit: string): string =>
    [...unit].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
  return `^\\s*\\d+(?:\\.\\d+)?\\s*(?:${Object.keys(units).map(anyCase).join('|')})?\\s*$`;
}

/** Milliseconds for `250ms`, `30s`, `30m`, `1h`, `730d`, `2w` or a bare number of ms; undefined when unparsable. */
export function parseDuration(value: string | number): number | undefined {
  return parseUnit(value, DURATION_UNITS, 'ms');
}

/** Bytes for `512b`, `4kb`, `64mb`, `1gb` or a bare number of bytes; undefined when unparsable. */
export function parseSize(value: string | number): number | undefined {
  return parseUnit(value, SIZE_UNITS, 'b');
}
