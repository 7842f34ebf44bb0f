// The collector's working and journal folders deleted while it runs (`rm -rf` of everything in the
// data folder but the published files, which are the stored events themselves): the journal keeps
// its segments open and rebuilds the folder, so every answered event must still be published.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { startCollector, writeConfig } from './support/collector.js';
import { startLoad } from './support/load.js';
import { expectNoLoss, judge, type Phase } from './support/report.js';
import { notAFaultsRun, sleep } from './support/run.js';
import { cleanUpAfterAll, finishFileSink, place } from './support/scenario.js';

const RATE = 500;

cleanUpAfterAll();

describe.skipIf(notAFaultsRun)('the data subfolders deleted while the collector runs', () => {
  it('rm -rf of the working and journal folders under load, file sink', async () => {
    const startedAt = Date.now();
    const where = await place('folder-deleted');
    const configFile = writeConfig(where.dir, { dataDir: where.dataDir, sink: 'file' });
    const collector = await startCollector({ configFile, cwd: where.dir, port: where.port });
    const phases: Phase[] = [{ name: 'folders there', from: 0 }];
    const load = startLoad({
      target: where.url,
      runId: 'fd',
      maxEvents: 50_000,
      maxMs: 60_000,
      requestsPerSecond: RATE,
    });
    await sleep(2000);
    const deleted = readdirSync(where.dataDir).filter((name) => name !== 'published');
    phases.push({ name: 'folders deleted', from: Date.now() });
    for (const name of deleted) rmSync(path.join(where.dataDir, name), { recursive: true, force: true });
    await sleep(3000);
    const result = await load.stop();
    const end = await finishFileSink(collector, where.dataDir);
    const verdict = judge(
      'working and journal folders rm -rf under load, file sink',
      result.answered,
      result,
      end.stored,
      { startedAt, phases, notes: { deleted, ...end.notes } },
    );
    expectNoLoss(verdict);
  });
});
