// Vitest globalSetup: one Kafka broker for the whole run, shared by every test file that asks for it.
//
// The broker is started on first demand, not here: a run of unit tests alone (or any run that never
// calls useKafka()) must not pay ~3-10 s and 512 MB for a JVM it never talks to. Setup therefore only
// opens a tiny HTTP endpoint on 127.0.0.1 in the main vitest process; the first worker that calls
// useKafka() asks it, that request starts the broker, and every later request gets the same answer.
// The main process owns the broker, so teardown stops it even if the workers that used it are gone.
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ToolMissingError, cacheRoot, reapOrphans, startBroker } from '../../scripts/kafka/broker.mjs';
import type { BrokerHandle } from '../../scripts/kafka/broker.mjs';
import { secureBrokerOptionsIfPossible, type SecureKafka } from './secure-kafka.js';

/**
 * C1-only JIT: a test broker lives for one run and moves little data, and this cuts the CPU it burns
 * getting ready by ~45% (6.0 → 3.3 CPU-seconds measured), which matters with vitest workers on 2 cores.
 * Benchmarks start their broker without it.
 */
export const TEST_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1'];

/** What the endpoint answers: an address, a reason to skip (tools missing, outside CI), or a failure. */
export type KafkaControlAnswer =
  { brokers: string[]; kafkaVersion: string; secure?: SecureKafka } | { skip: string } | { error: string };

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the endpoint above; absent when KAFKA_BROKERS points at an external broker. */
    kafkaControl?: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // Workers inherit the environment, so an external broker needs no help from here.
  if (process.env.KAFKA_BROKERS) return undefined;

  await reapOrphans();
  const dir = join(cacheRoot, `test-${process.pid}`);
  let broker: BrokerHandle | undefined;
  let answer: Promise<KafkaControlAnswer> | undefined;

  const start = async (): Promise<KafkaControlAnswer> => {
    try {
      // Secured listeners beside PLAINTEXT (secure-kafka.ts): cheaper than a second JVM.
      const security = secureBrokerOptionsIfPossible(join(dir, 'pki'));
      broker = await startBroker({
        dir,
        owner: process.pid,
        fresh: true,
        jvmOptions: TEST_JVM_OPTIONS,
        ...security?.options,
      });
      return {
        brokers: [broker.brokers],
        kafkaVersion: broker.kafkaVersion,
        ...(security && { secure: security.describe(broker.listeners) }),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ToolMissingError && !process.env.CI) {
        return { skip: `Kafka tests skipped: ${message} (or set KAFKA_BROKERS to an existing broker)` };
      }
      return { error: `could not start the test Kafka broker: ${message}` };
    }
  };

  const server = createServer((request, response) => {
    if (request.url !== '/kafka') {
      response.writeHead(404).end();
      return;
    }
    answer ??= start();
    void answer.then((body) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  project.provide('kafkaControl', `http://127.0.0.1:${port}/kafka`);

  return async () => {
    server.close();
    // A start still in flight must finish before there is a pid to stop.
    await answer;
    if (broker) await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
