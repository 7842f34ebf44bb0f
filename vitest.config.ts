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
