// An exchange that went wrong, turned into the error to throw: every secret redacted, credential
// headers dropped, Retry-After read, and a message that says what was called and what to do.
import {
  DiditApiError,
  DiditConnectionError,
  DiditResponseTooLargeError,
  DiditResponseValidationError,
  DiditTimeoutError,
  describeIssues,
  type Issue,
} from './errors.js';
import { redact } from './redact.js';
import { parseRetryAfter } from './retry.js';

/** What every error of one call names, and what it must hide. */
export interface CallContext {
  op: string;
  /** What was called, e.g. `POST https://verification.didit.me/v3/session/…/share/` (never credentials). */
  target: string;
  /** Never shown whole: the API key (`***`), the share token sent (its first 10 characters). */
  secrets: readonly (string | undefined)[];
  /** False for importShared: after no response the import may have landed. */
  idempotent: boolean;
  /** baseUrl's path, when not `/` (a gateway prefix): worth naming on a 404. */
  prefix: string;
}

// Credentials a response might set or echo; never kept on the error.
const PRIVATE_HEADER = /cookie|authorization|api-?key|token|secret/i;

/** A non-2xx answer: its body (parsed JSON, else the text) and headers redacted, its class by status. */
export function answerError(call: CallContext, response: Response, body: unknown): DiditApiError {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!PRIVATE_HEADER.test(name)) headers[name] = redact(value, call.secrets);
  });
  return DiditApiError.generate(
    call.op,
    {
      status: response.status,
      body: redact(body, call.secrets),
      headers,
      requestId: headers['x-request-id'] ?? headers['request-id'],
      retryAfterMs: parseRetryAfter(response.headers),
    },
    call.prefix,
  );
}

/** A success body that breaks the spec (or is not JSON). */
export const driftError = (call: CallContext, status: number, body: unknown, issues: Issue[]) =>
  new DiditResponseValidationError(
    `${call.op}: ${status} body breaks the spec: ${describeIssues(issues)}; update didit-share`,
    { status, body: redact(body, call.secrets), issues },
  );

/** An answer over `maxResponseBytes`: never read whole, never retried. */
export const tooLargeError = (call: CallContext, status: number, limitBytes: number) =>
  new DiditResponseTooLargeError(
    `${call.op}: the ${status} answer of ${call.target} is over maxResponseBytes (${limitBytes}); raise that option if it is expected`,
    { status, limitBytes },
  );

// What each failure to connect usually means; matched against the code found along the cause chain.
const NETWORK_HINTS: [RegExp, string][] = [
  [/REFUSED/, 'is the server running, is baseUrl right?'],
  [/NOTFOUND|EAI_AGAIN/, 'check the host name in baseUrl'],
  [
    /CERT|SIGN|TLS/,
    "the server's TLS certificate is not trusted: check baseUrl, or give Node the CA (NODE_EXTRA_CA_CERTS)",
  ],
  [/TIME|UNREACH/, 'the host did not answer: check the network, a firewall or proxy'],
  [/RESET|PIPE|SOCKET/, 'the connection was cut mid-exchange'],
];

// undici wraps the system error (`TypeError: fetch failed`, its `cause` has the code); Node's
// happy-eyeballs connect wraps one per address in an AggregateError.
function codeOf(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 8) return;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown[] };
  return typeof code === 'string' ? code : (codeOf(cause, depth + 1) ?? codeOf(errors?.[0], depth + 1));
}

// A redacted copy of the cause chain: the original may hold the request and so the key.
function scrub(cause: unknown, r: (s: string) => string): Error | string | undefined {
  if (cause instanceof Error) {
    const copy = new Error(r(cause.message), { cause: scrub(cause.cause, r) });
    return Object.assign(copy, { name: cause.name, code: (cause as { code?: unknown }).code });
  }
  return cause === undefined || cause === null ? undefined : r(String(cause));
}

/**
 * No answer: the timeout (`timeoutMs`, or `'signal'` for the caller's AbortSignal.timeout), or a
 * network failure (its code and what it usually means).
 */
export function noAnswerError(
  call: CallContext,
  cause: unknown,
  timeoutMs: number | 'signal' | undefined,
): DiditConnectionError {
  const r = (s: string) => redact(s, call.secrets);
  const advice = call.idempotent ? 'retry later' : 'it may have landed: check before retrying';
  const copy = scrub(cause, r);
  if (timeoutMs !== undefined) {
    const within = timeoutMs === 'signal' ? "before the call's signal timed out" : `in ${timeoutMs} ms`;
    return new DiditTimeoutError(`${call.op}: no response from ${call.target} ${within}; ${advice}`, { cause: copy });
  }
  const found = codeOf(cause);
  const code = found && r(found);
  const hint = code && NETWORK_HINTS.find(([pattern]) => pattern.test(code))?.[1];
  return new DiditConnectionError(
    `${call.op}: no response from ${call.target} (${copy instanceof Error ? copy.message : copy}${code ? `, ${code}` : ''})${hint ? `: ${hint}` : ''}; ${advice}`,
    { cause: copy, code },
  );
}
