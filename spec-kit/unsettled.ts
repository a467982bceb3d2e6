// The spec's unsettled facts (`x-unsettled`): where Didit's own sources disagree, each candidate
// with its source, and — once `npm run calibrate` has seen the service — the one it settled on.
import type { OpenApiDocument } from './spec.js';

export interface Source {
  source: string;
  says: string;
}

export interface Candidate extends Source {
  /** Compared as text: statuses are numbers in the YAML, other values words. */
  value: string | number;
  /** Further sources that say the same (e.g. Didit's pages beside Didit's OpenAPI document). */
  also?: Source[];
}

export interface Settled {
  value: string | number;
  /** The day of the live run that settled it (YYYY-MM-DD). */
  on: string;
  evidence: string;
}

export interface UnsettledFact {
  id: string;
  question: string;
  operation: string;
  /** The places of the operation it decides, as `npm run upstream` names them (`response 401`, `request body: trust_review`). */
  covers?: string[];
  candidates: Candidate[];
  settled?: Settled;
}

export function unsettledFacts(spec: OpenApiDocument): UnsettledFact[] {
  const facts = (spec['x-unsettled'] ?? {}) as Record<string, Omit<UnsettledFact, 'id'>>;
  return Object.entries(facts).map(([id, fact]) => ({ id, ...fact }));
}

export function unsettledFact(spec: OpenApiDocument, id: string): UnsettledFact {
  const fact = unsettledFacts(spec).find((f) => f.id === id);
  if (!fact) throw new Error(`the spec has no x-unsettled fact "${id}"`);
  return fact;
}

/** The values the service may answer: the settled one once calibrated, else every candidate. */
export const acceptedValues = (fact: UnsettledFact): string[] =>
  fact.settled ? [String(fact.settled.value)] : fact.candidates.map((c) => String(c.value));
