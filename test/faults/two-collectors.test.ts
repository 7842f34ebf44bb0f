// Two collectors on one data folder would append to and delete from one journal and lose records
// without a trace, so the second must refuse to start: exit code 1 and a message that the folder is
// in use. The first must keep working through the attempt and lose nothing.
import { describe, expect, it } from 'vitest';
import { spawnCollector, startCollector, stopCollector, tail, writeConfig } from './support/collector.js';
import { startLoad } from './support/load.js';
import { expectNoLoss, judge, type Phase } from './support/report.js';
import { notAFaultsRun, sleep } from './support/run.js';
import { cleanUpAfterAll, finishFileSink, place } from './support/scenario.js';

/**
 * How long the second collector gets to give up. The journal lock refuses a live owner on this host at
 * once, and watches any other fresh lock for one stale period (3 s) plus a heartbeat (1 s).
 */
const REFUSAL_WITHIN_MS = 15_000;
const RATE = 500;

cleanUpAfterAll();

describe.skipIf(notAFaultsRun)('two collectors on the same data folder', () => {
  it('the second exits with code 1 and says the folder is in use; the first keeps working', async () => {
    const startedAt = Date.now();
    const where = await place('two-collectors');
    const configFile = writeConfig(where.dir, { dataDir: where.dataDir, sink: 'file' });
    const first = await startCollector({ configFile, cwd: where.dir, port: where.port });
    const phases: Phase[] = [{ name: 'one collector', from: 0 }];
    const load = startLoad({
      target: where.url,
      runId: 'tc',
      maxEvents: 50_000,
      maxMs: 60_000,
      requestsPerSecond: RATE,
    });
    await sleep(1500);

    phases.push({ name: 'second starting', from: Date.now() });
    // Its own port: on the first one's it would fail to listen, which proves nothing about the folder.
    const second = spawnCollector({ configFile, cwd: where.dir, port: 0 });
    const timedOut = Symbol('still running');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      second.exited,
      new Promise<typeof timedOut>(
        (resolve) => (timer = setTimeout(() => resolve(timedOut), REFUSAL_WITHIN_MS)),
      ),
    ]);
    clearTimeout(timer);
    const secondListened = /"msg":"footfall listening on/.test(second.output());
    const secondExit = outcome === timedOut ? (await stopCollector(second, 30_000)).exit : outcome;
    const answeredWhenRefused = load.answeredCount();

    phases.push({ name: 'after the second', from: Date.now() });
    await sleep(2000);
    const answeredAfter = load.answeredCount() - answeredWhenRefused;
    const firstAlive = !first.hasExited();
    const result = await load.stop();
    const end = await finishFileSink(first, where.dataDir);
    const verdict = judge(
      'two collectors on one data folder: the first, file sink',
      result.answered,
      result,
      end.stored,
      {
        startedAt,
        phases,
        notes: {
          second: {
            exit: secondExit,
            stillRunningAfterMs: outcome === timedOut ? REFUSAL_WITHIN_MS : undefined,
            listened: secondListened,
            output: tail(second.output(), 600),
          },
          answeredAfterTheSecond: answeredAfter,
          ...end.notes,
        },
      },
    );
    expect.soft(firstAlive, 'the first collector must still run').toBe(true);
    expect.soft(answeredAfter, 'the first collector keeps answering').toBeGreaterThan(0);
    expect
      .soft(outcome, `the second collector must refuse to start:\n${tail(second.output(), 1500)}`)
      .toBe(1);
    expect.soft(second.output()).toMatch(/in use/i);
    expect.soft(secondListened, 'the second collector must never listen').toBe(false);
    expectNoLoss(verdict);
  });
});
