// The contract suite as vitest tests (contract-tests/contract.vitest.ts), against the environment of
// `npm run drift -- --target live`: `npm run drift:vitest`. Not a project of npm test (it needs a
// live target); `npm run drift` runs the same checks without vitest.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['contract-tests/contract.vitest.ts'],
    // Each check's own time limit (the engine's) is its `it`'s timeout.
    testTimeout: 0,
  },
});
