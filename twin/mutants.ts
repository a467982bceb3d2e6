// The catalogue of drift mutants of the twin, one record each (twin/mutant-record.ts), by category.
// Each changes exactly one documented behaviour of the twin (`startTwin({ mutant: id })`); the live
// drift suite run against it must end as its record says: exit 1 with a breaking finding of `check`
// and `kind`, exit 0 with a non-breaking or info one, a skipped `check`, or exit 2 (an account state).
import type { Mutant } from './mutant-record.js';
import { COVERAGE_MUTANTS } from './mutants-coverage.js';
import { IMPORT_MUTANTS } from './mutants-import.js';
import { RULE_MUTANTS } from './mutants-rules.js';
import { SCHEMA_MUTANTS } from './mutants-schema.js';
import { TOKEN_MUTANTS } from './mutants-token.js';

export type { FindingKind, Mutant, MutantCategory, MutantOutcome, MutantSeverity } from './mutant-record.js';

export const MUTANTS = [
  ...SCHEMA_MUTANTS,
  ...TOKEN_MUTANTS,
  ...RULE_MUTANTS,
  ...IMPORT_MUTANTS,
  ...COVERAGE_MUTANTS,
] as const;

export type MutantId = (typeof MUTANTS)[number]['id'];

export const MUTANT_IDS: readonly MutantId[] = MUTANTS.map((m) => m.id);

export function isMutantId(id: string): id is MutantId {
  return (MUTANT_IDS as readonly string[]).includes(id);
}

export function findMutant(id: string): Mutant | undefined {
  return MUTANTS.find((m) => m.id === id);
}
