// The engine that runs the contract suite: each call starts a run of its own (suite/run.ts), defines
// the run's checks (one lane per operation, suite/*.contract.ts), runs the lanes side by side and the
// checks of a lane one after another, each under its own AbortSignal and a time limit that follows the
// run's limits, and prints one progress line per check as it finishes. The first check that cannot
// run stops the rest, as do the caller's signal and deadline: what had not finished is "not run".
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type OpenApiDocument, SPEC_PATH } from '../spec-kit/spec.js';
import { type Clock, realClock } from './clock.js';
import { runCheck } from './run-check.js';
import { redact } from './run-secrets.js';
import type { Check, Lane } from './suite/check.js';
import { CHECK_IDS } from './suite/check-ids.js';
import { importChecks } from './suite/import.contract.js';
import { type Run, startRun } from './suite/run.js';
import { shareChecks } from './suite/share.contract.js';
import type { TargetConfig } from './suite/target.js';
import { type CheckResult, leftOf, type Progress, progressLine, type SuiteRun } from './suite-results.js';

export type { CheckResult, Progress, SuiteRun } from './suite-results.js';
export { leftOf } from './suite-results.js';

/** The suite's lanes: run side by side, each lane's checks in order (they share memoised exchanges). */
export const LANES: Record<string, Lane> = { share: shareChecks, import: importChecks };

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
  /** The waits and time limits; default the real clock. */
  clock?: Clock;
}

/** Every lane's checks for `run`; a lane that cannot be defined is an error of the suite itself. */
export function defineSuite(run: Run): { lanes: Check[][]; errors: string[] } {
  const errors: string[] = [];
  const lanes = Object.entries(LANES).map(([name, lane]) => {
    try {
      return lane(run);
    } catch (error) {
      errors.push(redact(`the ${name} lane: ${error instanceof Error ? error.message : String(error)}`));
      return [];
    }
  });
  const ids = lanes.flat().map((c) => c.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  const undeclared = CHECK_IDS.filter((id) => !ids.includes(id));
  if (twice.length > 0) errors.push(`checks declared twice: ${twice.join(', ')}`);
  if (errors.length === 0 && undeclared.length > 0)
    errors.push(`checks listed in suite/check-ids.ts but never declared: ${undeclared.join(', ')}`);
  return { lanes, errors };
}

// The spec each run holds the target to, parsed once per path and text (calibration rewrites it):
// the drift check's own tests start dozens of runs in one process.
let parsed: { path: string; text: string; spec: OpenApiDocument } | undefined;
function specAt(path: string): OpenApiDocument {
  const text = readFileSync(path, 'utf8');
  if (parsed?.path !== path || parsed.text !== text) parsed = { path, text, spec: parse(text) as OpenApiDocument };
  return parsed.spec;
}

/** A run ready to go: its state, its checks by lane, and the controller that stops it. */
export interface PreparedRun {
  run: Run;
  lanes: Check[][];
  /** Errors of the suite itself (a lane that cannot be defined); nothing runs when there are any. */
  errors: string[];
  stop: AbortController;
  clock: Clock;
}

/** Starts a run of its own from `options` (the spec read now) and defines its checks. */
export function prepareRun(options: SuiteOptions): PreparedRun {
  const { specPath = SPEC_PATH, clock = realClock } = options;
  const stop = new AbortController();
  // A deadline may have passed before the suite started (a slow Prism start, a slow first probe).
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', () => stop.abort(options.signal?.reason), { once: true });
  const run = startRun({
    target: options.target,
    spec: specAt(specPath),
    limits: { requestTimeoutMs: options.requestTimeoutMs ?? 15_000, maxBodyBytes: options.maxBodyBytes ?? 1_048_576 },
    signal: stop.signal,
    sleep: (ms) => clock.sleep(ms, stop.signal),
  });
  return { run, ...defineSuite(run), stop, clock };
}

/**
 * Runs every check against `options.target` in a run of its own; resolves with their results. The
 * first check that could not run (target down, account refusal, throttle that does not lift, its time
 * limit) stops the whole run at once, as does `signal`: no other check waits out its own timeouts.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteRun> {
  const { log = console.log } = options;
  const { results, collected } = options.progress ?? { results: [], collected: new Set<string>() };
  const { run, lanes, errors, stop, clock } = prepareRun(options);
  for (const c of lanes.flat()) collected.add(c.id);

  const finished = (result: CheckResult) => {
    results.push(result);
    log(progressLine(result));
    if (result.unavailable && !stop.signal.aborted) stop.abort(result.unavailable);
  };
  const runLane = async (checks: Check[]) => {
    for (const c of checks) {
      if (stop.signal.aborted) return;
      const result = await runCheck(c, run, { stop: stop.signal, clock });
      // Stopped while it ran: it did not finish, so it is not run (in `left`), not a result.
      if (!result) return;
      finished(result);
    }
  };
  if (errors.length === 0) await Promise.all(lanes.map(runLane));
  return {
    results: [...results].sort((a, b) => a.check.localeCompare(b.check)),
    errors,
    left: leftOf({ results, collected }),
    ...(stop.signal.aborted ? { stopped: redact(String(stop.signal.reason)) } : {}),
  };
}
