// One drift run's state, made by each suite file as vitest collects it and passed to every helper
// that needs it: nothing of a run lives in a module, so a vitest reused across runs (isolate: false)
// never serves one run's memoised exchanges, target or limits to the next.
import { inject } from 'vitest';
import { SPEC_PATH } from '../../spec-kit/spec.js';
import type { Exchange } from '../../test-support/exchange.js';
import { secretsFromEnv, useSecrets } from '../redact.js';
import { loadRunSpec, type RunSpec } from './findings.js';
import type { HttpRun } from './http.js';
import { targetOf, type Target } from './target.js';

export interface Run extends HttpRun {
  target: Target;
  /** The spec the run holds the target to (the drift runner's --spec), read when the run starts. */
  spec: RunSpec;
  /** The exchanges made once per run and shared by its checks, by what they asked. */
  memo: Map<string, Promise<Exchange>>;
}

/** A fresh run from what the drift runner provided (vitest `provide`): its target, spec, limits and secrets. */
export function startRun(): Run {
  const target = targetOf(inject('target'));
  useSecrets(secretsFromEnv(target.variables));
  return {
    target,
    spec: loadRunSpec(inject('spec'), inject('specPath') ?? SPEC_PATH),
    limits: {
      requestTimeoutMs: inject('requestTimeoutMs') ?? 15_000,
      maxBodyBytes: inject('maxBodyBytes') ?? 1_048_576,
    },
    persistingServerErrors: 0,
    memo: new Map(),
  };
}
