/**
 * The Prometheus text exposition as families, read by an independent parser
 * (parse-prometheus-text-format, adapted from Prometheus's Python client parser), so a test checks
 * what a scraper would see rather than what our own string handling makes of it. That parser rejects
 * malformed lines and gives names, help and types, but folds every series of a histogram with labels
 * into one and drops their sums and counts (1.1.1); histogram series are therefore read here from
 * their `_bucket`, `_sum` and `_count` lines, grouped by their labels other than `le`.
 */
import { spawnSync } from 'node:child_process';
import parse from 'parse-prometheus-text-format';

type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  /** Counters, gauges and untyped samples. */
  readonly value?: number;
  /** Histograms: cumulative counts by `le` bound (text, '+Inf' last), sum and count. */
  readonly buckets?: ReadonlyArray<readonly [string, number]>;
  readonly sum?: number;
  readonly count?: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: FamilyType;
  readonly samples: readonly Sample[];
}

const bound = (le: string): number => (le === '+Inf' ? Infinity : Number(le));

/** Parses the text; throws on anything the text format does not allow. */
export function parseExposition(text: string): Family[] {
  return parse(text).map((family) => ({
    name: family.name,
    help: family.help,
    type: family.type.toLowerCase() as FamilyType,
    samples:
      family.type === 'HISTOGRAM'
        ? histogramSeries(text, family.name)
        : family.metrics.map((metric) => ({ labels: metric.labels ?? {}, value: Number(metric.value) })),
  }));
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function histogramSeries(text: string, name: string): Sample[] {
  const series = new Map<
    string,
    { labels: Record<string, string>; buckets: [string, number][]; sum?: number; count?: number }
  >();
  for (const line of text.split('\n')) {
    const [, metric, labelText = '', value = ''] = SAMPLE_LINE.exec(line) ?? [];
    const part = metric?.startsWith(`${name}_`) ? metric.slice(name.length + 1) : undefined;
    if (part !== 'bucket' && part !== 'sum' && part !== 'count') continue;
    const { le, ...labels } = Object.fromEntries(
      [...labelText.matchAll(LABEL)].map(([, key, text]) => [key as string, text as string]),
    );
    const key = JSON.stringify(Object.entries(labels).sort());
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { labels, buckets: [] }));
    if (part === 'bucket') entry.buckets.push([String(le), Number(value)]);
    else entry[part] = Number(value);
  }
  return [...series.values()].map((entry) => ({
    ...entry,
    buckets: entry.buckets.sort(([a], [b]) => bound(a) - bound(b)),
  }));
}

/** promtool's path, or null when it is not installed (Debian package `prometheus`). */
export function findPromtool(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** Runs `promtool check metrics` on the text: its exit code and what it printed (lint problems). */
export function promtoolCheck(promtool: string, text: string): { status: number | null; output: string } {
  const run = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
