import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'twin/**/*.test.ts', 'scripts/**/*.test.ts', 'contract-tests/**/*.test.ts'],
    // Tests start real servers and Prism processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // A hang guard, not a speed assertion: tests that spawn the CLI must stay green on a loaded machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
