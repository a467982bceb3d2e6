// The transport: one attempt (`exchange`), and `send`, which retries a request plan and returns its
// checked success body or throws one error. An attempt runs under its own timeout and the caller's
// signal, never follows a redirect and reads at most maxResponseBytes; the retry decision is
// retry.ts's; an exchange that went wrong becomes an error in failure.ts. `sessions.*` call
// `fetch(url, init)` directly: no Request is built, so it is faster than openapi-fetch (see bench/)
// and works with any standard fetch. diditFetch (`raw`, and anyone's client) makes the same attempt.
import { readCapped } from './body.js';
import { type BodySchema, type DriftFinding, judge, notJson, type Operation, tell } from './drift-findings.js';
import { DiditApiError } from './errors.js';
import { answerError, type CallContext, driftError, noAnswerError, tooLargeError, unreadableError } from './failure.js';
import { checkLimits, type Settings } from './options.js';
import { onAbort, retryDelay, sleep } from './retry.js';
import { toIssues } from './validate.js';

/**
 * One call to make: everything the transport needs to send it, judge the response and word an error.
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

/**
 * How one attempt ended: a response of any status, read whole (`text`); no response (`cause`, and
 * `timedOut` when the attempt's own timeout ended it; failure.ts tells a response that came but could
 * not be read from it); or a response over maxResponseBytes, not read.
 */
export type Exchange =
  | { kind: 'response'; response: Response; text: string }
  | { kind: 'no response'; cause: unknown; timedOut: boolean }
  | { kind: 'too large'; status: number };

/** What bounds one attempt. */
export interface AttemptLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  fetch?: typeof fetch | undefined;
}

/**
 * One attempt: `fetch(input, init)` under `timeoutMs` and `signal`, the body read up to
 * maxResponseBytes. `init` must say `redirect: 'manual'`. Only the caller's abort is thrown (its reason).
 */
export async function exchange(
  input: string | Request,
  init: RequestInit,
  limits: AttemptLimits,
  signal?: AbortSignal | null,
): Promise<Exchange> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  const timer = setTimeout(abort, limits.timeoutMs);
  const off = onAbort(signal ?? undefined, abort);
  let outcome: Exchange;
  try {
    const response = await (limits.fetch ?? fetch)(input, { ...init, signal: controller.signal });
    const text = await readCapped(response, limits.maxResponseBytes);
    outcome =
      text === undefined ? { kind: 'too large', status: response.status } : { kind: 'response', response, text };
  } catch (cause) {
    outcome = { kind: 'no response', cause, timedOut: controller.signal.aborted };
  } finally {
    clearTimeout(timer);
    off();
  }
  signal?.throwIfAborted();
  return outcome;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A response's body as openapi-fetch gives it: parsed JSON, else the text; undefined when empty. */
export function parseBody(text: string): unknown {
  const json = text ? parseJson(text) : undefined;
  return json === undefined && text ? text : json;
}

/** Sends plans: `send` retries and returns the checked body. */
export function createTransport(settings: TransportSettings) {
  const { apiKey, base, prefix, maxResponseBytes, validateResponses, onDrift } = settings;
  const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };

  const context = (plan: RequestPlan): CallContext => ({
    op: plan.op,
    target: `POST ${base}${plan.path}`,
    secrets: plan.secrets,
    idempotent: plan.idempotent,
    prefix,
  });

  /** The success body, judged against the spec when asked (validateResponses, onDrift). */
  function success<T>(plan: RequestPlan<T>, call: CallContext, response: Response, text: string): T {
    const json = parseJson(text);
    if (json === undefined) {
      if (onDrift) tell(onDrift, [notJson(plan.operation, response.headers.get('content-type'), plan.secrets)]);
      throw driftError(call, response.status, text, [{ path: '', rule: 'must be JSON' }]);
    }
    // Unchecked when nobody asked: the spec's type is what the caller was promised.
    if (!validateResponses && !onDrift) return json as T;
    const { errors, findings } = judge(plan.operation, plan.schema, json, plan.secrets, !!onDrift);
    if (onDrift) tell(onDrift, findings);
    if (!errors || !validateResponses) return json as T;
    throw driftError(call, response.status, json, toIssues(errors));
  }

  /** Sends `plan`, retrying when safe, and returns its success body; throws one DiditError otherwise. */
  async function send<T>(plan: RequestPlan<T>, options: RequestOptions = {}): Promise<T> {
    const { signal, timeoutMs = settings.timeoutMs, maxRetries = settings.maxRetries } = options;
    checkLimits(timeoutMs, maxRetries);
    const call = context(plan);
    const init = { method: 'POST', headers, body: JSON.stringify(plan.body), redirect: 'manual' } as const;
    const limits = { timeoutMs, maxResponseBytes, fetch: settings.fetch };
    for (let n = 0; ; n++) {
      const outcome = await exchange(base + plan.path, init, limits, signal);
      // Not retried: the same request gets the same response.
      if (outcome.kind === 'too large') throw tooLargeError(call, outcome.status, maxResponseBytes);
      const unreadable = outcome.kind === 'no response' && unreadableError(call, outcome.cause);
      if (unreadable) throw unreadable;
      if (outcome.kind === 'response' && outcome.response.ok)
        return success(plan, call, outcome.response, outcome.text);
      const error =
        outcome.kind === 'response'
          ? answerError(call, outcome.response, parseBody(outcome.text))
          : noAnswerError(call, outcome.cause, outcome.timedOut ? timeoutMs : undefined);
      const { status, retryAfterMs } = error instanceof DiditApiError ? error : ({} as Partial<DiditApiError>);
      const wait = retryDelay({ status, retryAfterMs, idempotent: plan.idempotent, n, maxRetries });
      if (wait === undefined) throw error;
      await sleep(wait, signal);
    }
  }

  return { send };
}
