// `npm run test:container` (issue 20): builds docker/Dockerfile with podman, runs the image alone and
// as three replicas behind HAProxy, and renders the Helm chart. As root (podman, mmdebstrap); the
// image and helm are built once by the global setup and cached (.cache/, podman's storage).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/container/**/*.test.ts'],
    // The tracker templates for the in-process collector the chart's test asks about its probes.
    globalSetup: ['test/support/tracker-global-setup.ts', 'test/container/support/global-setup.ts'],
    // Containers, a broker and a balancer on two cores: one file at a time.
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
