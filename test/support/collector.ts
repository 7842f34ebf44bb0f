/**
 * Helpers for tests that need a real collector: a frozen config from YAML text or overrides, a silent
 * logger, and an in-process collector on a temporary data folder.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import avsc from 'avsc';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import {
  formatIssues,
  loadConfig,
  type BrowserSourceConfig,
  type FootfallConfig,
} from '../../src/config/index.js';
import { startCollector, type RunningCollector } from '../../src/collector/collector.js';

export const PARTY = '0:i1t84hgy:5AF359Zjq5kUy98u4wQjlIZzWGhN~GlG';
export const SESSION = '0:i1t84hgy:95CbiPCYln_1e0a6rFvuRkDkeNnc6KC8';

export function tempDir(prefix = 'footfall-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Loads a config the way the CLI does, from YAML text written into a fresh temp folder. */
export function configFrom(
  yaml: string,
  env: Record<string, string> = {},
): { config: FootfallConfig; dir: string } {
  const dir = tempDir();
  const file = path.join(dir, 'footfall.yaml');
  writeFileSync(file, yaml);
  const result = loadConfig({ file, env: { FOOTFALL_DATA_DIR: path.join(dir, 'data'), ...env } });
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return { config: result.config, dir };
}

/** The browser source of the built-in defaults, as the CLI would run it without a config file. */
export function defaultBrowserSource(): BrowserSourceConfig {
  const result = loadConfig({ env: {} });
  if (!result.ok) throw new Error('the defaults must load');
  const source = result.config.sources.browser;
  if (source?.type !== 'browser') throw new Error('the defaults have a browser source');
  return source;
}

export async function inProcessCollector(
  yaml = 'server: { shutdownDelay: 0, port: 0, host: 127.0.0.1 }\n',
): Promise<{
  collector: RunningCollector;
  dir: string;
  config: FootfallConfig;
}> {
  const { config, dir } = configFrom(yaml);
  const collector = await startCollector(config, pino({ level: 'silent' }), { baseDir: dir, listen: false });
  return { collector, dir, config };
}

/**
 * One in-process collector per test: `start(extra)` builds it from `base` plus `extra` YAML,
 * `published(c)` stops it and decodes the Avro files it published, and whatever a test leaves running
 * is shut down after it.
 */
export function collectorPerTest(base: string): {
  start(extra?: string): Promise<RunningCollector>;
  published(c: RunningCollector): Promise<Record<string, unknown>[]>;
} {
  let collector: RunningCollector | undefined;
  let dir = '';
  afterEach(async () => {
    await collector?.shutdown();
    collector = undefined;
  });
  return {
    async start(extra = '') {
      const started = await inProcessCollector(`${base}${extra}`);
      collector = started.collector;
      dir = started.dir;
      return collector;
    },
    async published(c) {
      await c.shutdown();
      return readPublished(path.join(dir, 'data', 'published'));
    },
  };
}

/** Decodes every published Avro file in a folder with plain avsc, oldest file first. */
export async function readPublished(publishDir: string): Promise<Record<string, unknown>[]> {
  let files: string[];
  try {
    files = readdirSync(publishDir)
      .filter((name) => name.endsWith('.avro'))
      .sort();
  } catch {
    return [];
  }
  const records: Record<string, unknown>[] = [];
  for (const file of files) {
    records.push(...(await decodeContainer(path.join(publishDir, file))));
  }
  return records;
}

function decodeContainer(file: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const out: Record<string, unknown>[] = [];
    avsc
      .createFileDecoder(file)
      .on('data', (record: Record<string, unknown>) => out.push({ ...record }))
      .on('end', () => resolve(out))
      .on('error', reject);
  });
}
