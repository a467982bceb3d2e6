// One record per drift mutant of the twin: what it changes, the check that must catch it and how the
// drift run must end. The behaviour switch is `has(id)` in the twin; the probe and its knock-ons are
// test-support/mutant-probes.ts, keyed by the same id.

export type MutantCategory = 'schema' | 'token' | 'rule' | 'auth' | 'import';
export type MutantSeverity = 'breaking' | 'non-breaking' | 'info';

/**
 * What a drift finding is about, so the report (contract-tests/suite/findings.ts) and a mutant's record
 * can say which check of the spec caught it. Held here because the twin imports nothing of the project.
 */
export type FindingKind =
  /** A status other than the spec's. */
  | 'status'
  /** A body not sent as the spec's media type. */
  | 'content-type'
  /** A body that breaks its schema: a field missing, a type changed, an unknown enum value, a format. */
  | 'schema'
  /** A field the spec does not name (an addition). */
  | 'undocumented-field'
  /** The share token: its form, its header or one of its claims. */
  | 'token-claim'
  /** A value the request or the session decides, answered otherwise (an echo, a copied field, a status). */
  | 'value'
  /** A documented rule no longer enforced: a request the service must refuse was accepted. */
  | 'rule-not-enforced'
  /** Something the spec only assumes (`x-assumption`), refuted. */
  | 'assumption'
  /** One of the spec's unsettled facts (`x-unsettled`): the candidate the service chose, or none of them. */
  | 'unsettled-fact';

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
