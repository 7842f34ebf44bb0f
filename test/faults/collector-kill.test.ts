// The collector SIGKILLed at random moments under load and restarted each time on the same data
// folder and port, once with the file sink and once with the Kafka sink: every event answered before
// a kill must be stored in the end (repeats allowed with Kafka: at least once).
import { describe, it } from 'vitest';
import { uniqueTopic } from '../support/kafka.js';
import { privateBroker, type FaultBroker } from './support/broker.js';
import { killCollector, startCollector, writeConfig, type CollectorProcess } from './support/collector.js';
import { startLoad, type LoadResult } from './support/load.js';
import { expectNoLoss, judge } from './support/report.js';
import { faultsRun, notAFaultsRun, random, sleep } from './support/run.js';
import { cleanUpAfterAll, finishFileSink, finishKafkaSink, place, type Place } from './support/scenario.js';

/**
 * Kills per sink. 20 is the target of issue 17 and fits the 10-minute budget: a cycle costs the random
 * delay (0.3–1.5 s) plus a restart (≈0.5 s today; up to ≈4 s once the journal waits out the dead
 * process's lock heartbeat), so both sinks together take 1–3 minutes.
 */
const KILLS = 20;
const MIN_DELAY_MS = 300;
const MAX_DELAY_MS = 1500;

let broker: FaultBroker | undefined;
cleanUpAfterAll(async () => broker?.close());

async function underKills(
  where: Place,
  configFile: string,
  runId: string,
  env: Record<string, string> = {},
): Promise<{ collector: CollectorProcess; result: LoadResult; notes: Record<string, unknown> }> {
  const rand = random(faultsRun().seed);
  const start = () => startCollector({ configFile, cwd: where.dir, port: where.port, env });
  let collector = await start();
  const load = startLoad({ target: where.url, runId, maxEvents: 300_000, maxMs: 150_000 });
  const delays: number[] = [];
  const restartsMs: number[] = [];
  const answeredAtKill: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    const delay = MIN_DELAY_MS + Math.floor(rand() * (MAX_DELAY_MS - MIN_DELAY_MS));
    delays.push(delay);
    await sleep(delay);
    answeredAtKill.push(load.answeredCount());
    await killCollector(collector);
    const restarted = Date.now();
    collector = await start();
    restartsMs.push(Date.now() - restarted);
  }
  await sleep(1000);
  const result = await load.stop();
  return {
    collector,
    result,
    notes: {
      kills: KILLS,
      delaysMs: delays,
      restartMsMax: Math.max(...restartsMs),
      restartMsMean: Math.round(restartsMs.reduce((a, b) => a + b, 0) / restartsMs.length),
      answeredAtKill,
    },
  };
}

describe.skipIf(notAFaultsRun)(`the collector SIGKILLed at ${KILLS} random moments under load`, () => {
  it('file sink: every answered event is in a published Avro file after the last restart', async () => {
    const startedAt = Date.now();
    const where = await place('kill-file');
    const config = writeConfig(where.dir, { dataDir: where.dataDir, sink: 'file' });
    const { collector, result, notes } = await underKills(where, config, 'kf');
    const end = await finishFileSink(collector, where.dataDir);
    const verdict = judge(
      `collector SIGKILL x${KILLS} under load, file sink`,
      result.answered,
      result,
      end.stored,
      {
        startedAt,
        notes: { ...notes, ...end.notes },
      },
    );
    expectNoLoss(verdict);
  });

  it('Kafka sink: every answered event reaches the topic (at least once)', async () => {
    const startedAt = Date.now();
    broker = await privateBroker();
    const topic = uniqueTopic('faults-kill');
    await broker.createTopic(topic);
    const where = await place('kill-kafka');
    const config = writeConfig(where.dir, { dataDir: where.dataDir, sink: 'kafka', topic });
    const { collector, result, notes } = await underKills(where, config, 'kk', {
      FOOTFALL_KAFKA_BROKERS: broker.handle.brokers,
    });
    const end = await finishKafkaSink(collector, broker.brokers, topic, result.answered.size);
    const verdict = judge(
      `collector SIGKILL x${KILLS} under load, Kafka sink`,
      result.answered,
      result,
      end.stored,
      {
        startedAt,
        notes: { ...notes, ...end.notes },
      },
    );
    expectNoLoss(verdict);
  });
});
