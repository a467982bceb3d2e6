// Runs the contract suite with vitest's Node API and collects each check's outcome and findings,
// printing one progress line per check as it finishes.
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { SPEC_PATH } from '../spec-kit/spec.js';
import type { CalibrationNote, Finding } from './suite/findings.js';
import type { TargetConfig } from './suite/target.js';
import { redact } from './redact.js';

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
    durationMs: Math.round(testCase.diagnostic()?.duration ?? 0),
    ...(meta.skipReason ? { reason: meta.skipReason } : {}),
    findings,
    calibration: meta.calibration ?? [],
    ...(meta.unavailable ? { unavailable: meta.unavailable } : {}),
    ...(crashed ? { error: redact(result.errors?.map((e) => e.message).join('; ') ?? 'unknown error') } : {}),
  };
}

function progressLine(r: CheckResult): string {
  const detail =
    r.unavailable ?? r.error ?? r.reason ?? r.findings.find((f) => f.severity === 'breaking')?.message ?? '';
  const notes = r.findings.filter((f) => f.severity !== 'breaking').length;
  return `  ${MARK[r.state]} ${r.check}${detail ? ` — ${detail.split('\n')[0]}` : ''}${notes ? ` (+${notes} note${notes > 1 ? 's' : ''})` : ''}`;
}

export interface SuiteOptions {
  target: TargetConfig;
  log?: (line: string) => void;
  /** The spec to hold the target to; default spec/openapi.yaml. */
  specPath?: string;
  requestTimeoutMs?: number;
  maxBodyBytes?: number;
  /** Stops the run (deadline, signal); its reason is the run's `stopped`. */
  signal?: AbortSignal;
  /** Filled as the run goes, so a signal handler can report what finished before it. */
  progress?: Progress;
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

// vitest/node takes ~1.4 s to load: the drift runner starts loading it while Prism starts.
let vitestModule: Promise<typeof import('vitest/node')> | undefined;
export const loadVitest = () => (vitestModule ??= import('vitest/node'));

// After a stop, in-flight checks get this long to settle before their results are given up.
const SETTLE_MS = 2_000;

/**
 * Runs every check against `target`; resolves with their results. The
 * first check that could not run (target down, account refusal, throttle that does not lift) stops
 * the whole run at once, as does `signal`: no other check waits out its own timeouts.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteRun> {
  const { log = console.log, specPath = SPEC_PATH, requestTimeoutMs = 15_000, maxBodyBytes = 1_048_576 } = options;
  const { results, collected } = options.progress ?? { results: [], collected: new Set<string>() };
  const errors: string[] = [];
  const stop = new AbortController();
  // A deadline may have passed before the suite started (a slow Prism start, a slow first probe).
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', () => stop.abort(options.signal?.reason), { once: true });
  const reporter: Reporter = {
    onTestModuleCollected(module) {
      for (const test of module.children.allTests()) collected.add(test.name);
    },
    onTestCaseResult(testCase) {
      const result = toResult(testCase);
      // Cancelled after a stop, a check is reported skipped without a reason: it did not run.
      if (stop.signal.aborted && result.state === 'skipped' && !result.reason) return;
      results.push(result);
      log(progressLine(result));
      if (result.unavailable && !stop.signal.aborted) stop.abort(result.unavailable);
    },
    onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled) {
      for (const module of modules)
        for (const e of module.errors()) errors.push(redact(`${module.moduleId}: ${e.message}`));
      for (const e of unhandled) errors.push(redact(e.message ?? String(e)));
    },
  };
  const { createVitest } = await loadVitest();
  const vitest = await createVitest('test', {
    config: CONFIG,
    watch: false,
    reporters: [reporter],
    provide: { target: options.target, specPath, requestTimeoutMs, maxBodyBytes },
  });
  const stopped = stop.signal.aborted
    ? Promise.resolve()
    : new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  const run = vitest.start().then(() => undefined);
  await Promise.race([
    run,
    stopped.then(() => {
      void vitest.cancelCurrentRun('keyboard-input');
      return Promise.race([run, new Promise((resolve) => setTimeout(resolve, SETTLE_MS).unref())]);
    }),
  ]);
  if (!stop.signal.aborted) await vitest.close();
  else void vitest.close().catch(() => {});
  const left = leftOf({ results, collected });
  return {
    results: [...results].sort((a, b) => a.check.localeCompare(b.check)),
    errors,
    left,
    ...(stop.signal.aborted ? { stopped: redact(String(stop.signal.reason)) } : {}),
  };
}
