// One drift run's state, started by the engine (contract-tests/engine.ts) for each run and passed to
// every lane that defines the run's checks and to every helper that needs it: nothing of a run lives
// in a module, so two runs in one process never share memoised exchanges, a target or limits.

import type { Exchange } from '../../http-kit/exchange.js';
import type { OpenApiDocument } from '../../spec-kit/spec.js';
import { secretsFromEnv, useSecrets } from '../run-secrets.js';
import { loadRunSpec, type RunSpec } from './findings.js';
import type { HttpRun } from './http.js';
import { type Target, type TargetConfig, targetOf } from './target.js';

export interface Run extends HttpRun {
  target: Target;
  /** The spec the run holds the target to (the drift runner's --spec), read when the run starts. */
  spec: RunSpec;
  /** The exchanges made once per run and shared by its checks, by what they asked. */
  memo: Map<string, Promise<Exchange>>;
}

/** What the engine starts a run from. */
export interface RunInputs {
  target: TargetConfig;
  /** The spec, parsed (the drift runner's --spec). */
  spec: OpenApiDocument;
  limits: HttpRun['limits'];
  /** Aborted when the run stops (deadline, signal, a check that could not run): requests in flight end. */
  signal: AbortSignal;
  /** Waits out a throttle or a backoff (the engine's clock). */
  sleep: HttpRun['sleep'];
}

/** A fresh run: its target, spec, limits, stop signal and secrets. */
export function startRun({ target, spec, limits, signal, sleep }: RunInputs): Run {
  const config = targetOf(target);
  useSecrets(secretsFromEnv(config.variables));
  return {
    target: config,
    spec: loadRunSpec(spec),
    limits,
    signal,
    sleep,
    persistingServerErrors: 0,
    memo: new Map(),
  };
}
