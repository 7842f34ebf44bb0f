// One byte flipped in a journal segment of a stopped collector. The journal holds the records behind
// every answered event until they are delivered, so the broker is down while the events come in:
// everything answered is still in the journal when the collector stops. After the flip and a restart
// (broker back) the reader steps over the damaged record to the next valid one: every answered event
// but at most the damaged one must arrive, and the damaged segment must be quarantined, not deleted.
//
// Why lost ≤ 1: a record carries its own length and CRC-32, and one event is one record here (one
// mapping, one sink). A flipped byte lies inside exactly one record (its header or its body; the flip
// is in the middle of a segment holding thousands, never in the segment header), whose check then
// fails; every record after it is intact and found again by the resync. A flip in a length field is
// no worse: the resync does not trust the damaged length but looks for the next offset where a record
// with a matching CRC starts, so the records behind it are not swallowed.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uniqueTopic } from '../support/kafka.js';
import { privateBroker, type FaultBroker } from './support/broker.js';
import { startCollector, stopCollector, writeConfig } from './support/collector.js';
import { startLoad } from './support/load.js';
import { findFiles } from './support/readers.js';
import { expectNoLoss, judge } from './support/report.js';
import { notAFaultsRun, sleep } from './support/run.js';
import { cleanUpAfterAll, finishKafkaSink, place } from './support/scenario.js';

/** Journal segments: `segment-<16 digits>.spool` in a folder under the data folder. */
const SEGMENT = /^segment-\d+\.spool$/;
const EVENTS = 3000;

let broker: FaultBroker | undefined;
cleanUpAfterAll(async () => broker?.close());

describe.skipIf(notAFaultsRun)('a damaged journal record', () => {
  it('one byte flipped in a segment of a stopped collector: the records after it arrive', async () => {
    const startedAt = Date.now();
    broker = await privateBroker();
    const topic = uniqueTopic('faults-damage');
    await broker.createTopic(topic);
    await broker.handle.stop();

    const where = await place('journal-damage');
    const configFile = writeConfig(where.dir, {
      dataDir: where.dataDir,
      sink: 'kafka',
      topic,
      shutdownTimeout: '5s',
    });
    const env = { FOOTFALL_KAFKA_BROKERS: broker.handle.brokers };
    const start = () => startCollector({ configFile, cwd: where.dir, port: where.port, env });
    const first = await start();
    const load = startLoad({
      target: where.url,
      runId: 'jd',
      maxEvents: EVENTS,
      maxMs: 30_000,
      requestsPerSecond: 500,
    });
    const result = await load.done;
    await sleep(300);
    const stop = await stopCollector(first, 30_000);

    const segments = findFiles(where.dataDir, SEGMENT).map((file) => ({ file, size: statSync(file).size }));
    const largest = [...segments].sort((a, b) => b.size - a.size)[0];
    const notes: Record<string, unknown> = {
      firstStop: stop,
      segments: segments.map((s) => `${s.file.slice(where.dataDir.length + 1)} (${s.size} B)`),
    };
    if (largest && largest.size > 4096) {
      const bytes = readFileSync(largest.file);
      const at = Math.floor(bytes.length / 2);
      notes.flipped = { file: largest.file.slice(where.dataDir.length + 1), offset: at, was: bytes[at] };
      bytes[at] = bytes[at]! ^ 0xff;
      writeFileSync(largest.file, bytes);
    }

    await broker.handle.restart();
    const second = await start();
    const end = await finishKafkaSink(second, broker.brokers, topic, result.answered.size - 1);
    const quarantined = findFiles(where.dataDir, /./).filter((file) => file.includes('/quarantine/'));
    const verdict = judge(
      'one byte flipped in a journal segment, restart, Kafka sink',
      result.answered,
      result,
      end.stored,
      {
        startedAt,
        notes: {
          ...notes,
          quarantined: quarantined.map((file) => file.slice(where.dataDir.length + 1)),
          ...end.notes,
        },
      },
    );
    expect.soft(notes.flipped, 'a journal segment with records to damage').toBeDefined();
    expect.soft(quarantined.length, 'the damaged segment is quarantined').toBeGreaterThan(0);
    expectNoLoss(verdict, 1);
  });
});
