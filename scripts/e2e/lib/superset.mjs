// Apache Superset for `npm run e2e:pipeline`: a cached virtualenv from PyPI, a fresh SQLite metadata
// database per run, the bundled export imported with the CLI, and the web server for the chart data API.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../../druid/cluster.mjs';
import { freePort } from '../../lib/local-host.mjs';
import { until } from './steps.mjs';

export const venvDir = join(repoRoot, '.cache', 'superset-venv');
const requirements = join(repoRoot, 'scripts', 'superset', 'requirements.txt');
const configFile = join(repoRoot, 'docker', 'superset', 'superset_config.py');
const zipScript = join(repoRoot, 'scripts', 'superset', 'zip_export.py');
const bin = (name) => join(venvDir, 'bin', name);

async function run(command, args, what, { env = process.env, logFile } = {}) {
  const out = logFile ? openSync(logFile, 'a') : 'pipe';
  try {
    const result = await new Promise((done) => {
      const child = spawn(command, args, { env, stdio: ['ignore', out, out] });
      let output = '';
      const keep = (chunk) => {
        output = (output + chunk).slice(-6000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      child.on('error', (error) => done({ status: -1, output: error.message }));
      child.on('close', (status) => done({ status, output }));
    });
    if (result.status !== 0) {
      const detail = logFile ? readFileSync(logFile, 'utf8').slice(-6000) : result.output;
      throw new Error(`${what} failed (exit ${result.status}):\n${detail.trim()}`);
    }
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
}

/** Installs Superset into the cached virtualenv unless it already matches requirements.txt. */
export async function ensureVenv(log) {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const marker = join(venvDir, '.footfall-requirements.sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash) return { installed: false };
  const python = process.env.PYTHON ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) throw new Error(`cannot run ${python}: Superset needs Python 3.10 or 3.11`);
  log(`installing Superset into ${venvDir} with Python ${probe.stdout.trim()} (first run only)`);
  rmSync(venvDir, { recursive: true, force: true });
  await run(python, ['-m', 'venv', venvDir], 'creating the Superset virtualenv');
  await run(bin('pip'), ['install', '-q', '--upgrade', 'pip'], 'upgrading pip');
  await run(bin('pip'), ['install', '-q', '-r', requirements], 'installing Superset from PyPI');
  writeFileSync(marker, `${hash}\n`);
  return { installed: true };
}

/**
 * Creates Superset's metadata database in `dir`, an admin, the default roles, and imports the export
 * with its Druid database pointed at `druidUri`. Returns what `start` needs.
 */
export async function prepareSuperset({ dir, druidUri, log }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'superset-cli.log');
  const password = randomBytes(12).toString('hex');
  const env = {
    ...process.env,
    SUPERSET_SECRET_KEY: randomBytes(32).toString('base64'),
    SUPERSET_HOME: dir,
    SUPERSET_CONFIG_PATH: configFile,
    FLASK_APP: 'superset.app:create_app()',
    PYTHONUNBUFFERED: '1',
  };
  const superset = bin('superset');
  await run(superset, ['db', 'upgrade'], 'superset db upgrade', { env, logFile });
  await run(
    superset,
    [
      'fab',
      'create-admin',
      '--username',
      'admin',
      '--firstname',
      'Footfall',
      '--lastname',
      'E2E',
      '--email',
      'admin@footfall.invalid',
      '--password',
      password,
    ],
    'superset fab create-admin',
    { env, logFile },
  );
  await run(superset, ['init'], 'superset init', { env, logFile });
  const zip = join(dir, 'footfall-superset-export.zip');
  await run('python3', [zipScript, '--out', zip, '--druid-uri', druidUri], 'zipping the Superset export');
  await run(superset, ['import-dashboards', '-p', zip, '-u', 'admin'], 'superset import-dashboards', {
    env,
    logFile,
  });
  log(`imported ${zip} (Druid at ${druidUri}); CLI log in ${logFile}`);
  return { dir, env, password };
}

/** Starts Superset's web server in its own process group and logs in as the admin. */
export async function startSuperset({ dir, env, password }) {
  const port = await freePort();
  const out = openSync(join(dir, 'superset-web.log'), 'a');
  const child = spawn(bin('superset'), ['run', '-h', '127.0.0.1', '-p', String(port), '--with-threads'], {
    env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  child.unref();
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(child.pid, 0);
      } catch {
        return;
      }
      await sleep(100);
    }
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone at the last moment.
    }
  };
  try {
    await until(
      'Superset answering /health',
      async () => {
        if (child.exitCode !== null) throw new Error(`superset run exited with ${child.exitCode}`);
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
        return response.ok ? true : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const login = await fetch(`${url}/api/v1/security/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password, provider: 'db', refresh: false }),
    });
    if (!login.ok) throw new Error(`Superset login answered ${login.status}: ${await login.text()}`);
    const { access_token: token } = await login.json();
    return { url, token, password, pid: child.pid, stop, log: join(dir, 'superset-web.log') };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function api(superset, path) {
  const response = await fetch(`${superset.url}${path}`, {
    headers: { authorization: `Bearer ${superset.token}` },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** The charts placed on a dashboard, by name, as Superset's API lists them. */
export async function dashboardCharts(superset, slug) {
  const { result } = await api(superset, `/api/v1/dashboard/${slug}/charts`);
  return new Map(result.map((chart) => [chart.slice_name, chart.id]));
}

/**
 * Rows of a chart through the chart data API: the chart's saved query, run against Druid with
 * `filters` added (as a dashboard's native filters add them).
 */
export async function chartRows(superset, chartId, filters = []) {
  const { result: chart } = await api(superset, `/api/v1/chart/${chartId}`);
  const context = JSON.parse(chart.query_context);
  // The import gives the dataset a new id; the chart's params carry it as "<id>__table".
  context.datasource.id = Number(String(JSON.parse(chart.params).datasource).split('__')[0]);
  context.force = true;
  for (const query of context.queries) query.filters.push(...filters);
  const response = await fetch(`${superset.url}/api/v1/chart/data`, {
    method: 'POST',
    headers: { authorization: `Bearer ${superset.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(context),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`chart ${chartId} data answered ${response.status}: ${text.slice(0, 500)}`);
  const [first] = JSON.parse(text).result;
  if (first.error) throw new Error(`chart ${chartId}: ${first.error}`);
  return first.data;
}
