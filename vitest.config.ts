import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-global-setup.ts', 'test/support/kafka-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // Integration tests start child processes and brokers; two cores are all we have.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
