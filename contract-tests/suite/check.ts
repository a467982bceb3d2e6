// The suite's registry: `check(id, options, body)` declares one check of the lane being defined. A lane
// (`defineChecks`) is a function of one run: the engine (contract-tests/engine.ts) calls it with each
// run's own state, so every closure a body holds belongs to that run and to no other.
import type { CheckId } from './check-ids.js';
import type { Observed } from './findings.js';
import type { Run } from './run.js';
import type { Target, Variable } from './target.js';

export type { CheckId } from './check-ids.js';

export interface CheckOptions {
  operation: 'shareSession' | 'importSharedSession';
  /** The rule the check holds the service to, in a line (the catalogue: `npm run drift -- --list`). */
  rule: string;
  /** Semantic checks a stateless mock cannot show; reported as skipped on Prism. */
  live?: boolean;
  /** Variables without which the check cannot run; reported as skipped, naming the missing ones. */
  needs?: Variable[];
  /**
   * The most requests the check sends one after another (default 4): its time limit is that many
   * times the longest one request may take under the run's limits, throttle waits included.
   */
  requests?: number;
}

export interface CheckContext {
  target: Target;
  /** Value of a variable the check `needs` (guaranteed set). */
  env(name: Variable): string;
  observe(...observations: Observed[]): void;
  /** Marks the check skipped at run time (e.g. an earlier run already consumed its input). */
  skip(reason: string): never;
  /** Aborted when the check's time limit passes or the run stops: the engine no longer waits for it. */
  signal: AbortSignal;
}

export interface Check {
  id: CheckId;
  options: CheckOptions;
  body: (ctx: CheckContext) => Promise<void>;
}

/** Thrown by `skip`: the check ends skipped with this reason. */
export class Skipped extends Error {
  override name = 'Skipped';
}

// The lane being defined: set only while `defineChecks`' function runs (synchronously).
let defining: Check[] | undefined;

export function check(id: CheckId, options: CheckOptions, body: (ctx: CheckContext) => Promise<void>): void {
  if (!defining) throw new Error(`check('${id}') must be declared inside defineChecks(...)`);
  defining.push({ id, options, body });
}

/** The checks of one lane, declared for one run. */
export type Lane = (run: Run) => Check[];

export function defineChecks(define: (run: Run) => void): Lane {
  return (run) => {
    const outer = defining;
    defining = [];
    try {
      define(run);
      return defining;
    } finally {
      defining = outer;
    }
  };
}
