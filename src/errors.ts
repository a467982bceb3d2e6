import { redact } from './redact.js';
import { retryAfterMs } from './retry.js';

/** One rule an input or response broke: where (`path`) and what is expected (`rule`). */
export interface Issue {
  /** Requests: the field name (`sessionId`, `ttl_in_seconds`); responses and claims: a JSON pointer. */
  path: string;
  rule: string;
}

/** Base class of every error this package throws. */
export class DiditError extends Error {
  override name = 'DiditError';
  /** @internal `fields` become the error's properties (`cause` included). */
  constructor(message: string, fields?: object) {
    super(message, fields);
    Object.assign(this, fields);
  }
}

/** The input broke the spec (each field and rule in `issues`); nothing was sent. */
export class DiditValidationError extends DiditError {
  override name = 'DiditValidationError';
  declare readonly issues: Issue[];
}

/** A success body that does not match the spec: `issues` hold JSON pointers, `body` is redacted. */
export class DiditResponseValidationError extends DiditError {
  override name = 'DiditResponseValidationError';
  declare readonly status: number;
  declare readonly body: unknown;
  declare readonly issues: Issue[];
}

/** Didit answered with a non-2xx status (3xx, or 0 for a browser's opaque redirect: redirects are never followed). */
export class DiditApiError extends DiditError {
  override name = 'DiditApiError';
  declare readonly status: number;
  /** Parsed JSON (DRF `{detail}` or `{field: [messages]}`), else the text; secrets redacted. */
  declare readonly body: unknown;
  /** Response headers, lower-case names, secrets redacted; cookies and credential headers dropped. */
  declare readonly headers: Record<string, string>;
  /** `x-request-id` (or `request-id`), when Didit sent one. */
  declare readonly requestId?: string;
  /** Retry-After in ms (seconds or HTTP date), when sent: on 429, and on some 5xx. */
  declare readonly retryAfterMs?: number;
}
/** 400 */
export class DiditBadRequestError extends DiditApiError {
  override name = 'DiditBadRequestError';
}
/** 401 */
export class DiditAuthenticationError extends DiditApiError {
  override name = 'DiditAuthenticationError';
}
/** 403 */
export class DiditPermissionDeniedError extends DiditApiError {
  override name = 'DiditPermissionDeniedError';
}
/** 404 */
export class DiditNotFoundError extends DiditApiError {
  override name = 'DiditNotFoundError';
}
/** 429; see `retryAfterMs`. */
export class DiditRateLimitError extends DiditApiError {
  override name = 'DiditRateLimitError';
}
/** 5xx */
export class DiditServerError extends DiditApiError {
  override name = 'DiditServerError';
}
/** No response: a network failure (redacted copy in `cause`). */
export class DiditConnectionError extends DiditError {
  override name = 'DiditConnectionError';
  /** The system or undici code found along `cause` (`ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`…), if any. */
  declare readonly code?: string;
}
/** No response within `timeoutMs`. */
export class DiditTimeoutError extends DiditConnectionError {
  override name = 'DiditTimeoutError';
}

/** The answer was longer than `maxResponseBytes`; reading stopped there and the connection was closed. */
export class DiditResponseTooLargeError extends DiditError {
  override name = 'DiditResponseTooLargeError';
  declare readonly status: number;
  declare readonly limitBytes: number;
}

const BY_STATUS: Record<number, [typeof DiditApiError, string]> = {
  400: [DiditBadRequestError, 'fix the request'],
  401: [DiditAuthenticationError, 'check the API key or token'],
  403: [DiditPermissionDeniedError, "check the key's rights, the token's target, or it was imported"],
  404: [DiditNotFoundError, 'check the ids'],
  429: [DiditRateLimitError, 'retry later'],
};

/** One line per issue list: `ttl_in_seconds must be >= 60; sessionId must be uuid`. */
export const describeIssues = (issues: Issue[]) => issues.map((i) => `${i.path || '/'} ${i.rule}`).join('; ');

/** What went wrong in one exchange; `toDiditError` turns it into the error to throw. */
export interface Failure {
  op: string;
  /** Never shown whole: the API key (`***`), the share token sent (its first 10 characters). */
  secrets: (string | undefined)[];
  /** False for importShared: after no response the import may have landed. */
  idempotent: boolean;
  timeoutMs: number;
  response?: Response;
  body?: unknown;
  /** Set when a success body broke the spec. */
  issues?: Issue[];
  cause?: unknown;
  timedOut?: boolean;
  /** What was called, e.g. `POST https://verification.didit.me/v3/session/…/share/` (never credentials). */
  target: string;
  /** baseUrl's path, when not `/` (a gateway prefix): worth naming on a 404. */
  prefix?: string;
  /** Set when the body passed `maxResponseBytes` (no `response`: it was never read whole). */
  tooLarge?: { status: number; limitBytes: number };
}

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

// A redacted copy of the cause chain: the original may hold the Request and so the key.
function scrub(cause: unknown, r: (s: string) => string): Error | string | undefined {
  if (cause instanceof Error) {
    const copy = new Error(r(cause.message), { cause: scrub(cause.cause, r) });
    return Object.assign(copy, { name: cause.name, code: (cause as { code?: unknown }).code });
  }
  return cause === undefined || cause === null ? undefined : r(String(cause));
}

// Credentials a response might set or echo; never kept on the error.
const PRIVATE_HEADER = /cookie|authorization|api-?key|token|secret/i;

/** The one place an exchange becomes an error: picks the class by status and redacts every secret. */
export function toDiditError(f: Failure): DiditError {
  const r = <T>(value: T) => redact(value, f.secrets);
  const res = f.response;
  const advice = f.idempotent ? 'retry later' : 'it may have landed: check before retrying';
  if (f.tooLarge)
    return new DiditResponseTooLargeError(
      `${f.op}: the ${f.tooLarge.status} answer of ${f.target} is over maxResponseBytes (${f.tooLarge.limitBytes}); raise that option if it is expected`,
      f.tooLarge,
    );
  if (!res) {
    const cause = scrub(f.cause, r);
    const code = f.timedOut ? undefined : r(codeOf(f.cause));
    const hint = code && NETWORK_HINTS.find(([pattern]) => pattern.test(code))?.[1];
    return new (f.timedOut ? DiditTimeoutError : DiditConnectionError)(
      `${f.op}: no response from ${f.target} ${f.timedOut ? `in ${f.timeoutMs} ms` : `(${cause instanceof Error ? cause.message : cause}${code ? `, ${code}` : ''})${hint ? `: ${hint}` : ''}`}; ${advice}`,
      { cause, code },
    );
  }
  const status = res.status;
  const body = r(f.body);
  if (f.issues)
    return new DiditResponseValidationError(
      `${f.op}: ${status} body breaks the spec: ${describeIssues(f.issues)}; update didit-share`,
      { status, body, issues: f.issues },
    );
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!PRIVATE_HEADER.test(name)) headers[name] = r(value);
  });
  let [Class, hint] =
    BY_STATUS[status] ??
    (status > 499
      ? [DiditServerError, 'retry later']
      : status < 400
        ? [DiditApiError, `redirects are not followed: fix baseUrl (Location: ${headers.location})`]
        : [DiditApiError, 'see body']);
  if (status === 404 && f.prefix) hint += `, or baseUrl's path (${f.prefix}) if no gateway serves Didit there`;
  const detail =
    body && typeof body === 'object'
      ? Object.entries(body)
          .map(([k, v]) => (k === 'detail' ? v : `${k}: ${v}`))
          .join('; ')
      : body
        ? 'not JSON'
        : 'empty body';
  return new Class(`${f.op}: Didit answered ${status} (${detail}); ${hint}`, {
    status,
    body,
    headers,
    requestId: headers['x-request-id'] ?? headers['request-id'],
    retryAfterMs: retryAfterMs(res.headers),
  });
}
