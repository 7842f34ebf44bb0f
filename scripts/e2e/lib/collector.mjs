// Building and running the collector for the e2e: `npm run build` with its output kept for a failure,
// and the built CLI serving docker/config/pipeline.yaml on a free port with the run's Kafka, data
// folder and geo database, until /health/ready answers. Separate from pipeline.mjs, which only
// orders the steps.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../../druid/cluster.mjs';
import { freePort } from '../../lib/local-host.mjs';
import { until } from './steps.mjs';

const collectorConfig = join(repoRoot, 'docker', 'config', 'pipeline.yaml');

export async function runQuiet(command, args, what) {
  const result = await new Promise((done) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status) => done({ status, output }));
  });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.output}`);
}

export async function startCollector({ brokers, geoDatabase, dir }) {
  const port = await freePort();
  const out = openSync(join(dir, 'collector.log'), 'a');
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'dist', 'cli', 'main.js'), 'serve', '--config', collectorConfig],
    {
      cwd: dir,
      env: {
        ...process.env,
        FOOTFALL_HOST: '127.0.0.1',
        FOOTFALL_PORT: String(port),
        // Any free port: another collector on the machine may hold the default 8291.
        FOOTFALL_ADMIN_PORT: '0',
        FOOTFALL_KAFKA_BROKERS: brokers,
        FOOTFALL_DATA_DIR: join(dir, 'data'),
        FOOTFALL_GEO_DATABASE: geoDatabase,
        // The run plays clients from London and Amsterdam through X-Forwarded-For from localhost.
        FOOTFALL_TRUST_PROXIES: '127.0.0.1',
      },
      stdio: ['ignore', out, out],
    },
  );
  closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    for (let i = 0; i < 300 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  try {
    await until(
      'the collector answering /health/ready',
      async () => {
        if (child.exitCode !== null) {
          throw new Error(
            `collector exited with ${child.exitCode}:\n${readFileSync(join(dir, 'collector.log'), 'utf8').slice(-3000)}`,
          );
        }
        const response = await fetch(`${url}/health/ready`);
        return response.ok ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop, pid: child.pid };
}
