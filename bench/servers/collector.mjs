// The collector side of the benchmarks, one scenario per run: `node collector.mjs <scenario> [dataDir]`.
// Runs the compiled code in dist/ (the runner builds first), inside this process so CPU is measured here.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { formatIssues, loadConfig } from '../../dist/config/index.js';
import { DuplicateMemory, mapFootfall, OutcomeCounter } from '../../dist/pipeline/index.js';
import { createCodec, loadBuiltinSchema } from '../../dist/schema/index.js';
import { Inspector } from '../../dist/inspector/inspector.js';
import { buildApp } from '../../dist/server/app.js';
import { startCollector } from '../../dist/collector/collector.js';
import { Readiness } from '../../dist/server/readiness.js';
import { serveBench } from './harness.mjs';

const scenario = process.argv[2];
const logger = pino({ level: 'warn' });

function config(env = {}) {
  const result = loadConfig({ env: { FOOTFALL_HOST: '127.0.0.1', FOOTFALL_PORT: '0', ...env } });
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return result.config;
}

/**
 * pixel → protocol → flags → footfall mapping → Avro → a sink that only counts. The codec skips the
 * undeclared-key check, as the collector's topology does for a builtin mapper writing its own schema.
 */
async function pixelMemory() {
  const cfg = config();
  const outcomes = new OutcomeCounter();
  let offered = 0;
  // commit() is the sink port's end-of-turn group commit; with nothing to journal it has nothing to do.
  const counting = { name: 'memory', offer: () => (offered++, true), commit: () => true };
  const route = {
    name: 'clicks',
    mapper: mapFootfall,
    encoder: createCodec(loadBuiltinSchema('footfall'), { trustedShape: true }),
    discardCorrupted: false,
    discardDuplicates: false,
    destinations: [counting],
  };
  const readiness = new Readiness(() => []);
  const inspector = await benchInspector(route);
  const app = await buildApp(cfg, {
    logger,
    routing: new Map([
      ['browser', [route]],
      ['app', [route]],
    ]),
    pipeline: {
      duplicates: new DuplicateMemory(cfg.duplicates.memorySize),
      outcomes,
      ...(inspector ? { observer: inspector.hub } : {}),
    },
    readiness,
  });
  return {
    listen: async () => {
      await app.listen({ host: '127.0.0.1', port: 0 });
      return app.server.address().port;
    },
    close: async () => {
      await app.close();
      inspector?.close();
    },
    stats: () => ({ offered, outcomes: outcomes.snapshot(), inspector: inspector?.hub.stats() }),
  };
}

/**
 * BENCH_INSPECTOR=idle: the live inspector enabled, nobody watching (the seam's one check);
 * BENCH_INSPECTOR=watched: one client (curl, a process of its own, as a page would be) reading its
 * stream over HTTP. Unset: no inspector, as by default.
 */
async function benchInspector(route) {
  const mode = process.env.BENCH_INSPECTOR;
  if (!mode) return undefined;
  const hub = new Inspector({
    bufferSize: 500,
    maxEventsPerSecond: 200,
    readers: new Map([[route.name, route.encoder]]),
  });
  if (mode !== 'watched') return { hub, close: () => hub.close() };
  const server = createServer((_request, response) => hub.attach(response, {}));
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${server.address().port}/inspect/events`;
  const watcher = spawn('curl', ['-sN', url], { stdio: 'ignore' });
  while (!hub.watching) await new Promise((resolve) => setTimeout(resolve, 10));
  return {
    hub,
    close: () => {
      watcher.kill();
      hub.close();
      server.close();
    },
  };
}

/**
 * The whole collector as `npm start` runs it, in a temporary data folder, with an optional YAML config
 * written there (none: the defaults, i.e. Avro files).
 */
async function wholeCollector(yaml) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-bench-'));
  let file;
  if (yaml) {
    file = path.join(dataDir, 'bench.yaml');
    writeFileSync(file, yaml);
  }
  const result = loadConfig({
    file,
    env: { FOOTFALL_HOST: '127.0.0.1', FOOTFALL_PORT: '0', FOOTFALL_DATA_DIR: dataDir },
  });
  if (!result.ok) throw new Error(formatIssues(result.issues));
  const collector = await startCollector(result.config, logger, { listen: false, baseDir: dataDir });
  return {
    listen: async () => {
      await collector.app.listen({ host: '127.0.0.1', port: 0 });
      return collector.app.server.address().port;
    },
    close: async () => {
      await collector.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
    stats: () => ({ outcomes: collector.outcomes.snapshot() }),
  };
}

/** The default file sink; BENCH_FILE adds keys to it (e.g. `journal: { fsync: always }`). */
const pixelFile = () =>
  wholeCollector(
    process.env.BENCH_FILE ? `sinks:\n  files: { type: file, ${process.env.BENCH_FILE} }\n` : undefined,
  );

/** Every source into one fresh topic of the runner's broker (KAFKA_BROKERS), builtin footfall record. */
const kafka = () =>
  wholeCollector(
    [
      'sinks:',
      `  kafka: { type: kafka, brokers: [${process.env.KAFKA_BROKERS}], topic: bench-${process.pid}, createTopic: true, ${process.env.BENCH_KAFKA ?? ''} }`,
      '',
    ].join('\n'),
  );

const scenarios = {
  'pixel-memory': pixelMemory,
  'pixel-file': pixelFile,
  'pixel-kafka': kafka,
  'json-kafka': kafka,
  'tracker-script': pixelFile,
};
const make = scenarios[scenario];
if (!make) {
  console.error(`unknown scenario ${scenario}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
await serveBench(await make());
