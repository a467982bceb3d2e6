// Runs the contract suite with vitest's Node API and collects each check's outcome and findings,
// printing one progress line per check as it finishes.
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { SPEC_PATH } from '../scripts/lib/spec.js';
import type { CalibrationNote, Finding } from './suite/findings.js';
import { redact } from './redact.js';

export interface CheckResult {
  check: string;
  operation: string;
  state: 'passed' | 'failed' | 'skipped';
  reason?: string;
  findings: Finding[];
  /** What the check tells `npm run calibrate`. */
  calibration: CalibrationNote[];
  /** The target did not answer or the account refused: the run is incomplete, which is not drift. */
  unavailable?: string;
  /** The check itself crashed without a finding (a suite error, not drift). */
  error?: string;
}

const CONFIG = fileURLToPath(new URL('./vitest.contract.config.ts', import.meta.url));
const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const;

function toResult(testCase: TestCase): CheckResult {
  const meta = testCase.meta();
  const result = testCase.result();
  const state = result.state === 'pending' ? 'skipped' : result.state;
  const findings = meta.findings ?? [];
  const crashed = state === 'failed' && !meta.unavailable && !findings.some((f) => f.severity === 'breaking');
  return {
    check: meta.check ?? testCase.name,
    operation: meta.operation ?? '',
    state,
    ...(meta.skipReason ? { reason: meta.skipReason } : {}),
    findings,
    calibration: meta.calibration ?? [],
    ...(meta.unavailable ? { unavailable: meta.unavailable } : {}),
    ...(crashed ? { error: redact(result.errors?.map((e) => e.message).join('; ') ?? 'unknown error') } : {}),
  };
}

function progressLine(r: CheckResult): string {
  const detail = r.unavailable ?? r.error ?? r.reason ?? r.findings.find((f) => f.severity === 'breaking')?.message ?? '';
  const notes = r.findings.filter((f) => f.severity !== 'breaking').length;
  return `  ${MARK[r.state]} ${r.check}${detail ? ` — ${detail.split('\n')[0]}` : ''}${notes ? ` (+${notes} note${notes > 1 ? 's' : ''})` : ''}`;
}

/**
 * Runs every check against the target the environment describes, holding it to the spec at
 * `specPath` (default spec/openapi.yaml); resolves with their results.
 */
export async function runSuite(log: (line: string) => void = console.log, specPath: string = SPEC_PATH): Promise<{ results: CheckResult[]; errors: string[] }> {
  const results: CheckResult[] = [];
  const errors: string[] = [];
  const reporter: Reporter = {
    onTestCaseResult(testCase) {
      const result = toResult(testCase);
      results.push(result);
      log(progressLine(result));
    },
    onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled) {
      for (const module of modules) for (const e of module.errors()) errors.push(redact(`${module.moduleId}: ${e.message}`));
      for (const e of unhandled) errors.push(redact(e.message ?? String(e)));
    },
  };
  const vitest = await startVitest('test', [], { config: CONFIG, watch: false, reporters: [reporter], provide: { specPath } });
  await vitest.close();
  results.sort((a, b) => a.check.localeCompare(b.check));
  return { results, errors };
}
