import { defineConfig } from 'vitest/config';

/**
 * Unit tests: one module at a time, in process, in seconds (the cryptography, the formats, the lint, the
 * screens' logic, the workstation's own concerns). Integration tests: whole ceremonies, records, the
 * verifier on them, the service, the command line, worker pools and PDFs, in minutes. `npm run test:unit`
 * runs the first alone while working; `npm test` runs both, then the fault-injection suite
 * (vitest.faults.config.ts, which keeps both cores busy) and the browser tests.
 */
const UNIT = ['test/core/**', 'test/lint/**', 'test/renderer/**', 'test/workstation/**', 'test/drives/**', 'test/transcript/**', 'test/election/**', 'test/token/**', 'test/docs/**'].map(
  (d) => `${d}/*.test.ts`,
);
const EXCLUDED = ['test/faults/**', '**/node_modules/**'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, exclude: EXCLUDED } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...EXCLUDED, ...UNIT] } },
    ],
  },
});
