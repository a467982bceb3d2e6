import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// A test file that starts processes (Prism, the CLIs, npm) or runs the drift check many times is named
// `*.slow.test.ts`: `npm test` runs those first and then the rest; `npm run test:unit` (the inner loop) only the rest.
const SLOW = '**/*.slow.test.ts';
const isSlow = (file: string) => file.endsWith('.slow.test.ts');
const FOLDERS = '{src,twin,scripts,contract-tests}';

// The longest of them, longest first; the other slow files follow in vitest's own order (cached durations, else size).
const LONGEST = [
  'contract-tests/mutation.slow.test.ts',
  'contract-tests/drift.slow.test.ts',
  'contract-tests/nightly.slow.test.ts',
  'scripts/packaging.slow.test.ts',
];

/** Long files start first, so none of them is left to run alone at the end (a fresh clone has no timings cache). */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const file = relative(spec.project.config.root, spec.moduleId);
      const at = LONGEST.indexOf(file);
      return at !== -1 ? at : isSlow(file) ? LONGEST.length : LONGEST.length + 1;
    };
    const sized = await super.sort(files); // vitest's own order (cached durations, else size)
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
          include: [`${FOLDERS}/**/*.test.ts`],
          exclude: [SLOW],
        },
      },
      { extends: true, test: { name: 'slow', include: [`${FOLDERS}/${SLOW}`] } },
    ],
  },
});
