// Runs the contract suite with vitest's Node API and collects each check's outcome and findings,
// printing one progress line per check as it finishes. A session is one vitest instance: the CLI
// opens one for its single run; the drift check's own tests and the mutation test share one across
// many runs, and its one worker thread, so each run costs the checks, not a new vitest or worker.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SPEC_PATH, type OpenApiDocument } from '../spec-kit/spec.js';
import type { TargetConfig } from './suite/target.js';
import { keptThreadPool } from './kept-worker.js';
import { redact } from './redact.js';
import { leftOf, progressLine, toResult, type Progress, type SuiteRun } from './suite-results.js';

export type { CheckResult, Progress, SuiteRun } from './suite-results.js';
export { leftOf } from './suite-results.js';

const CONFIG = fileURLToPath(new URL('./vitest.contract.config.ts', import.meta.url));

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

export interface SuiteSession {
  /** One run of the suite; runs of a session never overlap (a run waits for a stopped one to settle). */
  run(options: SuiteOptions): Promise<SuiteRun>;
  close(): Promise<void>;
}

// vitest/node takes ~1.4 s to load: the drift runner starts loading it while Prism starts.
let vitestModule: Promise<typeof import('vitest/node')> | undefined;
export const loadVitest = () => (vitestModule ??= import('vitest/node'));

// After a stop, in-flight checks get this long to settle before their results are given up.
const SETTLE_MS = 2_000;

// The spec each run holds the target to, parsed once per path and text (calibration rewrites it).
let parsed: { path: string; text: string; spec: OpenApiDocument } | undefined;
function specAt(path: string): OpenApiDocument {
  const text = readFileSync(path, 'utf8');
  if (parsed?.path !== path || parsed.text !== text) parsed = { path, text, spec: parse(text) as OpenApiDocument };
  return parsed.spec;
}

/** What the session's one reporter hands to the run in progress. */
interface RunListener {
  collected(module: TestModule): void;
  result(testCase: TestCase): void;
  end(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<{ message?: string }>): void;
}

/**
 * Opens one vitest instance on the suite. `shared`: both suite files run in one worker (isolate
 * off), one thread kept across the session's runs (`kept-worker.ts`): each run re-evaluates the suite
 * files and starts its own state (`suite/run.ts`, named by the run's id), so nothing of one run reaches
 * the next; without it (the CLI) the two files run side by side, or, with one worker (two cores), one
 * after the other in one thread (isolate off either way: the run's state is the run's, not a module's).
 */
export async function openSuiteSession({ shared = false } = {}): Promise<SuiteSession> {
  let listener: RunListener | undefined;
  const reporter: Reporter = {
    onTestModuleCollected: (module) => listener?.collected(module),
    onTestCaseResult: (testCase) => listener?.result(testCase),
    onTestRunEnd: (modules, unhandled) => listener?.end(modules, unhandled),
  };
  const { createVitest, ThreadsPoolWorker } = await loadVitest();
  const kept = shared ? keptThreadPool(ThreadsPoolWorker) : undefined;
  const vitest = await createVitest(
    'test',
    { config: CONFIG, watch: false, reporters: [reporter], isolate: false, ...(kept ? { maxWorkers: 1 } : {}) },
    // A pool object reaches the project only through the config (the CLI's options take a name).
    kept ? { test: { pool: kept.pool } } : {},
  );
  const specs = await vitest.globTestSpecifications();
  let settled: Promise<unknown> = Promise.resolve();

  async function run(options: SuiteOptions): Promise<SuiteRun> {
    await settled;
    const { log = console.log, specPath = SPEC_PATH, requestTimeoutMs = 15_000, maxBodyBytes = 1_048_576 } = options;
    const { results, collected } = options.progress ?? { results: [], collected: new Set<string>() };
    const errors: string[] = [];
    const stop = new AbortController();
    // Stopped by a check that could not run: the checks after it in its thread skip at once (check.ts).
    let byCheck = false;
    // A deadline may have passed before the suite started (a slow Prism start, a slow first probe).
    if (options.signal?.aborted) stop.abort(options.signal.reason);
    else options.signal?.addEventListener('abort', () => stop.abort(options.signal?.reason), { once: true });
    const mine: RunListener = {
      collected(module) {
        for (const test of module.children.allTests()) collected.add(test.name);
      },
      result(testCase) {
        const result = toResult(testCase);
        // Cancelled after a stop, a check is reported skipped without a reason: it did not run.
        if (stop.signal.aborted && result.state === 'skipped' && !result.reason) return;
        results.push(result);
        log(progressLine(result));
        if (result.unavailable && !stop.signal.aborted) {
          byCheck = true;
          stop.abort(result.unavailable);
        }
      },
      end(modules, unhandled) {
        for (const module of modules)
          for (const e of module.errors()) errors.push(redact(`${module.moduleId}: ${e.message}`));
        for (const e of unhandled) errors.push(redact(e.message ?? String(e)));
      },
    };
    listener = mine;
    vitest.provide('runId', randomUUID());
    vitest.provide('target', options.target);
    vitest.provide('specPath', specPath);
    vitest.provide('spec', specAt(specPath));
    vitest.provide('requestTimeoutMs', requestTimeoutMs);
    vitest.provide('maxBodyBytes', maxBodyBytes);
    const stopped = stop.signal.aborted
      ? Promise.resolve()
      : new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    const running = vitest.runTestSpecifications(specs, true).then(() => undefined);
    // vitest abandons the checks a stop cancels, still waiting in their thread: a kept thread ends once
    // a run stopped from outside (deadline, signal) settles, so nothing of it runs on beside the next
    // run (which starts another). A check that could not run leaves nothing running: the thread stays.
    settled = running.catch(() => {}).then(() => (stop.signal.aborted && !byCheck ? kept?.close() : undefined));
    await Promise.race([
      running,
      stopped.then(async () => {
        void vitest.cancelCurrentRun('keyboard-input');
        const settling = await Promise.race([
          running.then(() => false),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(true), SETTLE_MS).unref()),
        ]);
        // A check still waiting (a long Retry-After, a hung request): a second cancel ends its worker,
        // so the session's next run does not wait for it.
        if (settling) void vitest.cancelCurrentRun('keyboard-input');
      }),
    ]);
    // What a run still settling reports belongs to no run.
    if (listener === mine) listener = undefined;
    return {
      results: [...results].sort((a, b) => a.check.localeCompare(b.check)),
      errors,
      left: leftOf({ results, collected }),
      ...(stop.signal.aborted ? { stopped: redact(String(stop.signal.reason)) } : {}),
    };
  }

  return {
    run,
    close: async () => {
      await vitest.close();
      await kept?.close();
    },
  };
}

/**
 * Runs every check against `target` in a session of its own (or `session`); resolves with their
 * results. The first check that could not run (target down, account refusal, throttle that does not
 * lift) stops the whole run at once, as does `signal`: no other check waits out its own timeouts.
 */
export async function runSuite(options: SuiteOptions & { session?: SuiteSession }): Promise<SuiteRun> {
  if (options.session) return options.session.run(options);
  const session = await openSuiteSession();
  const run = await session.run(options);
  // A stopped run may still be settling: its vitest closes in the background.
  if (run.stopped) void session.close().catch(() => {});
  else await session.close();
  return run;
}
