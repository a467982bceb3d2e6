// diditFetch: the client's one attempt as a `fetch`, for `raw` (an openapi-fetch client) and for any
// client a user builds (openapi-fetch's `fetch` option, a plain call). The same attempt as
// `sessions.*` (transport.ts), without their retries, validation or errors for a response: any status
// is handed back as a Response, read within maxResponseBytes.
import { DiditError } from './errors.js';
import { type CallContext, noAnswerError, tooLargeError, unreadableError } from './failure.js';
import { keySafe, settleAttempt } from './options.js';
import { operationOf } from './plans.js';
import { ReadResponse } from './read-response.js';
import { redact } from './redact.js';
import { type Exchange, exchange, parseJson } from './transport.js';

export interface DiditFetchOptions {
  /** Sent as `x-api-key` on every request. Default: `process.env.DIDIT_API_KEY`. */
  apiKey?: string | undefined;
  /** Per request, in ms, at most 2 147 483 647. Default 30 000. A per-call `signal` ends it sooner. */
  timeoutMs?: number | undefined;
  /** Most bytes read of one response; past it, DiditResponseTooLargeError. Default 1 048 576 (1 MiB). */
  maxResponseBytes?: number | undefined;
  /** The fetch underneath, called as it was called (`(request, init)` or `(url, init)`). Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

// Methods HTTP defines as idempotent: after no response, trying again is harmless.
const IDEMPOTENT = /^(GET|HEAD|OPTIONS|PUT|DELETE|TRACE)$/;

/** What an error about one request names and hides (the key; a share token in a string body). */
function context(method: string, url: string, apiKey: string, body: unknown): CallContext {
  const operation = operationOf(method, url);
  const token = typeof body === 'string' ? (parseJson(body) as { share_token?: unknown } | null)?.share_token : 0;
  const secrets = [apiKey, typeof token === 'string' ? token : undefined];
  return {
    op: operation?.op ?? 'diditFetch',
    target: redact(`${method} ${url}`, secrets),
    secrets,
    idempotent: operation ? operation.idempotent : IDEMPOTENT.test(method),
    prefix: '',
  };
}

// An https: URL whose authority holds no `@`, or http: to a loopback address, needs no parsing: the
// common cases, checked per call. Anything else is parsed and judged as baseUrl is.
const PLAIN = /^(?:https:\/\/[^/?#@]+|http:\/\/(?:localhost|127(?:\.\d+){3}|\[::1\])(?::\d+)?)(?:[/?#]|$)/i;

/** Refuses a URL the key must not go to, as baseUrl is refused (never repeating credentials). */
function checkUrl(url: string): void {
  if (PLAIN.test(url)) return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (!parsed || !keySafe(parsed) || parsed.username || parsed.password)
    throw new DiditError(
      `diditFetch: the API key goes only to https: URLs (http: on loopback) without user:password@, not to ${parsed ? `${parsed.protocol}//${parsed.host}` : 'a relative URL'}: fix the client's baseUrl`,
    );
}

/** The response again, its body the text read (status 0, a browser's opaque redirect, has none). */
const rebuilt = (response: Response, text: string): Response =>
  response.status < 200 ? response : new ReadResponse(text, response);

const timedOut = (reason: unknown) => (reason as { name?: unknown } | null)?.name === 'TimeoutError';

/**
 * A `fetch` that makes the client's one attempt: the key sent as `x-api-key`, redirects never followed
 * (a 3xx is handed back), `timeoutMs` and the caller's signal, the body read within `maxResponseBytes`.
 * Any response is handed back as a Response; none throws DiditConnectionError or DiditTimeoutError
 * (also for a caller's `AbortSignal.timeout`), one too large DiditResponseTooLargeError, one that
 * cannot be read DiditUnreadableResponseError, all redacted; another abort rejects with its reason.
 * Takes `fetch(request)` and `fetch(url, init)`.
 */
export function diditFetch(options: DiditFetchOptions = {}): typeof fetch {
  const { apiKey, timeoutMs, maxResponseBytes } = settleAttempt(options);
  const limits = { timeoutMs, maxResponseBytes, fetch: options.fetch };
  return async (input, init) => {
    const request = typeof input === 'object' && 'method' in input ? input : undefined;
    const url = request ? request.url : String(input);
    checkUrl(url);
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const given = init?.headers ?? request?.headers;
    // openapi-fetch's Request from `raw` already carries the key: nothing to copy then.
    let headers: Headers | undefined;
    if (!(given instanceof Headers && given.get('x-api-key') === apiKey)) {
      headers = new Headers(given);
      headers.set('x-api-key', apiKey);
    }
    const sent: RequestInit = headers ? { ...init, headers, redirect: 'manual' } : { ...init, redirect: 'manual' };
    const signal = init?.signal ?? request?.signal;
    let outcome: Exchange;
    try {
      outcome = await exchange(request ?? url, sent, limits, signal);
    } catch (reason) {
      if (timedOut(reason)) throw noAnswerError(context(method, url, apiKey, init?.body), reason, 'signal');
      throw reason;
    }
    if (outcome.kind === 'response') return rebuilt(outcome.response, outcome.text);
    const call = context(method, url, apiKey, init?.body);
    if (outcome.kind === 'too large') throw tooLargeError(call, outcome.status, maxResponseBytes);
    throw (
      unreadableError(call, outcome.cause) ??
      noAnswerError(call, outcome.cause, outcome.timedOut ? timeoutMs : undefined)
    );
  };
}
