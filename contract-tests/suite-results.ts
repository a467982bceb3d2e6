// What a run of the contract suite yields: each check's outcome and findings (made by run-check.ts),
// and the progress line printed as it finishes.
import type { CalibrationNote, Finding } from './suite/findings.js';

export interface CheckResult {
  check: string;
  operation: string;
  state: 'passed' | 'failed' | 'skipped';
  /** How long the check ran, for the JUnit report. */
  durationMs: number;
  reason?: string;
  findings: Finding[];
  /** What the check tells `npm run calibrate`. */
  calibration: CalibrationNote[];
  /** The target did not answer or the account refused: the run is incomplete, which is not drift. */
  unavailable?: string;
  /** The check itself crashed without a finding (a suite error, not drift). */
  error?: string;
}

const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const;

export function progressLine(r: CheckResult): string {
  const detail =
    r.unavailable ?? r.error ?? r.reason ?? r.findings.find((f) => f.severity === 'breaking')?.message ?? '';
  const notes = r.findings.filter((f) => f.severity !== 'breaking').length;
  return `  ${MARK[r.state]} ${r.check}${detail ? ` — ${detail.split('\n')[0]}` : ''}${notes ? ` (+${notes} note${notes > 1 ? 's' : ''})` : ''}`;
}

export interface Progress {
  results: CheckResult[];
  collected: Set<string>;
}

/** Checks collected but not finished. */
export const leftOf = ({ results, collected }: Progress): string[] => {
  const finished = new Set(results.map((r) => r.check));
  return [...collected].filter((name) => !finished.has(name)).sort();
};

export interface SuiteRun {
  results: CheckResult[];
  errors: string[];
  /** Why the run stopped before every check ran (the signal's reason, or the first check that could not run). */
  stopped?: string;
  /** Checks collected but not finished when it stopped. */
  left: string[];
}
