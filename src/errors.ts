// The error hierarchy: one class per kind of failure, each with an explicit constructor taking exactly
// its fields, and one factory (`DiditApiError.generate`) that picks the class for an answer's status.
// Phrasing an exchange into fields (redaction, headers, Retry-After) is the transport's (failure.ts).
import { cut, describeBody } from './excerpt.js';

/** One rule an input or response broke: where (`path`) and what is expected (`rule`). */
export interface Issue {
  /** Requests: the field name (`sessionId`, `ttl_in_seconds`); responses and claims: a JSON pointer. */
  path: string;
  rule: string;
}

// A message lists issues this long at most: enough to act on, never the thousands there may be.
const MAX_WORDS = 400;

/** One line per issue list: `ttl_in_seconds must be >= 60; sessionId must be uuid`, the first few, then a count. */
export function describeIssues(issues: Issue[]): string {
  const parts: string[] = [];
  let length = 0;
  for (const issue of issues) {
    if (length > MAX_WORDS) break;
    const part = cut(`${issue.path || '/'} ${issue.rule}`, MAX_WORDS);
    parts.push(part);
    length += part.length + 2;
  }
  const rest = issues.length - parts.length;
  return rest > 0 ? `${parts.join('; ')}; and ${rest} more issues` : parts.join('; ');
}

/** The redirect hint: its Location quoted (bounded), or that it had none. */
function redirectHint(location: unknown): string {
  const where = typeof location === 'string' && location ? `Location: ${cut(location, 200)}` : 'no Location header';
  return `redirects are not followed: fix baseUrl (${where})`;
}

/** Base class of every error this package throws. */
export class DiditError extends Error {
  override name = 'DiditError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The input broke the spec (each field and rule in `issues`); nothing was sent. */
export class DiditValidationError extends DiditError {
  override name = 'DiditValidationError';
  readonly issues: Issue[];
  constructor(message: string, fields: { issues: Issue[] }) {
    super(message);
    this.issues = fields.issues;
  }
}

/** A success body that does not match the spec: `issues` hold JSON pointers, `body` is redacted. */
export class DiditResponseValidationError extends DiditError {
  override name = 'DiditResponseValidationError';
  readonly status: number;
  readonly body: unknown;
  readonly issues: Issue[];
  constructor(message: string, fields: { status: number; body: unknown; issues: Issue[] }) {
    super(message);
    this.status = fields.status;
    this.body = fields.body;
    this.issues = fields.issues;
  }
}

/** What a non-2xx answer carries, already redacted. */
export interface ApiErrorFields {
  status: number;
  /** Parsed JSON (DRF `{detail}` or `{field: [messages]}`), else the text; secrets redacted. */
  body: unknown;
  /** Response headers, lower-case names, secrets redacted; cookies and credential headers dropped. */
  headers: Record<string, string>;
  /** `x-request-id` (or `request-id`), when Didit sent one. */
  requestId?: string | undefined;
  /** Retry-After in ms (seconds or HTTP date), when sent: on 429, and on some 5xx. */
  retryAfterMs?: number | undefined;
}

/** The fields of an answer whose class fixes its status. */
export type AnswerFields = Omit<ApiErrorFields, 'status'>;

/** Didit answered with a non-2xx status (3xx, or 0 for a browser's opaque redirect: redirects are never followed). */
export class DiditApiError extends DiditError {
  override name = 'DiditApiError';
  readonly status: number;
  /** Parsed JSON (DRF `{detail}` or `{field: [messages]}`), else the text; secrets redacted. */
  readonly body: unknown;
  /** Response headers, lower-case names, secrets redacted; cookies and credential headers dropped. */
  readonly headers: Record<string, string>;
  /** `x-request-id` (or `request-id`), when Didit sent one. */
  readonly requestId: string | undefined;
  /** Retry-After in ms (seconds or HTTP date), when sent: on 429, and on some 5xx. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, fields: ApiErrorFields) {
    super(message);
    this.status = fields.status;
    this.body = fields.body;
    this.headers = fields.headers;
    this.requestId = fields.requestId;
    this.retryAfterMs = fields.retryAfterMs;
  }

  /**
   * The error for an answer, its class picked by status, its message saying what `op` got and what to
   * do. `fields` are used as given: redact them first. `prefix` is baseUrl's path (a gateway's), named on a 404.
   */
  static generate(op: string, fields: ApiErrorFields, prefix?: string): DiditApiError {
    const { status, body } = fields;
    let [Class, hint] =
      BY_STATUS[status] ??
      (status > 499
        ? [DiditServerError, 'retry later']
        : status < 400
          ? [DiditApiError, redirectHint(fields.headers?.location)]
          : [DiditApiError, 'see body']);
    if (status === 404 && prefix) hint += `, or baseUrl's path (${prefix}) if no gateway serves Didit there`;
    return new Class(`${op}: Didit answered ${status} (${describeBody(body)}); ${hint}`, fields);
  }
}

/** 400 */
export class DiditBadRequestError extends DiditApiError {
  override name = 'DiditBadRequestError';
  override readonly status = 400 as const;
  constructor(message: string, fields: AnswerFields) {
    super(message, { ...fields, status: 400 });
  }
}
/** 401 */
export class DiditAuthenticationError extends DiditApiError {
  override name = 'DiditAuthenticationError';
  override readonly status = 401 as const;
  constructor(message: string, fields: AnswerFields) {
    super(message, { ...fields, status: 401 });
  }
}
/** 403 */
export class DiditPermissionDeniedError extends DiditApiError {
  override name = 'DiditPermissionDeniedError';
  override readonly status = 403 as const;
  constructor(message: string, fields: AnswerFields) {
    super(message, { ...fields, status: 403 });
  }
}
/** 404 */
export class DiditNotFoundError extends DiditApiError {
  override name = 'DiditNotFoundError';
  override readonly status = 404 as const;
  constructor(message: string, fields: AnswerFields) {
    super(message, { ...fields, status: 404 });
  }
}
/** 429; see `retryAfterMs`. */
export class DiditRateLimitError extends DiditApiError {
  override name = 'DiditRateLimitError';
  override readonly status = 429 as const;
  constructor(message: string, fields: AnswerFields) {
    super(message, { ...fields, status: 429 });
  }
}
/** 5xx */
export class DiditServerError extends DiditApiError {
  override name = 'DiditServerError';
}

// The classes whose status is one number, and what to do about each.
const BY_STATUS: Record<number, [new (message: string, fields: ApiErrorFields) => DiditApiError, string]> = {
  400: [DiditBadRequestError, 'fix the request'],
  401: [DiditAuthenticationError, 'check the API key or token'],
  403: [DiditPermissionDeniedError, "check the key's rights, the token's target, or it was imported"],
  404: [DiditNotFoundError, 'check the ids'],
  429: [DiditRateLimitError, 'retry later'],
};

/** No response, or one cut off mid-body: a network failure (redacted copy in `cause`). */
export class DiditConnectionError extends DiditError {
  override name = 'DiditConnectionError';
  /** The system or undici code found along `cause` (`ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`…), if any. */
  readonly code: string | undefined;
  constructor(message: string, fields: { cause: unknown; code?: string | undefined }) {
    super(message, { cause: fields.cause });
    this.code = fields.code;
  }
}
/** No response within `timeoutMs`, or one whose body did not finish within it. */
export class DiditTimeoutError extends DiditConnectionError {
  override name = 'DiditTimeoutError';
}

/**
 * A response arrived but could not be read: its headers over Node's limit, its body not valid in its
 * content-encoding, too many encodings, or not HTTP/1.1. Never retried (the same request gets the same response).
 */
export class DiditUnreadableResponseError extends DiditError {
  override name = 'DiditUnreadableResponseError';
  /** The response's status, when it was read before the rest failed. */
  readonly status: number | undefined;
  /** The system or undici code found along `cause` (`Z_DATA_ERROR`, `UND_ERR_HEADERS_OVERFLOW`…), if any. */
  readonly code: string | undefined;
  constructor(message: string, fields: { cause: unknown; status?: number | undefined; code?: string | undefined }) {
    super(message, { cause: fields.cause });
    this.status = fields.status;
    this.code = fields.code;
  }
}

/** The answer was longer than `maxResponseBytes`; reading stopped there and the connection was closed. */
export class DiditResponseTooLargeError extends DiditError {
  override name = 'DiditResponseTooLargeError';
  readonly status: number;
  readonly limitBytes: number;
  constructor(message: string, fields: { status: number; limitBytes: number }) {
    super(message);
    this.status = fields.status;
    this.limitBytes = fields.limitBytes;
  }
}
