// The catalogue of drift mutants: well formed, and each changes what its probe names and nothing else
// (its probe, and the knock-ons its record allows), against the unmutated twin's baseline.
import { beforeAll, describe, expect, it } from 'vitest';
import { KNOCK_ONS, PROBES } from '../test-support/mutant-probes.js';
import { MUTANT_IDS, MUTANTS, type MutantId } from './mutants.js';
import { startTwin } from './server.js';

describe('twin: mutants', () => {
  const observe = async (mutant?: MutantId) =>
    Object.fromEntries(
      await Promise.all(
        MUTANT_IDS.map(async (probe) => {
          const t = await startTwin(mutant === undefined ? {} : { mutant });
          try {
            return [probe, await PROBES[probe](t)] as const;
          } finally {
            await t.close();
          }
        }),
      ),
    );
  let baseline: Record<string, unknown>;
  beforeAll(async () => {
    baseline = await observe();
  });

  it('has a catalogue of at least 15 well-formed mutants in every category', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(MUTANT_IDS).size).toBe(MUTANTS.length);
    expect(new Set(MUTANTS.map((m) => m.category))).toEqual(new Set(['schema', 'token', 'rule', 'auth', 'import']));
    for (const m of MUTANTS) {
      expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(m.description.length * m.expect.length).toBeGreaterThan(0);
    }
    const byFinding = MUTANTS.filter((m) => !('outcome' in m));
    // Each one caught by a finding names its kind; the others end by their outcome, never a finding.
    for (const m of MUTANTS) expect('kind' in m, m.id).toBe(!('outcome' in m));
    expect(byFinding.filter((m) => m.expectedSeverity === 'non-breaking').map((m) => m.id)).toEqual([
      'share-adds-undocumented-field',
    ]);
    expect(byFinding.filter((m) => m.expectedSeverity === 'info').map((m) => m.id)).toEqual([
      'share-error-body-reshaped',
      'auth-body-checked-before-key',
    ]);
    expect(MUTANTS.filter((m) => 'outcome' in m).map((m) => m.id)).toEqual([
      'import-refused-for-balance',
      'import-payment-required',
      'import-workflow-checked-first',
    ]);
  });

  it('refuses an unknown mutant', async () => {
    await expect(startTwin({ mutant: 'no-such-mutant' })).rejects.toThrow(/Unknown twin mutant/);
  });

  it.each(MUTANT_IDS)('%s changes what it names, and nothing else', async (id) => {
    const mutated = await observe(id);
    expect(mutated[id], `probe ${id}`).not.toEqual(baseline[id]);
    const changed = MUTANT_IDS.filter((probe) => JSON.stringify(mutated[probe]) !== JSON.stringify(baseline[probe]));
    expect(changed.sort()).toEqual([id, ...(KNOCK_ONS[id] ?? [])].sort());
  });
});
