// Proves the suite can fail: against each drift mutant of the twin, `npm run drift -- --target live`
// must exit 1 (0 where the drift is non-breaking or only refutes an assumption) and report the
// finding of the check that should catch it, at the expected severity. Prints the mutation score.
import { afterAll, describe, expect, it } from 'vitest';
import { runDrift } from './drift-run.js';
import { MUTANTS, type MutantId } from './twin/mutants.js';
import { startTwin } from './twin/server.js';

/** The check that must report each mutant: a table, so a new mutant without a catching check fails here. */
const CAUGHT_BY: Record<MutantId, string> = {
  'share-drops-session-kind': 'share.success',
  'share-renames-share-token': 'share.success',
  'share-for-application-id-as-integer': 'share.success',
  'share-session-kind-company': 'share.business',
  'share-content-type-text-plain': 'share.success',
  'share-adds-undocumented-field': 'share.success',
  'share-error-body-reshaped': 'share.rejects.ttl-below-minimum',
  'share-echoes-wrong-application': 'share.token.binding',
  'import-drops-expires-at': 'import.success',
  'import-answers-200': 'import.success',
  'token-alg-hs512': 'share.token.format',
  'token-ignores-requested-ttl': 'share.token.ttl',
  'token-default-ttl-7200': 'share.token.default-ttl',
  'token-session-id-wrong': 'share.token.binding',
  'token-for-application-id-wrong': 'share.token.binding',
  'token-session-kind-mismatch': 'share.token.binding',
  'token-iat-in-future': 'share.token.binding',
  'token-not-three-parts': 'share.success',
  'rule-ttl-below-minimum-accepted': 'share.rejects.ttl-below-minimum',
  'rule-ttl-above-maximum-accepted': 'share.rejects.ttl-above-maximum',
  'rule-non-integer-ttl-accepted': 'share.rejects.ttl-not-integer',
  'rule-unfinished-session-shareable': 'share.rejects.session-unfinished',
  'rule-own-application-accepted': 'share.rejects.same-application',
  'rule-missing-for-application-accepted': 'share.rejects.for-application-id-missing',
  'auth-missing-key-403': 'share.rejects.key-missing',
  'auth-readonly-key-can-share': 'share.rejects.key-without-privilege',
  'auth-unknown-session-403': 'share.rejects.session-unknown',
  'auth-body-checked-before-key': 'share.rejects.key-checked-first',
  'import-tampered-token-accepted': 'import.rejects.tampered-token',
  'import-replay-accepted': 'import.rejects.replay',
  'import-trust-review-ignored': 'import.trust-review',
  'import-wrong-application-accepted': 'import.rejects.wrong-application',
};

const killed = new Set<string>();

describe('drift mutants of the twin', () => {
  afterAll(() => {
    const byCategory = [...new Set(MUTANTS.map((m) => m.category))].map((category) => {
      const of = MUTANTS.filter((m) => m.category === category);
      return `${category} ${of.filter((m) => killed.has(m.id)).length}/${of.length}`;
    });
    console.log(`mutation score: ${killed.size}/${MUTANTS.length} mutants caught (${byCategory.join(', ')})`);
  });

  it.concurrent.each(MUTANTS.map((m) => [m.id, m] as const))('%s', async (id, mutant) => {
    const twin = await startTwin({ mutant: id });
    try {
      const run = await runDrift(['--target', 'live'], twin.env);
      const breaking = mutant.expectedSeverity === 'breaking';
      expect(run.code, run.output).toBe(breaking ? 1 : 0);
      expect(run.report?.findings, run.output).toContainEqual(
        expect.objectContaining({ check: CAUGHT_BY[id], severity: mutant.expectedSeverity }),
      );
      if (!breaking) expect(run.report?.summary.breaking).toBe(0);
      killed.add(id);
    } finally {
      await twin.close();
    }
  });
});
