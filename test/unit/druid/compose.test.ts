/**
 * Docker cannot run on our machines, so docker/compose.yaml is never started in CI. What keeps it
 * honest is that it runs the same files `npm run e2e:pipeline` proves: this test holds it to them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dockerDir = path.join(root, 'docker');
const read = (relative: string): string => readFileSync(path.join(root, relative), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  env_file?: string | string[];
  volumes?: string[];
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: unknown;
}

const compose = parse(read('docker/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const pomVersion = (file: string, property: string): string =>
  new RegExp(`<${property}>([^<]+)</${property}>`).exec(read(file))?.[1] ?? 'missing';

describe('docker/compose.yaml', () => {
  it('has the whole pipeline', () => {
    for (const name of [
      'kafka',
      'collector',
      'demo',
      'zookeeper',
      'coordinator',
      'broker',
      'historical',
      'middlemanager',
      'router',
      'druid-supervisor',
      'superset',
    ]) {
      expect(services, name).toHaveProperty(name);
    }
  });

  it('mounts only files and folders that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.')) continue; // a named volume
        expect(existsSync(path.join(dockerDir, source)), `${name}: ${source}`).toBe(true);
      }
    }
  });

  it('runs the collector with the config the e2e run uses', () => {
    const collector = services.collector!;
    expect(collector.volumes).toContain('./config/pipeline.yaml:/etc/footfall/footfall.yaml:ro');
    expect(collector.environment?.FOOTFALL_CONFIG).toBe('/etc/footfall/footfall.yaml');
    expect(collector.build?.dockerfile).toBe('docker/Dockerfile');
  });

  it('runs the Druid version and settings the e2e run uses', () => {
    const druidVersion = pomVersion('scripts/druid/pom.xml', 'druid.version');
    for (const name of ['coordinator', 'broker', 'historical', 'middlemanager', 'router']) {
      expect(services[name]!.image).toBe(`apache/druid:${druidVersion}`);
      expect(services[name]!.env_file).toBe('druid/environment');
    }
    expect(read('docker/druid/environment')).toMatch(
      /druid_extensions_loadList=.*druid-kafka-indexing-service.*druid-avro-extensions.*druid-datasketches/,
    );
  });

  it('runs the Kafka version the local broker uses', () => {
    expect(services.kafka!.image).toBe(
      `apache/kafka:${pomVersion('scripts/kafka/pom.xml', 'kafka.version')}`,
    );
  });

  it('submits the committed supervisor spec and imports the bundled dashboard', () => {
    const job = services['druid-supervisor']!;
    expect(job.volumes).toContain('./druid/supervisor-spec.json:/spec/supervisor-spec.json:ro');
    expect(job.command).toContain('http://coordinator:8081/druid/indexer/v1/supervisor');
    const sessions = services['druid-sessions-supervisor']!;
    expect(sessions.volumes).toContain('./druid/sessions-supervisor-spec.json:/spec/supervisor-spec.json:ro');
    expect(sessions.command).toEqual(job.command);
    const superset = services.superset!;
    expect(superset.volumes).toContain('./superset:/app/footfall:ro');
    expect(superset.environment?.FOOTFALL_DRUID_URI).toBe('druid://broker:8082/druid/v2/sql/');
    expect(read('docker/superset/start.sh')).toMatch(/superset import-dashboards -p \S+ -u admin/);
    expect(read('docker/superset/Dockerfile')).toMatch(/^FROM apache\/superset:6\.1\.0$/m);
  });

  it('points the demo site at the collector the compose file publishes', () => {
    expect(read('docker/demo/index.html')).toContain('src="http://localhost:8290/divolte.js"');
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');
  const stages = dockerfile.match(/^FROM .*/gm) ?? [];

  it('builds in stages on Node 24 LTS slim', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-[a-z]+-slim$/m);
    expect(stages.length).toBeGreaterThan(1);
  });

  it('runs as a non-root user, with node as PID 1 so SIGTERM reaches it', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    // Exec form starting node itself (its flags are checked in test/unit/scripts/node-flags.test.ts).
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", ("--[^"]+", )*"dist\/cli\/main\.js"\]$/m);
    expect(dockerfile).not.toMatch(/^(ENTRYPOINT|CMD) [^[]/m);
  });

  it('checks readiness', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health\/ready/m);
  });
});
