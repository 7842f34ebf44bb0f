/**
 * Global setup of `npm run test:faults`: builds the CLI the scenarios run (dist/cli/main.js, the
 * tracker templates with it), reaps brokers of dead runs, and makes the run's folders: the results
 * file (kept, its path printed) and the work folder that holds every scenario's data and mount points.
 * Teardown unmounts anything still mounted under the work folder, prints every scenario's figures,
 * and deletes the work folder (FAULTS_KEEP=1 keeps it for a look at the files).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { reapOrphans } from '../../../scripts/kafka/broker.mjs';
import build from '../../support/build-global-setup.js';
import { mountPoints, unmountUnder } from './mounts.js';
import type { FaultsRun } from './run.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  build();
  await reapOrphans();
  if (process.getuid?.() !== 0) {
    console.warn('faults: not running as root; the scenarios that mount file systems will fail');
  }
  const resultsDir = mkdtempSync(join(tmpdir(), 'footfall-faults-results-'));
  const work = mkdtempSync(join(tmpdir(), 'footfall-faults-work-'));
  const seed = process.env.FAULTS_SEED ? Number(process.env.FAULTS_SEED) : Date.now() % 2 ** 31;
  const run: FaultsRun = {
    results: join(resultsDir, 'results.jsonl'),
    work,
    tag: `footfall-faults-${process.pid}`,
    seed,
  };
  project.provide('faults', run);
  console.log(
    `faults: results in ${run.results} (seed ${seed}; FAULTS_SEED=${seed} repeats the kill moments)`,
  );
  const started = Date.now();

  return async () => {
    const left = unmountUnder(work);
    if (left.length > 0) console.error(`faults: unmounted what a scenario left mounted: ${left.join(', ')}`);
    const tagged = mountPoints().filter((point) => point.startsWith(work));
    if (tagged.length > 0) console.error(`faults: STILL MOUNTED: ${tagged.join(', ')}`);
    if (process.env.FAULTS_KEEP) console.log(`faults: scenario folders kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });

    const lines = existsSync(run.results)
      ? readFileSync(run.results, 'utf8')
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line) => JSON.parse(line) as Record<string, unknown>)
      : [];
    const rows = lines.map((r) =>
      [
        String(r.scenario).padEnd(72),
        String(r.answered).padStart(8),
        String(r.stored).padStart(8),
        String(r.lost).padStart(7),
        String(r.duplicates).padStart(6),
      ].join(' '),
    );
    console.log(
      [
        '',
        `faults: ${lines.length} scenario(s) measured in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed})`,
        `${'scenario'.padEnd(72)} ${'answered'.padStart(8)} ${'stored'.padStart(8)} ${'lost'.padStart(7)} ${'dupl.'.padStart(6)}`,
        ...rows,
        `results: ${run.results}`,
        '',
      ].join('\n'),
    );
  };
}
