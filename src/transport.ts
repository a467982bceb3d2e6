// The transport: one request plan in, the success body (or one error) out. An attempt runs under its
// own timeout and the caller's signal, never follows a redirect and reads at most maxResponseBytes;
// the retry decision is retry.ts's; the exchange becomes an error in failure.ts. `fetch(url, init)` is
// called directly: no Request is built, so it is faster than openapi-fetch (see bench/) and works
// with any standard fetch.
import { TooLarge, readCapped } from './body.js';
import { findDrift, notJson, type BodySchema, type DriftFinding, type Operation } from './drift.js';
import { DiditApiError } from './errors.js';
import { answerError, driftError, noAnswerError, tooLargeError, unreadableError, type CallContext } from './failure.js';
import { checkLimits, type Settings } from './options.js';
import { onAbort, retryDelay, sleep } from './retry.js';
import { toIssues } from './validate.js';

/**
 * One call to make: everything the transport needs to send it, judge the answer and word an error.
 * `T` is the success body's type, as the spec says it.
 */
export interface RequestPlan<T = unknown> {
  /** The method's name in messages (`share`). */
  op: string;
  /** The spec's operationId, for drift findings. */
  operation: Operation;
  /** The path with its parameters filled in (`/v3/session/…/share/`). */
  path: string;
  body: unknown;
  /** False when sending twice could do the work twice: then only a 429 is retried. */
  idempotent: boolean;
  /** Values no error or finding may show whole: the API key, a share token sent. */
  secrets: readonly (string | undefined)[];
  /** What a success body must be. */
  schema: BodySchema<T>;
}

/** Per-call overrides. */
export interface RequestOptions {
  /** Aborts the call, an attempt in flight or a wait between retries, rejecting with its reason. */
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

export interface TransportSettings extends Settings {
  fetch: typeof fetch | undefined;
  validateResponses: boolean;
  onDrift: ((finding: DriftFinding) => void) | undefined;
}

/** How an attempt ended: an answer read whole (`text`), or none (`cause`, `timedOut` when aborted). */
type Outcome = { response: Response; text: string } | { response?: undefined; cause: unknown; timedOut: boolean };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An answer's body as openapi-fetch gives it: parsed JSON, else the text; undefined when empty. */
export function parseBody(text: string): unknown {
  const json = text ? parseJson(text) : undefined;
  return json === undefined && text ? text : json;
}

/** Sends plans: `send` retries and returns the checked body; `exchange` makes one attempt, as `raw`. */
export function createTransport(settings: TransportSettings) {
  const { apiKey, base, prefix, maxResponseBytes, validateResponses, onDrift } = settings;
  const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };

  // One attempt under its own timeout, also ended by the caller's signal. Never throws.
  async function attempt(url: string, init: RequestInit, ms: number, signal?: AbortSignal): Promise<Outcome> {
    const controller = new AbortController();
    const abort = () => controller.abort(signal?.reason);
    const timer = setTimeout(abort, ms);
    const off = onAbort(signal, abort);
    try {
      const response = await (settings.fetch ?? fetch)(url, { ...init, signal: controller.signal });
      return { response, text: await readCapped(response, maxResponseBytes) };
    } catch (cause) {
      return { cause, timedOut: controller.signal.aborted };
    } finally {
      clearTimeout(timer);
      off();
    }
  }

  /** One attempt: the answer, of any status, read whole; or the error for no answer. */
  async function exchange(plan: RequestPlan, options: RequestOptions, call = context(plan)) {
    const { signal, timeoutMs = settings.timeoutMs } = options;
    checkLimits(timeoutMs, 0);
    signal?.throwIfAborted();
    const init = { method: 'POST', headers, body: JSON.stringify(plan.body), redirect: 'manual' } as const;
    const outcome = await attempt(base + plan.path, init, timeoutMs, signal);
    signal?.throwIfAborted();
    if (outcome.response) return outcome;
    // Not retried: the same request gets the same answer.
    if (outcome.cause instanceof TooLarge) throw tooLargeError(call, outcome.cause.status, maxResponseBytes);
    const unreadable = unreadableError(call, outcome.cause);
    if (unreadable) throw unreadable;
    return noAnswerError(call, outcome.cause, outcome.timedOut ? timeoutMs : undefined);
  }

  const context = (plan: RequestPlan): CallContext => ({
    op: plan.op,
    target: `POST ${base}${plan.path}`,
    secrets: plan.secrets,
    idempotent: plan.idempotent,
    prefix,
  });

  // Reports each finding; a callback that throws (or rejects) must not break the call.
  function report(findings: DriftFinding[]) {
    for (const finding of findings) {
      try {
        Promise.resolve(onDrift?.(finding)).catch(() => {});
      } catch {}
    }
  }

  /** The success body, judged against the spec when asked (validateResponses, onDrift). */
  function success<T>(plan: RequestPlan<T>, call: CallContext, response: Response, text: string): T {
    const json = parseJson(text);
    if (json === undefined) {
      report([notJson(plan.operation, response.headers.get('content-type'), plan.secrets)]);
      throw driftError(call, response.status, text, [{ path: '', rule: 'must be JSON' }]);
    }
    // Unchecked when nobody asked: the spec's type is what the caller was promised.
    if (!validateResponses && !onDrift) return json as T;
    const { validate } = plan.schema;
    const valid = validate(json);
    const errors = validate.errors;
    if (onDrift) report(findDrift(plan.operation, plan.schema, errors, json, plan.secrets));
    if (valid || !validateResponses) return json as T;
    throw driftError(call, response.status, json, toIssues(errors));
  }

  /** Sends `plan`, retrying when safe, and returns its success body; throws one DiditError otherwise. */
  async function send<T>(plan: RequestPlan<T>, options: RequestOptions = {}): Promise<T> {
    const { signal, timeoutMs = settings.timeoutMs, maxRetries = settings.maxRetries } = options;
    checkLimits(timeoutMs, maxRetries);
    const call = context(plan);
    for (let n = 0; ; n++) {
      const outcome = await exchange(plan, { signal, timeoutMs }, call);
      if (!(outcome instanceof Error) && outcome.response.ok)
        return success(plan, call, outcome.response, outcome.text);
      const error = outcome instanceof Error ? outcome : answerError(call, outcome.response, parseBody(outcome.text));
      const { status, retryAfterMs } = error instanceof DiditApiError ? error : ({} as Partial<DiditApiError>);
      const wait = retryDelay({ status, retryAfterMs, idempotent: plan.idempotent, n, maxRetries });
      if (wait === undefined) throw error;
      await sleep(wait, signal);
    }
  }

  return { send, exchange };
}
