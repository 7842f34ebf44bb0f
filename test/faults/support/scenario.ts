/**
 * What every scenario does the same way: its folders and ports, ending the file sink's story (SIGTERM,
 * then decode the published files) or the Kafka sink's (let the collector deliver, SIGTERM, read the
 * topic), and cleaning up after a file whatever happened: collectors killed, then mounts unmounted.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { freePort, killAllCollectors, stopCollector, type CollectorProcess } from './collector.js';
import { unmountRecorded, type SmallDisk } from './mounts.js';
import { readPublished, readTopic, waitForTopic, type Stored } from './readers.js';
import { scenarioDir } from './run.js';

export interface Place {
  readonly dir: string;
  readonly dataDir: string;
  readonly port: number;
  readonly url: string;
}

export async function place(name: string): Promise<Place> {
  const dir = scenarioDir(name);
  const port = await freePort();
  return { dir, dataDir: path.join(dir, 'data'), port, url: `http://127.0.0.1:${port}` };
}

/** Collectors first (so nothing holds the mounts), then mounts, then the file's own extras. */
export function cleanUpAfterAll(extra?: () => Promise<void>): void {
  afterAll(async () => {
    await killAllCollectors();
    unmountRecorded();
    await extra?.();
  });
}

/** For a test's `finally`: its collectors SIGKILLed (so nothing holds the mount), then the unmount. */
export async function release(disk: SmallDisk): Promise<void> {
  await killAllCollectors();
  disk.unmount();
}

/** Files a stopped file sink left unpublished in its working folder (for the notes). */
function unpublished(dataDir: string): string[] {
  try {
    return readdirSync(path.join(dataDir, 'working')).filter((name) => name.includes('.avro'));
  } catch {
    return [];
  }
}

/** SIGTERM, then everything published under the data folder. */
export async function finishFileSink(
  collector: CollectorProcess,
  dataDir: string,
): Promise<{ stored: Stored; notes: Record<string, unknown> }> {
  const stop = await stopCollector(collector, 40_000);
  const stored = await readPublished(path.join(dataDir, 'published'));
  const left = unpublished(dataDir);
  return {
    stored,
    notes: {
      lastExit: stop.exit,
      ...(stop.forced ? { lastStopForced: true } : {}),
      publishedFiles: stored.sources,
      ...(left.length > 0 ? { unpublished: left } : {}),
    },
  };
}

/** Lets the running collector deliver to Kafka, SIGTERMs it, and reads the whole topic. */
export async function finishKafkaSink(
  collector: CollectorProcess,
  brokers: string[],
  topic: string,
  expected: number,
): Promise<{ stored: Stored; notes: Record<string, unknown> }> {
  const delivered = await waitForTopic(brokers, topic, expected, { timeoutMs: 60_000, stallMs: 10_000 });
  const stop = await stopCollector(collector, 40_000);
  const stored = await readTopic(brokers, topic, expected);
  return {
    stored,
    notes: {
      lastExit: stop.exit,
      ...(stop.forced ? { lastStopForced: true } : {}),
      topicRecordsBeforeStop: delivered,
      topicRecords: stored.records.length,
    },
  };
}
