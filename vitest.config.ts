import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault-injection suite runs on its own (vitest.faults.config.ts): it keeps both cores busy.
    exclude: ['test/faults/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
