import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` runs in-process against the TypeScript sources and needs no build but the
 * tracker templates (esbuild, well under a second); `integration` runs the compiled CLI as child
 * processes, real Chromium and a real Kafka broker, so it builds the project with tsc first.
 * `vitest run` runs both; `--project unit` (npm run test:unit) or `--project integration` one.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // Integration tests start child processes and brokers; two cores are all we have.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // npm run test:coverage: the unit project's coverage of src/, with a floor a little under what it
    // reached when it was set (91.6% statements, 86.4% branches, 94.1% functions, 93.8% lines).
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: [
        'src/**/*.d.ts',
        // Only ever run in child processes or a browser, by the integration tests: the CLI entry
        // point, the worker cluster, and the tracker (unit tests run its bundle in node:vm).
        'src/cli/main.ts',
        'src/collector/cluster.ts',
        'src/tracker-js/index.ts',
      ],
      reporter: ['text-summary', 'html'],
      thresholds: { statements: 90, branches: 85, functions: 92, lines: 92 },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/support/tracker-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: [
            'test/support/tracker-global-setup.ts',
            'test/support/build-global-setup.ts',
            'test/support/kafka-global-setup.ts',
          ],
        },
      },
    ],
  },
});
