import { defineConfig } from 'vitest/config';

// The fault-injection suite (test/faults/): a whole election faulted at every write point. It
// runs alone, after the unit and integration tests (`npm run test:faults`, part of `npm test`), its chains side by side.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
