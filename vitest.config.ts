import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// The files that start processes (Prism, the CLIs, npm) or run the drift check many times, longest
// first: `npm test` runs them and the rest; `npm run test:unit` (the inner loop) only the rest.
const SLOW = [
  'contract-tests/mutation.test.ts',
  'contract-tests/drift.test.ts',
  'contract-tests/nightly.test.ts',
  'scripts/packaging.test.ts',
  'contract-tests/hostile.test.ts',
  'contract-tests/calibrate.test.ts',
  'scripts/example.test.ts',
  'scripts/mock-lifecycle.test.ts',
  'scripts/generated.test.ts',
  'scripts/spec-diff.slow.test.ts',
  'scripts/generate-keywords.slow.test.ts',
  'scripts/docs.test.ts',
  'scripts/mock.test.ts',
  'scripts/redocly.test.ts',
];

/** Long files start first, so none of them is left to run alone at the end (a fresh clone has no timings cache). */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = SLOW.indexOf(relative(spec.project.config.root, spec.moduleId));
      return at === -1 ? SLOW.length : at;
    };
    const sized = await super.sort(files); // the rest: vitest's own order (cached durations, else size)
    return sized
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map((x) => x.spec);
  }
}

export default defineConfig({
  test: {
    // Tests start real servers and Prism processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // Files share their worker's modules instead of loading them again for each file (half the suite's
    // CPU went to imports). Tests restore what they change (process.env, servers, twins); a shuffled
    // order stays green (npx vitest run --sequence.shuffle).
    isolate: false,
    // A hang guard, not a speed assertion: tests that spawn the CLI must stay green on a loaded machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'twin/**/*.test.ts', 'scripts/**/*.test.ts', 'contract-tests/**/*.test.ts'],
          exclude: SLOW,
        },
      },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
