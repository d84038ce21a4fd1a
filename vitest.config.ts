import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // e2e and interop tests spawn real servers and clients; two cores cannot run many at once.
    maxWorkers: 2,
  },
});
