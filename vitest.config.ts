import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests start real services on fixed ports and real git repos; two cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
