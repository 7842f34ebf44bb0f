// The broker under the Kafka sink: SIGKILLed and restarted under load; hung (SIGSTOP) with the
// collector SIGKILLed inside the hang, then SIGCONT and a collector restart; and SIGKILLed again while
// the restarted collector replays its backlog. Every answered event must reach the topic.
import { describe, it } from 'vitest';
import { uniqueTopic } from '../support/kafka.js';
import { privateBroker, type FaultBroker } from './support/broker.js';
import { killCollector, startCollector, writeConfig } from './support/collector.js';
import { startLoad } from './support/load.js';
import { topicEnd } from './support/readers.js';
import { expectNoLoss, judge, type Phase } from './support/report.js';
import { faultsRun, notAFaultsRun, random, sleep } from './support/run.js';
import { cleanUpAfterAll, finishKafkaSink, place } from './support/scenario.js';

/**
 * How long the broker stays hung. Issue 17 allows up to 60 s; 20 s shows the same thing for a third
 * of the time: the producer's request timeout is 30 s, so for the collector any hang shorter than that
 * is the same state (requests sent and never answered, answered events waiting behind them), and the
 * collector is SIGKILLed inside it anyway. The broker-kill scenario covers the failing-request path.
 */
const HANG_MS = 20_000;
/** The collector is SIGKILLed at a random moment in this window of the hang. */
const KILL_IN_HANG_MS: readonly [number, number] = [5_000, 15_000];
/** Requests per second: load, but leaving the two cores room for a broker restart. */
const RATE = 1000;

let broker: FaultBroker | undefined;
cleanUpAfterAll(async () => broker?.close());

async function total(brokers: string[], topic: string): Promise<number | undefined> {
  try {
    return [...(await topicEnd(brokers, topic)).values()].reduce((a, b) => a + b, 0);
  } catch {
    return undefined;
  }
}

describe.skipIf(notAFaultsRun)('the broker killed, hung and stopped under the Kafka sink', () => {
  it('broker SIGKILLed and restarted under load', async () => {
    const startedAt = Date.now();
    broker ??= await privateBroker();
    const topic = uniqueTopic('faults-broker-kill');
    await broker.createTopic(topic);
    const where = await place('broker-kill');
    const configFile = writeConfig(where.dir, { dataDir: where.dataDir, sink: 'kafka', topic });
    const env = { FOOTFALL_KAFKA_BROKERS: broker.handle.brokers };
    const collector = await startCollector({ configFile, cwd: where.dir, port: where.port, env });
    const phases: Phase[] = [{ name: 'broker up', from: 0 }];
    const load = startLoad({
      target: where.url,
      runId: 'bk',
      maxEvents: 100_000,
      maxMs: 90_000,
      requestsPerSecond: RATE,
    });

    await sleep(2000);
    phases.push({ name: 'broker down', from: Date.now() });
    broker.handle.kill('SIGKILL');
    await sleep(2000);
    const restartAt = Date.now();
    await broker.handle.restart();
    const restartMs = Date.now() - restartAt;
    phases.push({ name: 'broker back', from: Date.now() });
    await sleep(2000);
    const result = await load.stop();

    const end = await finishKafkaSink(collector, broker.brokers, topic, result.answered.size);
    const verdict = judge(
      'broker SIGKILL + restart under load, Kafka sink',
      result.answered,
      result,
      end.stored,
      {
        startedAt,
        phases,
        notes: { brokerRestartMs: restartMs, ...end.notes },
      },
    );
    expectNoLoss(verdict);
  });

  it(`broker hung ${HANG_MS / 1000} s with the collector SIGKILLed inside the hang, then killed again while the collector replays`, async () => {
    const startedAt = Date.now();
    broker ??= await privateBroker();
    const b = broker;
    const topic = uniqueTopic('faults-broker-hang');
    await b.createTopic(topic);
    const where = await place('broker-hang');
    const configFile = writeConfig(where.dir, { dataDir: where.dataDir, sink: 'kafka', topic });
    const env = { FOOTFALL_KAFKA_BROKERS: b.handle.brokers };
    const start = () => startCollector({ configFile, cwd: where.dir, port: where.port, env });
    const rand = random(faultsRun().seed + 1);
    let collector = await start();
    const phases: Phase[] = [{ name: 'broker up', from: 0 }];
    const load = startLoad({
      target: where.url,
      runId: 'bh',
      maxEvents: 150_000,
      maxMs: 120_000,
      requestsPerSecond: RATE,
    });
    const notes: Record<string, unknown> = {};

    try {
      await sleep(2000);
      const hungAt = Date.now();
      phases.push({ name: 'broker hung', from: hungAt });
      b.handle.kill('SIGSTOP');
      const killAt = KILL_IN_HANG_MS[0] + Math.floor(rand() * (KILL_IN_HANG_MS[1] - KILL_IN_HANG_MS[0]));
      await sleep(killAt);
      notes.answeredBeforeCollectorKill = load.answeredCount();
      await killCollector(collector);
      notes.collectorKilledAfterMsOfHang = Date.now() - hungAt;
      phases.push({ name: 'collector down, broker hung', from: Date.now() });
      await sleep(Math.max(0, hungAt + HANG_MS - Date.now()));
    } finally {
      b.handle.kill('SIGCONT');
    }
    collector = await start();
    phases.push({ name: 'collector replaying', from: Date.now() });

    // The broker stopped again while the restarted collector replays its backlog: as soon as the topic
    // grows (the replay has begun) or, at the latest, after 10 s.
    const before = await total(b.brokers, topic);
    const replayDeadline = Date.now() + 10_000;
    let grew = false;
    while (Date.now() < replayDeadline) {
      const now = await total(b.brokers, topic);
      if (before !== undefined && now !== undefined && now > before) {
        grew = true;
        break;
      }
      await sleep(100);
    }
    notes.replaySeenBeforeBrokerKill = grew;
    notes.topicBeforeReplay = before;
    b.handle.kill('SIGKILL');
    phases.push({ name: 'broker killed during replay', from: Date.now() });
    await sleep(2000);
    const restartAt = Date.now();
    await b.handle.restart();
    notes.brokerRestartMs = Date.now() - restartAt;
    phases.push({ name: 'broker back', from: Date.now() });
    await sleep(2000);
    const result = await load.stop();

    const end = await finishKafkaSink(collector, b.brokers, topic, result.answered.size);
    const verdict = judge(
      `broker SIGSTOP ${HANG_MS / 1000}s, collector SIGKILL in it, broker SIGKILL in replay, Kafka`,
      result.answered,
      result,
      end.stored,
      { startedAt, phases, notes: { ...notes, ...end.notes } },
    );
    expectNoLoss(verdict);
  });
});
