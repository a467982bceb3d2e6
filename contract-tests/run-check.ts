// One check of a run, as the engine runs it: skipped when the target cannot show it (saying why),
// its observations stamped as findings, its errors told apart — "could not run" (target down, account
// state, misconfiguration, its time limit) from a crash of the check itself — under an AbortSignal of
// its own that its time limit and the run's stop abort.
import type { Clock } from './clock.js';
import { redact } from './run-secrets.js';
import { type Check, Skipped } from './suite/check.js';
import { type CalibrationNote, type Finding, isNote, type Observed } from './suite/findings.js';
import { AccountStateError, requestBudgetMs, TargetMisconfiguredError, TargetUnavailableError } from './suite/http.js';
import type { Run } from './suite/run.js';
import type { CheckResult } from './suite-results.js';

/** Requests a check sends one after another unless it says otherwise (`requests`). */
const REQUESTS_PER_CHECK = 4;

/** How long `check` may run under `run`'s limits: its requests' worst case, throttle waits included. */
export const timeLimitMs = (check: Check, run: Run) =>
  (check.options.requests ?? REQUESTS_PER_CHECK) * requestBudgetMs(run.limits);

class TimedOut extends Error {
  override name = 'TimedOut';
}

/** The check's result, or undefined when the run stopped before it finished (it is "not run"). */
export async function runCheck(
  check: Check,
  run: Run,
  { stop, clock }: { stop: AbortSignal; clock: Clock },
): Promise<CheckResult | undefined> {
  const { id, options } = check;
  const { target } = run;
  const startedAt = performance.now();
  const findings: Finding[] = [];
  const calibration: CalibrationNote[] = [];
  const result = (state: CheckResult['state'], extra: Partial<CheckResult> = {}): CheckResult => ({
    check: id,
    operation: options.operation,
    state,
    durationMs: Math.round(performance.now() - startedAt),
    findings,
    calibration,
    ...extra,
  });

  if (options.live && target.kind === 'prism')
    return result('skipped', { reason: 'needs a live target (a stateless mock cannot show it)' });
  const missing = (options.needs ?? []).filter((name) => !target.get(name));
  if (missing.length > 0) return result('skipped', { reason: `set ${missing.join(' and ')} to enable` });

  // A body the engine stopped waiting for may still observe: its result is given, nothing is added.
  let settled = false;
  const observe = (...observations: Observed[]) => {
    if (settled) return;
    for (const o of observations) {
      // The mock only repeats the spec: nothing it answers calibrates it.
      if (isNote(o)) {
        if (target.kind !== 'prism') calibration.push(redact(o.note));
      } else
        findings.push(
          redact({ id: `${id}${o.pointer ? `#${o.pointer}` : ''}`, operation: options.operation, check: id, ...o }),
        );
    }
  };
  const skip = (reason: string): never => {
    throw new Skipped(reason);
  };

  const own = new AbortController();
  const onStop = () => own.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  const limitMs = timeLimitMs(check, run);
  const cancelLimit = clock.timer(limitMs, () =>
    own.abort(
      new TimedOut(
        `${id} did not finish within ${limitMs / 1000} s, the most its requests may take under this run's limits (--request-timeout, throttle waits): the target hangs`,
      ),
    ),
  );
  const aborted = new Promise<never>((_, reject) =>
    own.signal.addEventListener('abort', () => reject(own.signal.reason), { once: true }),
  );
  aborted.catch(() => {});
  const body = Promise.resolve().then(() =>
    check.body({ target, env: (name) => target.get(name)!, observe, skip, signal: own.signal }),
  );
  // A body the engine stopped waiting for may still fail later: nobody is left to hear it.
  body.catch(() => {});
  try {
    await Promise.race([body, aborted]);
  } catch (error) {
    if (stop.aborted) return undefined;
    if (error instanceof Skipped) return result('skipped', { reason: error.message });
    if (error instanceof TimedOut) return result('failed', { unavailable: redact(error.message) });
    if (error instanceof TargetUnavailableError)
      return result('failed', { unavailable: redact(`the target stopped answering: ${error.message}`) });
    if (error instanceof AccountStateError || error instanceof TargetMisconfiguredError)
      return result('failed', { unavailable: redact(error.message) });
    return result('failed', { error: redact(error instanceof Error ? error.message : String(error)) });
  } finally {
    settled = true;
    cancelLimit();
    stop.removeEventListener('abort', onStop);
  }
  const breaking = findings.filter((f) => f.severity === 'breaking');
  return result(breaking.length > 0 ? 'failed' : 'passed');
}
