// The contract suite's own vitest config: run by the drift runner (contract-tests/drift.ts) against a target,
// never by `vitest run` directly (its files are *.contract.ts, outside the unit tests' include).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['contract-tests/suite/**/*.contract.ts'],
    testTimeout: 60_000,
    // Checks within a file share memoised exchanges and run in order; the two files run side by side
    // when there are workers enough, else one after the other in one thread (run-suite.ts: isolate off).
    sequence: { concurrent: false },
    pool: 'threads',
  },
});
