// `check(...)` wraps a vitest test: it skips what the target cannot show (saying why), stamps each
// observation as a finding on the test's meta for the drift report, and fails the test on breaking ones.
import { inject, test, type TestContext } from 'vitest';
import type { OpenApiDocument } from '../../spec-kit/spec.js';
import { redact, redactDeep } from '../redact.js';
import { isNote, type CalibrationNote, type Finding, type Observed } from './findings.js';
import { AccountStateError, TargetMisconfiguredError, TargetUnavailableError } from './http.js';
import { targetOf, type Target, type TargetConfig, type Variable } from './target.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** Names the run: a worker kept across runs tells them apart by it. */
    runId: string;
    /** The target of the run, built once by the drift runner. */
    target: TargetConfig;
    /** The spec the run holds the target to (the drift runner's --spec). */
    specPath: string;
    /** That spec, parsed (by the runner, once per path and text). */
    spec: OpenApiDocument;
    /** Per request (the drift runner's --request-timeout). */
    requestTimeoutMs: number;
    /** Per answer (the drift runner's --max-body). */
    maxBodyBytes: number;
  }
  interface TaskMeta {
    check?: string;
    operation?: string;
    findings?: Finding[];
    calibration?: CalibrationNote[];
    skipReason?: string;
    /** Set when the target did not answer or the account refused: the run could not be completed, which is not drift. */
    unavailable?: string;
  }
}

export interface CheckOptions {
  operation: 'shareSession' | 'importSharedSession';
  /** Semantic checks a stateless mock cannot show; reported as skipped on Prism. */
  live?: boolean;
  /** Variables without which the check cannot run; reported as skipped, naming the missing ones. */
  needs?: Variable[];
}

export interface CheckContext {
  target: Target;
  /** Value of a variable the check `needs` (guaranteed set). */
  env(name: Variable): string;
  observe(...observations: Observed[]): void;
  /** Marks the check skipped at run time (e.g. an earlier run already consumed its input). */
  skip(reason: string): never;
}

// The run whose first check could not run. The runner stops the run on its result too, but its word
// reaches this worker only after the next check began: the checks after it here do not start. Kept
// by the run's id: a worker kept across runs starts the next run with every check.
let cannotRunIn: string | undefined;

export function check(id: string, options: CheckOptions, body: (ctx: CheckContext) => Promise<void>): void {
  test(id, async (context: TestContext) => {
    const runId = inject('runId');
    if (cannotRunIn === runId) return context.skip(); // no reason: reported as not run, like a check the stop cancelled
    // Read when the check runs, not when the module loads: a module may outlive one run.
    const target = targetOf(inject('target'));
    const meta = context.task.meta;
    Object.assign(meta, { check: id, operation: options.operation, findings: [] });
    const skip = (reason: string): never => {
      meta.skipReason = reason;
      return context.skip(reason) as never;
    };
    if (options.live && target.kind === 'prism') skip('needs a live target (a stateless mock cannot show it)');
    const missing = (options.needs ?? []).filter((name) => !target.get(name));
    if (missing.length > 0) skip(`set ${missing.join(' and ')} to enable`);
    const findings: Finding[] = [];
    const calibration: CalibrationNote[] = [];
    const observe = (...observations: Observed[]) => {
      for (const o of observations) {
        // The mock only repeats the spec: nothing it answers calibrates it.
        if (isNote(o)) {
          if (target.kind !== 'prism') calibration.push(redactDeep(o.note));
        } else
          findings.push(
            redactDeep({
              id: `${id}${o.pointer ? `#${o.pointer}` : ''}`,
              operation: options.operation,
              check: id,
              ...o,
            }),
          );
      }
    };
    try {
      await body({ target, env: (name) => target.get(name)!, observe, skip });
    } catch (error) {
      if (error instanceof TargetUnavailableError)
        meta.unavailable = redact(`the target stopped answering: ${error.message}`);
      if (error instanceof AccountStateError || error instanceof TargetMisconfiguredError)
        meta.unavailable = redact(error.message);
      if (meta.unavailable) cannotRunIn = runId;
      throw error;
    } finally {
      meta.findings = findings;
      meta.calibration = calibration;
    }
    const breaking = findings.filter((f) => f.severity === 'breaking');
    if (breaking.length > 0) throw new Error(breaking.map((f) => f.message).join('\n'));
  });
}
