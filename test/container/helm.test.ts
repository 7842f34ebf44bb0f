/**
 * The Helm chart (deploy/helm/footfall), linted and rendered by helm itself (built from its Go module
 * by the global setup). The rendered manifests are read back and held against the collector: the
 * config in the ConfigMap loads with Footfall's own loader, and the probes, ports, volume, grace
 * period and security settings agree with what that config and the collector's defaults say.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig, type FootfallConfig } from '../../src/config/index.js';
import { ROOT } from '../support/cli.js';
import { inProcessCollector, tempDir } from '../support/collector.js';

const CHART = path.join(ROOT, 'deploy', 'helm', 'footfall');

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are plain YAML read back */
type Manifest = {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: any;
};

function helm(args: string[]): string {
  const result = spawnSync(inject('helm'), args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`helm ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

function render(set: string[] = []): Manifest[] {
  const text = helm(['template', 'footfall', CHART, ...set.flatMap((s) => ['--set', s])]);
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const one = (manifests: Manifest[], kind: string, name?: string): Manifest => {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0]!;
};

/** The ConfigMap's footfall.yaml, loaded by the collector's own loader as the pod would load it. */
function chartConfig(manifests: Manifest[]): FootfallConfig {
  const file = path.join(tempDir('footfall-helm-'), 'footfall.yaml');
  writeFileSync(file, one(manifests, 'ConfigMap').data['footfall.yaml']);
  const loaded = loadConfig({ file, env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.config;
}

function defaults(): FootfallConfig {
  const loaded = loadConfig({ env: {} });
  if (!loaded.ok) throw new Error('the defaults must load');
  return loaded.config;
}

const manifests = render();
const statefulSet = one(manifests, 'StatefulSet');
const pod = statefulSet.spec.template.spec;
const container = pod.containers[0];
const config = chartConfig(manifests);
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup) await step();
});

describe('the Helm chart', () => {
  it('passes helm lint --strict', () => {
    expect(helm(['lint', '--strict', CHART])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it("runs the collector on its own default ports, with the config's ports in the pod and Services", () => {
    const ports = Object.fromEntries(container.ports.map((p: any) => [p.name, p.containerPort]));
    expect(ports).toEqual({ http: defaults().server.port, admin: defaults().admin.port });
    expect(config.server.port).toBe(ports.http);
    expect(config.admin.port).toBe(ports.admin);
    // Prometheus scrapes the admin listener on the pod's address, not loopback.
    expect(config.admin.host).toBe('0.0.0.0');
    expect(config.server.host).toBe('0.0.0.0');
    const service = one(manifests, 'Service', 'footfall');
    expect(service.spec.ports).toEqual([{ name: 'http', port: defaults().server.port, targetPort: 'http' }]);
    const pods = one(manifests, 'Service', 'footfall-pods');
    expect(pods.spec.ports[0].targetPort).toBe('admin');
    expect(statefulSet.spec.serviceName).toBe(pods.metadata.name);
  });

  it("probes the collector's real liveness and readiness endpoints on its HTTP port", async () => {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      expect(container[probe].httpGet.port, probe).toBe('http');
    }
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    // Ask a collector running the chart's own config what those paths answer.
    const yaml = one(manifests, 'ConfigMap').data['footfall.yaml'] as string;
    const { collector } = await inProcessCollector(yaml);
    cleanup.push(() => collector.shutdown());
    const live = await collector.app.inject({ url: container.livenessProbe.httpGet.path });
    expect(live.statusCode).toBe(200);
    const ready = await collector.app.inject({ url: container.readinessProbe.httpGet.path });
    expect([200, 503]).toContain(ready.statusCode);
    expect(['ready', 'unavailable']).toContain(ready.json().status);
  });

  it('mounts the config where FOOTFALL_CONFIG points and a persistent volume at the dataDir', () => {
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.name, m]));
    expect(env.FOOTFALL_CONFIG).toBe(`${mounts.config.mountPath}/footfall.yaml`);
    expect(mounts.config.readOnly).toBe(true);
    expect(pod.volumes.find((v: any) => v.name === 'config').configMap.name).toBe(
      one(manifests, 'ConfigMap').metadata.name,
    );
    // Journal, working and published files all live on the claim, which outlives the pod.
    expect(mounts.data.mountPath).toBe(config.dataDir);
    expect(statefulSet.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
    const files = config.sinks.files;
    if (files?.type !== 'file') throw new Error('the chart keeps the file sink by default');
    for (const dir of [files.workingDir, files.publishDir, files.journal.dir]) {
      expect(dir.startsWith(`${config.dataDir}/`), dir).toBe(true);
    }
  });

  it('gives the collector time to drain: preStop, shutdownDelay, shutdownTimeout and its 10 s guard', () => {
    const preStopMs = container.lifecycle.preStop.sleep.seconds * 1000;
    expect(preStopMs).toBeGreaterThan(0);
    expect(config.server.shutdownDelay).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(
      preStopMs + config.server.shutdownDelay + config.server.shutdownTimeout + 10_000,
    );
    // Changing the values moves the config and the grace period together.
    const longer = render(['shutdown.timeoutSeconds=100']);
    expect(chartConfig(longer).server.shutdownTimeout).toBe(100_000);
    expect(one(longer, 'StatefulSet').spec.template.spec.terminationGracePeriodSeconds).toBe(
      pod.terminationGracePeriodSeconds + 75,
    );
  });

  it("runs as the image's non-root user on a read-only root file system", () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources.requests.memory).toBeDefined();
    expect(container.args).toEqual(['serve']);
  });

  it('keeps user config and trusts the balancer, with the chart-owned keys laid over', () => {
    const custom = chartConfig(
      render([
        'config.server.port=9999',
        'config.privacy.ipAddress=truncate',
        'trustProxies={10.1.0.0/16}',
        'config.dataDir=/elsewhere',
      ]),
    );
    expect(custom.server.port).toBe(defaults().server.port);
    expect(custom.dataDir).toBe('/data');
    expect(custom.privacy.ipAddress).toBe('truncate');
    expect(custom.server.trustProxies).toEqual(['10.1.0.0/16']);
  });

  it('renders the PodDisruptionBudget, and on request the HPA, ServiceMonitor and a Secret for SASL', () => {
    const pdb = one(manifests, 'PodDisruptionBudget');
    expect(pdb.spec.selector.matchLabels).toEqual(statefulSet.spec.selector.matchLabels);
    expect(
      manifests.filter((m) => ['HorizontalPodAutoscaler', 'ServiceMonitor', 'Secret'].includes(m.kind)),
    ).toEqual([]);

    const extras = render([
      'autoscaling.enabled=true',
      'serviceMonitor.enabled=true',
      'secretEnv.KAFKA_SASL_PASSWORD=changeme',
    ]);
    const hpa = one(extras, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'StatefulSet', name: statefulSet.metadata.name });
    const sts = one(extras, 'StatefulSet');
    expect(sts.spec.replicas).toBeUndefined();
    const monitor = one(extras, 'ServiceMonitor');
    const pods = one(extras, 'Service', 'footfall-pods');
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'admin', path: '/metrics' });
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) {
      expect(pods.metadata.labels?.[key]).toBe(value);
    }
    const secret = one(extras, 'Secret');
    expect(secret.stringData).toEqual({ KAFKA_SASL_PASSWORD: 'changeme' });
    expect(sts.spec.template.spec.containers[0].envFrom).toEqual([
      { secretRef: { name: secret.metadata.name } },
    ]);
  });
});
