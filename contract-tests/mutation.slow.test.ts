// Proves the suite can fail: against each drift mutant of the twin, the live drift check must end as
// the mutant's record says — exit 1 with a breaking finding of its check, exit 0 with a non-breaking
// or info one, its check skipped (never passed), or exit 2 naming the account state — and prints the
// mutation score. The mutants run in this process, one after another, each run its own
// (contract-tests/mutate.ts); drift.slow.test.ts runs the CLI end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTANTS, type Mutant } from '../twin/mutants.js';
import { type MutantRun, runMutant } from './mutate.js';

const runs = new Map<string, MutantRun>();
const killed = new Set<string>();

describe('drift mutants of the twin', () => {
  beforeAll(async () => {
    for (const { id } of MUTANTS) runs.set(id, await runMutant(id));
  }, 900_000);

  afterAll(() => {
    const byCategory = [...new Set(MUTANTS.map((m) => m.category))].map((category) => {
      const of = MUTANTS.filter((m) => m.category === category);
      return `${category} ${of.filter((m) => killed.has(m.id)).length}/${of.length}`;
    });
    console.log(`mutation score: ${killed.size}/${MUTANTS.length} mutants caught (${byCategory.join(', ')})`);
  });

  it.each(MUTANTS.map((m) => [m.id, m as Mutant] as const))('%s', (id, mutant) => {
    const run = runs.get(id)!;
    expect(run, `no run for ${id}`).toBeDefined();
    const report = run.report!;
    const outcome = mutant.outcome;
    if (outcome && 'couldNotRun' in outcome) {
      expect(run.code, run.output).toBe(2);
      expect(report.incomplete, run.output).toContain(outcome.couldNotRun);
      // An account state is never mistaken for "already imported", nor counted as a passed import check.
      expect(JSON.stringify(report.findings)).not.toMatch(/already imported/);
      const roundTrip = report.checks.filter((c) =>
        /^import\.(success|copy|trust-review|vendor-data|rejects\.replay)/.test(c.check),
      );
      expect(roundTrip.filter((c) => c.state === 'passed')).toEqual([]);
    } else if (outcome && 'skipped' in outcome) {
      expect(run.code, run.output).toBe(0);
      expect(report.checks, run.output).toContainEqual(
        expect.objectContaining({
          check: mutant.check,
          state: 'skipped',
          reason: expect.stringMatching(/DIDIT_WORKFLOW_ID/),
        }),
      );
    } else {
      const breaking = mutant.expectedSeverity === 'breaking';
      expect(run.code, run.output).toBe(breaking ? 1 : 0);
      expect(report.findings, run.output).toContainEqual(
        expect.objectContaining({ check: mutant.check, severity: mutant.expectedSeverity, kind: mutant.kind }),
      );
      if (!breaking) expect(report.summary.breaking).toBe(0);
    }
    killed.add(id);
  });
});
