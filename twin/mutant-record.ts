// One record per drift mutant of the twin: what it changes, the check that must catch it and how the
// drift run must end. The behaviour switch is `has(id)` in the twin; the probe and its knock-ons are
// test-support/mutant-probes.ts, keyed by the same id.
// FindingKind is the drift report's word, owned by the shipped findings; imported as a type only, so
// the twin's build pulls nothing of the client at runtime (scripts/architecture.test.ts).
import type { FindingKind } from '../src/drift-findings.js';

export type { FindingKind };

export type MutantCategory = 'schema' | 'token' | 'rule' | 'auth' | 'import';
export type MutantSeverity = 'breaking' | 'non-breaking' | 'info';

/** How the drift run must end against the mutant, when not by a finding. */
export type MutantOutcome = { skipped: true } | { couldNotRun: string };

interface MutantFields {
  /** kebab-case, unique */
  id: string;
  category: MutantCategory;
  /** The operation whose exchange shows the drift. */
  operation: 'shareSession' | 'importSharedSession';
  /** What the mutated twin does differently. */
  description: string;
  /** In plain words, what a contract check should observe. */
  expect: string;
  expectedSeverity: MutantSeverity;
  /** The check that must report (or, for `skipped`, skip) it. */
  check: string;
  /** Variables left out of the drift run's environment (the configuration the mutant is about). */
  omitEnv?: readonly string[];
}

/**
 * A mutant is caught by a finding of `kind` (and `expectedSeverity`) from `check`, or, when the run
 * must not end with a finding, by its `outcome`: the check skipped, or exit 2 with this text in `incomplete`.
 */
export type Mutant = MutantFields & ({ kind: FindingKind; outcome?: never } | { outcome: MutantOutcome; kind?: never });

export const SHARE = 'shareSession' as const;
export const IMPORT = 'importSharedSession' as const;
export const BREAKING = 'breaking' as const;
