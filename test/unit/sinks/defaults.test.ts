import { describe, expect, it } from 'vitest';
import { fileSinkSpec, kafkaSinkSpec } from '../../../src/config/index.js';
import { fileSinkOptions, resolveFileSinkOptions } from '../../../src/sinks/file/options.js';
import { kafkaSinkOptions, resolveKafkaSinkOptions } from '../../../src/sinks/kafka/options.js';
import { silentLogger } from '../../../src/sinks/sink-logger.js';
import { clickSchema } from './helpers.js';

// The config schema is where defaults are written. A sink built by its wing from an entry that sets
// nothing and one built directly with only the options that have no default must be the same sink.
describe('one set of defaults', () => {
  it('the Kafka wing: config defaults and direct construction give the same options', () => {
    const config = kafkaSinkSpec.resolvePaths(kafkaSinkSpec.schema.parse({ type: 'kafka' }), 'k', '/d', '/b');
    const viaWing = resolveKafkaSinkOptions(kafkaSinkOptions('k', config, silentLogger));
    const direct = resolveKafkaSinkOptions({
      name: 'k',
      brokers: config.brokers,
      topic: config.topic,
      spoolDir: config.spool.dir,
    });
    expect(viaWing).toEqual(direct);
    expect(direct.spoolDir).toBe('/d/spool/k');
  });

  it('the file wing: config defaults and direct construction give the same options', () => {
    const config = fileSinkSpec.resolvePaths(fileSinkSpec.schema.parse({ type: 'file' }), 'f', '/d', '/b');
    const schema = clickSchema as Parameters<typeof fileSinkOptions>[2];
    const viaWing = resolveFileSinkOptions(fileSinkOptions('f', config, schema, silentLogger));
    const direct = resolveFileSinkOptions({
      name: 'f',
      schema,
      workingDir: config.workingDir,
      publishDir: config.publishDir,
    });
    expect(viaWing).toEqual(direct);
    expect([direct.workingDir, direct.publishDir]).toEqual(['/d/working', '/d/published']);
  });
});
