// A JSON client told 503 + Retry-After sends the same events again later. With discardDuplicates on,
// the collector must not have remembered a refused event as seen: each event is stored exactly once,
// and none of them is flagged detectedDuplicate.
import { describe, expect, it } from 'vitest';
import { startCollector, writeConfig } from './support/collector.js';
import { sendJson, startLoad, type Answer } from './support/load.js';
import { mountTmpfs } from './support/mounts.js';
import { expectNoLoss, judge, type Phase } from './support/report.js';
import { faultsRun, notAFaultsRun, sleep, until } from './support/run.js';
import { cleanUpAfterAll, finishFileSink, place, release } from './support/scenario.js';

const DISK_BYTES = 16 * 1024 * 1024;
/**
 * A small file-sink queue. The journal refuses (503) as soon as it cannot write; today's collector
 * refuses only once the file sink's memory queue is full, so without a small queue today's run would
 * never get a 503 within the scenario and would not show what happens to the retried events.
 */
const SINK = ', flushEveryRecords: 100, queue: { maxRecords: 300 }';
/** Refusals to collect while the disk is full, and the bounds on getting them. */
const WANTED_REFUSALS = 100;
const RETRY_ROUNDS = 20;

cleanUpAfterAll();

describe.skipIf(notAFaultsRun)('503 and retry', () => {
  it('JSON events refused with 503 while the disk is full and sent again later are each stored once, unflagged', async () => {
    const startedAt = Date.now();
    const where = await place('retry-503');
    const disk = mountTmpfs(where.dataDir, DISK_BYTES, faultsRun().tag);
    try {
      const configFile = writeConfig(where.dir, {
        dataDir: where.dataDir,
        sink: 'file',
        sinkExtra: SINK,
        discardDuplicates: true,
      });
      const collector = await startCollector({ configFile, cwd: where.dir, port: where.port });
      const phases: Phase[] = [{ name: 'disk ok', from: 0 }];
      const load = startLoad({
        target: where.url,
        runId: 'rt',
        kinds: ['json'],
        clients: 4,
        maxEvents: 20_000,
        maxMs: 30_000,
      });
      await load.whenAnswered(200);
      phases.push({ name: 'disk full', from: Date.now() });
      const fillerBytes = disk.fill();
      await until('503s while the disk is full', () => load.refusedCount() >= WANTED_REFUSALS, 15_000).catch(
        () => undefined,
      );
      const result = await load.stop();
      disk.free();
      phases.push({ name: 'disk freed, retries', from: Date.now() });
      // The journal tries writing again a second after a failed write.
      await sleep(1500);

      const answered = new Map<string, Answer>(result.answered);
      const waiting = new Map([...result.refused].filter(([, r]) => r.kind === 'json'));
      const retryStatuses: Record<string, number> = {};
      for (let round = 0; round < RETRY_ROUNDS && waiting.size > 0; round++) {
        for (const [id, refusal] of [...waiting]) {
          let status = 'error';
          try {
            status = String((await sendJson(where.url, refusal.party, id)).status);
          } catch {
            // No answer: send it again next round.
          }
          retryStatuses[status] = (retryStatuses[status] ?? 0) + 1;
          if (status === '204') {
            answered.set(id, { kind: 'json', at: Date.now() });
            waiting.delete(id);
          }
        }
        if (waiting.size > 0) await sleep(1000);
      }

      const end = await finishFileSink(collector, where.dataDir);
      const verdict = judge(
        'JSON 503 while disk full, sent again with discardDuplicates, file sink',
        answered,
        result,
        end.stored,
        {
          startedAt,
          phases,
          notes: {
            fillerBytes,
            refusedFirst: result.refused.size,
            retryStatuses,
            stillRefusedAfterRetries: waiting.size,
            ...end.notes,
          },
        },
      );
      const refusals = [...result.refused.values()];
      const retriedIds = [...result.refused.keys()].filter((id) => answered.has(id));
      const notOnce = [...answered.keys()].filter((id) => (verdict.copies.get(id) ?? 0) > 1);
      const flagged = end.stored.records.filter((r) => answered.has(r.eventId) && r.detectedDuplicate);
      expect
        .soft(refusals.length, 'the full disk must make the collector refuse JSON events')
        .toBeGreaterThan(0);
      expect
        .soft(
          refusals.filter((r) => r.status !== 503 || r.retryAfter === undefined).slice(0, 5),
          'refusals are 503 + Retry-After',
        )
        .toEqual([]);
      expect.soft(waiting.size, 'every refused event is taken once the disk is free').toBe(0);
      expect.soft(notOnce.slice(0, 5), 'answered events stored more than once').toEqual([]);
      expect.soft(flagged.slice(0, 5), 'answered events flagged detectedDuplicate').toEqual([]);
      expect
        .soft(retriedIds.filter((id) => !verdict.copies.has(id)).length, 'retried events not stored')
        .toBe(0);
      expectNoLoss(verdict);
    } finally {
      await release(disk);
    }
  });
});
