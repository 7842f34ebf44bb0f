import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { druidVersion, environmentFile, environmentProperties } from '../../../scripts/druid/cluster.mjs';

describe('docker/druid/environment', () => {
  it('reads as runtime properties by the apache/druid image rule', () => {
    expect(environmentProperties('druid_a_b=1\n# comment\n\ndruid_x__y_z=2\nDRUID_XMX=1g\n')).toEqual({
      'druid.a.b': '1',
      'druid.x_y.z': '2',
    });
  });

  it('loads the extensions the supervisor spec needs, for compose and the local cluster alike', () => {
    const properties = environmentProperties(readFileSync(environmentFile, 'utf8'));
    expect(JSON.parse(properties['druid.extensions.loadList']!)).toEqual([
      'druid-kafka-indexing-service',
      'druid-avro-extensions',
      'druid-datasketches',
    ]);
    expect(properties['druid.metadata.storage.type']).toBe('derby');
    expect(properties['druid.coordinator.asOverlord.enabled']).toBe('true');
    expect(() => JSON.parse(properties['druid.indexer.runner.javaOptsArray']!)).not.toThrow();
  });

  it('pins a Druid release that runs on Java 17', () => {
    expect(Number(druidVersion().split('.')[0])).toBeLessThanOrEqual(37);
  });
});
