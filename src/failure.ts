// An exchange that went wrong, turned into the error to throw: every secret redacted, credential
// headers dropped, Retry-After read, and a message that says what was called and what to do.

import { CutShort, Undecodable } from './body.js';
import {
  DiditApiError,
  DiditConnectionError,
  DiditResponseTooLargeError,
  DiditResponseValidationError,
  DiditTimeoutError,
  DiditUnreadableResponseError,
  describeIssues,
  type Issue,
} from './errors.js';
import { cut } from './excerpt.js';
import { redact, redactHeaders } from './redact.js';
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

/** A non-2xx answer: its body (parsed JSON, else the text) and headers redacted, its class by status. */
export function answerError(call: CallContext, response: Response, body: unknown): DiditApiError {
  const headers = redactHeaders(response.headers, call.secrets);
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
// happy-eyeballs connect wraps one per address in an AggregateError. Chains are walked 8 deep at most.
const MAX_CHAIN = 8;
// A cause's words are quoted this long at most (a custom fetch may throw a megabyte of text).
const MAX_WORDS = 300;
const next = (error: object) => {
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  return cause ?? (Array.isArray(errors) ? errors[0] : undefined);
};

function codeOf(error: unknown): string | undefined {
  for (let e = error, n = 0; e && typeof e === 'object' && n < MAX_CHAIN; e = next(e), n++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string') return code;
  }
}

/** The innermost non-empty message along the chain: the words that say what happened. */
function innermostWords(error: unknown): string | undefined {
  let words: string | undefined;
  for (let e = error, n = 0; e && typeof e === 'object' && n < MAX_CHAIN; e = next(e), n++) {
    const { message } = e as { message?: unknown };
    if (typeof message === 'string' && message) words = message;
  }
  return words;
}

/** `String(value)`, or a placeholder when its own toString throws. */
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

// A redacted copy of the cause chain (8 deep at most: a chain may loop): the original may hold the
// request and so the key.
function redactCause(cause: unknown, r: (s: string) => string, depth = 0): Error | string | undefined {
  if (cause === undefined || cause === null || depth >= MAX_CHAIN) return undefined;
  if (cause instanceof Error) {
    const copy = new Error(r(safeString(cause.message)), { cause: redactCause(cause.cause, r, depth + 1) });
    const { code } = cause as { code?: unknown };
    return Object.assign(copy, {
      name: r(safeString(cause.name)),
      code: typeof code === 'string' ? r(code) : undefined,
    });
  }
  return r(safeString(cause));
}

/** What the cause says, outermost and innermost: `fetch failed: connect ECONNREFUSED 127.0.0.1:9`. */
function causeWords(cause: unknown, r: (s: string) => string): string {
  const outer = cause instanceof Error ? safeString(cause.message) : safeString(cause);
  const inner = innermostWords(cause);
  return cut(r(inner && inner !== outer ? (outer ? `${outer}: ${inner}` : inner) : outer), MAX_WORDS);
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
  // A response whose body never finished: its status came, so the message names it.
  const began = cause instanceof CutShort ? cause.status : undefined;
  const inner = cause instanceof CutShort ? cause.cause : cause;
  const copy = redactCause(inner, r);
  if (timeoutMs !== undefined) {
    const within = timeoutMs === 'signal' ? "before the call's signal timed out" : `in ${timeoutMs} ms`;
    const what =
      began === undefined
        ? `no response from ${call.target}`
        : `the ${began} response from ${call.target} began but did not finish`;
    return new DiditTimeoutError(`${call.op}: ${what} ${within}; ${advice}`, { cause: copy });
  }
  const found = codeOf(inner);
  const code = found && r(found);
  const hint = code && NETWORK_HINTS.find(([pattern]) => pattern.test(code))?.[1];
  // Cut off mid-body, undici says only `terminated`: the innermost words say why.
  const words =
    began === undefined ? causeWords(inner, r) : cut(r(innermostWords(inner) ?? safeString(inner)), MAX_WORDS);
  const what =
    began === undefined
      ? `no response from ${call.target}`
      : `the ${began} response from ${call.target} was cut off mid-body`;
  return new DiditConnectionError(
    `${call.op}: ${what} (${words}${code && !words.includes(code) ? `, ${code}` : ''})${hint ? `: ${hint}` : ''}; ${advice}`,
    { cause: copy, code },
  );
}

/**
 * A response that arrived but cannot be read, said for what it is; undefined when `cause` is not one
 * (then there was none). Node's undici: headers over `--max-http-header-size` (16 KiB by default),
 * more than 5 content-encodings, a status line or header that is not HTTP/1.1; readCapped: a body its
 * content-encoding cannot decode.
 */
export function unreadableError(call: CallContext, cause: unknown): DiditUnreadableResponseError | undefined {
  const r = (s: string) => redact(s, call.secrets);
  const status = cause instanceof Undecodable ? cause.status : undefined;
  const inner = cause instanceof Undecodable ? cause.cause : cause;
  const found = codeOf(inner);
  const code = found && r(found);
  const words = cut(r(innermostWords(inner) ?? safeString(inner)), MAX_WORDS);
  let what: string;
  if (cause instanceof Undecodable) what = `its ${status} body is not valid ${r(cause.encoding)} (${words})`;
  else if (code === 'UND_ERR_HEADERS_OVERFLOW')
    what = "its headers were too large (over Node's --max-http-header-size, 16 KiB by default)";
  else if (code?.startsWith('HPE_')) what = `it is not HTTP/1.1 (${words})`;
  else if (/too many content-encodings/i.test(words)) what = words;
  else return;
  const advice = call.idempotent
    ? 'not sent again (it would get the same): check that baseUrl reaches Didit, not something in front of it'
    : 'it may have landed: check before retrying';
  return new DiditUnreadableResponseError(`${call.op}: a response came from ${call.target} but ${what}; ${advice}`, {
    cause: redactCause(inner, r),
    status,
    code,
  });
}
