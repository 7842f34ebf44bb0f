import Fastify from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../../src/server/admin.js';
import { Readiness, type ReadinessCheck } from '../../../src/server/readiness.js';
import { healthRoutes } from '../../../src/server/routes/health.js';

// What a sink reports during an incident: exactly what must not reach the public port.
const failing: ReadinessCheck[] = [
  {
    name: 'sink:kafka',
    ready: false,
    detail: 'brokers 10.1.2.3:9092 unreachable (host collector-7, pid 4242)',
  },
  { name: 'sink:files', ready: true, journal: { records: 3, path: '/var/lib/footfall/journal' } },
];

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function publicApp(readiness: Readiness) {
  const app = Fastify();
  apps.push(app);
  await app.register(healthRoutes, { readiness });
  return app;
}

describe('/health/ready', () => {
  it('says only ready or unavailable on the public listener', async () => {
    const readiness = new Readiness(() => failing);
    readiness.refresh();
    const app = await publicApp(readiness);
    const down = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.body).toBe('{"status":"unavailable"}');
    expect(down.headers['cache-control']).toBe('no-store');

    const up = new Readiness(() => [{ name: 'sink:files', ready: true, journal: { path: '/x' } }]);
    up.refresh();
    const ready = await (await publicApp(up)).inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.body).toBe('{"status":"ready"}');
  });

  it('shows every check with its detail and journal figures on the admin listener', async () => {
    const readiness = new Readiness(() => failing);
    readiness.refresh();
    const admin = await buildAdminApp({
      logger: pino({ level: 'silent' }),
      metrics: { contentType: 'text/plain', metrics: async () => '' },
      readiness,
    });
    apps.push(admin);
    const response = await admin.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable', checks: failing });
  });
});
