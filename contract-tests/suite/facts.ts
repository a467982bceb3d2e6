// Checks of the spec's unsettled facts (`x-unsettled`): any listed candidate is accepted and the one
// the service chose is reported (info, naming the source it confirms); a value outside the
// candidates is breaking drift, and so is a change once `npm run calibrate` has settled the fact.
import { acceptedValues, type Candidate, type UnsettledFact, unsettledFact } from '../../spec-kit/unsettled.js';
import type { Observed } from './findings.js';
import type { Run } from './run.js';

export interface Fact extends UnsettledFact {
  /** The values the service may answer: the settled one, or every candidate. */
  accepted: string[];
  /** Whether the service may answer this value (the settled one, or any candidate). */
  accepts(value: unknown): boolean;
  /**
   * Observations for the value the service answered: info (and a calibration note) for a candidate,
   * breaking for anything else. `report: false` only holds the value to the fact, for checks that
   * meet the same fact again after the one that reports it.
   */
  judge(value: unknown, evidence: string, options?: { report?: boolean }): Observed[];
  /**
   * For a fact about wording: the accepted value whose words the text contains (case-insensitive), else
   * the text itself, cut short (which `judge` then finds outside the candidates).
   */
  wordsIn(text: string): string;
}

const quoted = (c: Candidate) =>
  `${c.source} (${c.says})${c.also?.length ? ` and ${c.also.map((a) => a.source).join(', ')}` : ''}`;

export function fact(run: Run, id: string): Fact {
  const f = unsettledFact(run.spec.document, id);
  const accepted = acceptedValues(f);
  const accepts = (value: unknown) => accepted.includes(String(value));
  return {
    ...f,
    accepted,
    accepts,
    wordsIn(text) {
      const lower = text.toLowerCase();
      return accepted.find((words) => lower.includes(words.toLowerCase())) ?? text.replace(/\s+/g, ' ').slice(0, 80);
    },
    judge(value, evidence, { report = true } = {}) {
      const v = String(value);
      if (f.settled) {
        return accepts(v)
          ? []
          : [
              {
                kind: 'unsettled-fact',
                severity: 'breaking',
                message: `${f.id}: calibrated to ${String(f.settled.value)} on ${f.settled.on} (${f.settled.evidence}), the service now answers ${v}: ${evidence}`,
                expected: f.settled.value,
                actual: v,
              },
            ];
      }
      const candidate = f.candidates.find((c) => String(c.value) === v);
      if (!candidate) {
        return [
          {
            kind: 'unsettled-fact',
            severity: 'breaking',
            message: `${f.id}: ${f.question} The service answered ${v}, none of the candidates (${accepted.join(', ')}): ${evidence}`,
            expected: accepted,
            actual: v,
          },
        ];
      }
      // The mock only repeats the spec: what it answers confirms no source.
      if (!report || run.target.kind === 'prism') return [];
      return [
        {
          kind: 'unsettled-fact',
          severity: 'info',
          message: `${f.id}: the service chose ${v}, confirming ${quoted(candidate)}; \`npm run calibrate\` pins it`,
        },
        { note: { kind: 'fact', fact: f.id, value: v, evidence } },
      ];
    },
  };
}
