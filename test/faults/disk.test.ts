// A full or read-only disk under the journal: the data folder is a small tmpfs. Filled by a filler
// file and freed while running; filled and the collector SIGTERMed while full (restarted once freed);
// turned read-only and back. Every answered event must be published in the end, and a JSON or
// beacon request the collector could not keep must be told so: 503 with Retry-After.
import { describe, expect, it } from 'vitest';
import { startCollector, stopCollector, writeConfig } from './support/collector.js';
import { startLoad, type LoadResult } from './support/load.js';
import { mountTmpfs, type SmallDisk } from './support/mounts.js';
import { expectNoLoss, judge, type Phase, type Verdict } from './support/report.js';
import { faultsRun, notAFaultsRun, sleep } from './support/run.js';
import { cleanUpAfterAll, finishFileSink, place, release, type Place } from './support/scenario.js';

/**
 * Size of the tmpfs: a few MB, small enough to fill in a blink, large enough for the collector's own
 * writes over a scenario at this load (journal and Avro files: about 1.5 MB per second of load).
 */
const DISK_BYTES = 16 * 1024 * 1024;
/** Requests per second. */
const RATE = 500;

cleanUpAfterAll();

async function onSmallDisk(
  name: string,
  sinkExtra = '',
): Promise<{ where: Place; disk: SmallDisk; configFile: string }> {
  const where = await place(name);
  const disk = mountTmpfs(where.dataDir, DISK_BYTES, faultsRun().tag);
  const configFile = writeConfig(where.dir, { dataDir: where.dataDir, sink: 'file', sinkExtra });
  return { where, disk, configFile };
}

function fillNotes(disk: SmallDisk): Record<string, unknown> {
  const filler = disk.fill();
  return { fillerBytes: filler, availableWhenFull: disk.available() };
}

/**
 * The collector could not keep them: JSON and beacon refusals must be 503 with Retry-After. A pixel
 * is answered 200 with the GIF whatever happens (a browser cannot act on an error) and says
 * `x-footfall-stored: false` instead, which the load generator counts as a refusal.
 */
function expectHonestRefusals(verdict: Verdict, result: LoadResult): void {
  const wrong = [...result.refused.values()].filter((r) =>
    r.kind === 'pixel' ? r.status !== 200 : r.status !== 503 || r.retryAfter === undefined,
  );
  expect.soft(wrong.slice(0, 5), `${verdict.scenario}: refusals that were not 503 + Retry-After`).toEqual([]);
}

describe.skipIf(notAFaultsRun)('a full or read-only disk under the journal (tmpfs data folder)', () => {
  it('disk full under load, then freed while running', async () => {
    const startedAt = Date.now();
    const { where, disk, configFile } = await onSmallDisk('disk-full-freed');
    try {
      const collector = await startCollector({ configFile, cwd: where.dir, port: where.port });
      const phases: Phase[] = [{ name: 'disk ok', from: 0 }];
      const load = startLoad({
        target: where.url,
        runId: 'df',
        maxEvents: 50_000,
        maxMs: 60_000,
        requestsPerSecond: RATE,
      });
      await sleep(1500);
      phases.push({ name: 'disk full', from: Date.now() });
      const notes = fillNotes(disk);
      await sleep(3000);
      disk.free();
      phases.push({ name: 'disk freed', from: Date.now() });
      await sleep(3000);
      const result = await load.stop();
      const end = await finishFileSink(collector, where.dataDir);
      const verdict = judge(
        'disk full under load, freed while running, file sink',
        result.answered,
        result,
        end.stored,
        {
          startedAt,
          phases,
          notes: { ...notes, ...end.notes },
        },
      );
      expectNoLoss(verdict);
      expectHonestRefusals(verdict, result);
    } finally {
      await release(disk);
    }
  });

  it('disk full under load, SIGTERM while full, restarted once freed', async () => {
    const startedAt = Date.now();
    const { where, disk, configFile } = await onSmallDisk('disk-full-sigterm');
    try {
      const start = () => startCollector({ configFile, cwd: where.dir, port: where.port });
      const first = await start();
      const phases: Phase[] = [{ name: 'disk ok', from: 0 }];
      const load = startLoad({
        target: where.url,
        runId: 'dt',
        maxEvents: 50_000,
        maxMs: 60_000,
        requestsPerSecond: RATE,
      });
      await sleep(1500);
      phases.push({ name: 'disk full', from: Date.now() });
      const notes = fillNotes(disk);
      await sleep(2000);
      const result = await load.stop();
      const stopAt = Date.now();
      const stop = await stopCollector(first, 40_000);
      notes.sigtermWhileFull = { exit: stop.exit, forced: stop.forced, ms: Date.now() - stopAt };
      disk.free();
      const second = await start();
      await sleep(2000);
      const end = await finishFileSink(second, where.dataDir);
      const verdict = judge(
        'disk full under load, SIGTERM while full, restart freed, file sink',
        result.answered,
        result,
        end.stored,
        {
          startedAt,
          phases,
          notes: { ...notes, ...end.notes },
        },
      );
      expectNoLoss(verdict);
      expectHonestRefusals(verdict, result);
    } finally {
      await release(disk);
    }
  });

  it('data folder read-only under load, then writable again', async () => {
    const startedAt = Date.now();
    // Files roll every second, so new files are created and published while the folder is read-only.
    const { where, disk, configFile } = await onSmallDisk('disk-read-only', ', roll: 1s');
    try {
      const collector = await startCollector({ configFile, cwd: where.dir, port: where.port });
      const phases: Phase[] = [{ name: 'writable', from: 0 }];
      const load = startLoad({
        target: where.url,
        runId: 'dr',
        maxEvents: 50_000,
        maxMs: 60_000,
        requestsPerSecond: RATE,
      });
      await sleep(1500);
      phases.push({ name: 'read-only', from: Date.now() });
      disk.readOnly();
      await sleep(3000);
      disk.writable();
      phases.push({ name: 'writable again', from: Date.now() });
      await sleep(3000);
      const result = await load.stop();
      const end = await finishFileSink(collector, where.dataDir);
      const verdict = judge(
        'data folder read-only under load, then writable, file sink',
        result.answered,
        result,
        end.stored,
        {
          startedAt,
          phases,
          notes: { readOnly: 'read-only bind mount over the tmpfs (see mounts.ts)', ...end.notes },
        },
      );
      expectNoLoss(verdict);
      expectHonestRefusals(verdict, result);
    } finally {
      await release(disk);
    }
  });
});
