// `npm run test:faults`: the fault-injection suite of issue 17 ("Zero acknowledged loss"). Real
// collector processes, real brokers, real file systems and signals: one file at a time, as root.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/faults/support/global-setup.ts'],
    // Every file SIGKILLs, mounts and starts its own broker: never two at once on two cores.
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
