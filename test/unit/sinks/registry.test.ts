import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configForWorker } from '../../../src/collector/cluster.js';
import { formatIssues, loadConfig, type FootfallConfig } from '../../../src/config/index.js';
import type { AvroRecordSchema } from '../../../src/schema/index.js';
import { FileSink } from '../../../src/sinks/file/file-sink.js';
import { createSink, sinkConfigForWorker } from '../../../src/sinks/index.js';
import { KafkaSink } from '../../../src/sinks/kafka/kafka-sink.js';
import { silentLogger } from '../../../src/sinks/sink-logger.js';
import { clickSchema } from './helpers.js';

const schema = clickSchema as unknown as AvroRecordSchema;

function load(): { config: FootfallConfig; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-registry-'));
  const file = path.join(dir, 'footfall.yaml');
  writeFileSync(
    file,
    [
      'sources: { app: { type: json } }',
      'sinks:',
      '  files: { type: file }',
      '  kafka: { type: kafka }',
      'mappings: { m: { sources: [app], sinks: [files, kafka] } }',
      '',
    ].join('\n'),
  );
  const result = loadConfig({ file, env: {} });
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return { config: result.config, dir };
}

describe('the sink registry', () => {
  it('builds each configured sink through the wing of its type', () => {
    const { config } = load();
    const files = createSink('files', config.sinks.files!, schema, silentLogger);
    const kafka = createSink('kafka', config.sinks.kafka!, schema, silentLogger);
    expect(files).toBeInstanceOf(FileSink);
    expect(kafka).toBeInstanceOf(KafkaSink);
    expect([files.name, kafka.name]).toEqual(['files', 'kafka']);
  });

  it('gives each cluster worker its own journal folder, for the Kafka and the file sink alike', () => {
    const { config, dir } = load();
    const worker = configForWorker(config, 3);
    expect(worker.sinks.kafka).toMatchObject({
      type: 'kafka',
      spool: { dir: path.join(dir, 'data', 'spool', 'kafka', 'worker-3') },
    });
    expect(worker.sinks.files).toMatchObject({
      type: 'file',
      journal: { dir: path.join(dir, 'data', 'journal', 'files', 'worker-3') },
      // Shared: file names carry the process id.
      workingDir: config.sinks.files!.type === 'file' ? config.sinks.files!.workingDir : '',
    });
    expect(sinkConfigForWorker(config.sinks.files!, 3)).toEqual(worker.sinks.files);
    // The primary's config stays as it was: workers get copies.
    expect(config.sinks.kafka).toMatchObject({ spool: { dir: path.join(dir, 'data', 'spool', 'kafka') } });
    expect(Object.isFrozen(worker.sinks)).toBe(true);
  });
});
