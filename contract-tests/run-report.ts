// Every drift report a run writes, early (before the suite), interrupted (a signal) or final, is
// written by one function here; a run that could not give a verdict and has reported says so by type.
import { baseUrlFrom, CannotRun, type Environment } from './drift-target.js';
import { buildReport, type DriftReport, writeReport } from './report.js';
import type { SuiteRun } from './suite-results.js';

/** What a drift report is made of; the parts a run has not reached yet are left out. */
interface ReportParts {
  target: string;
  startedAt: Date;
  /** Where the checks went; when the run never got that far, read from the environment if it can be. */
  baseUrl?: string;
  env?: Environment;
  results?: SuiteRun['results'];
  /** Why the run could not give a verdict, if so. */
  incomplete?: string;
  sessions?: DriftReport['sessions'];
}

/** Writes every drift report, early, interrupted or final, replacing any earlier one in `reportDir`. */
export function writeRunReport(reportDir: string, parts: ReportParts): { report: DriftReport; files: string[] } {
  const { target, startedAt, env = process.env, results = [], incomplete, sessions } = parts;
  const baseUrl = parts.baseUrl ?? (target === 'prism' ? '' : baseUrlOrEmpty(env));
  const report = { ...buildReport(target, baseUrl, startedAt, results, incomplete), ...(sessions ? { sessions } : {}) };
  return { report, files: writeReport(reportDir, report) };
}

function baseUrlOrEmpty(env: Environment): string {
  try {
    return baseUrlFrom(env);
  } catch {
    return '';
  }
}

/** A run that could not give a verdict and has written its report already (`files`). */
export class Reported extends CannotRun {
  constructor(
    message: string,
    readonly files: string[],
  ) {
    super(message);
  }
}
