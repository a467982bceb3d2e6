import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../generated/schema.js';
import {
  validateImportSharedSessionRequest,
  validateImportSharedSessionResponse,
  validateShareSessionRequest,
  validateShareSessionResponse,
  type Validator,
} from '../generated/validators.js';
import { TooLarge, readCapped } from './body.js';
import { DiditApiError, DiditError, toDiditError, type Failure } from './errors.js';
import { MAX_RETRY_AFTER_MS, backoffMs, onAbort, sleep } from './retry.js';
import { checkRequest, toIssues } from './validate.js';

type Schemas = components['schemas'];
export type ShareSessionRequest = Schemas['ShareSessionRequest'];
export type ShareSessionResponse = Schemas['ShareSessionResponse'];
export type ImportSharedSessionRequest = Schemas['ImportSharedSessionRequest'];
export type ImportSharedSessionResponse = Schemas['ImportSharedSessionResponse'];

/** Where the client sends requests unless told otherwise (the drift check's default target too). */
export const DEFAULT_BASE_URL = 'https://verification.didit.me';

export interface DiditClientOptions {
  /** The application's API key, sent as `x-api-key`. Default: `process.env.DIDIT_API_KEY`. */
  apiKey?: string | undefined;
  /**
   * Default `https://verification.didit.me`. Must be `https:` (`http:` only for a loopback host),
   * without `user:password@`, and without the API's path (`/v3`): the client adds it.
   */
  baseUrl?: string | undefined;
  /** Per attempt, in ms, at most 2 147 483 647 (setTimeout's limit). Default 30 000. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number | undefined;
  /** Most bytes read of one answer; past it, DiditResponseTooLargeError. Default 1 048 576 (1 MiB). */
  maxResponseBytes?: number | undefined;
  /** Check every success body against the spec (else DiditResponseValidationError). Default false. */
  validateResponses?: boolean | undefined;
  /** A fetch implementation. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

/** Per-call overrides. */
export interface RequestOptions {
  /** Aborts the call, an attempt in flight or a wait between retries, rejecting with its reason. */
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

export interface DiditClient {
  sessions: {
    /** Mints a share token for a finished session. Retries 429, 5xx, network errors and timeouts. */
    share(sessionId: string, body: ShareSessionRequest, options?: RequestOptions): Promise<ShareSessionResponse>;
    /** Imports a shared session into this application. Not idempotent: retries 429 only. */
    importShared(body: ImportSharedSessionRequest, options?: RequestOptions): Promise<ImportSharedSessionResponse>;
  };
  /**
   * The underlying openapi-fetch client, for the raw `{ data, error, response }`. It sends the key and
   * never follows redirects, but does not validate, retry, time out or cap the answer's size.
   * Middleware added with `raw.use()` applies to `raw` only, never to `sessions.*`.
   */
  raw: Client<paths>;
}

type Result = { data?: unknown; error?: unknown; response: Response };
/** How an attempt ended: a Result, or no response (`cause`; `timedOut` if the timeout or caller aborted). */
type Outcome = Partial<Result> & { cause?: unknown; timedOut?: boolean };

/** Default `maxResponseBytes`: Didit's answers are a few kB; a decision payload fits many times over. */
const MAX_RESPONSE_BYTES = 1_048_576;

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

// Header-safe printable ASCII. Any such key is safe to redact: redaction walks values (redact.ts).
const KEY = /^[!-~]+$/;

// setTimeout's limit: a longer delay overflows and fires at once.
const MAX_TIMEOUT_MS = 2_147_483_647;

function checkLimits(timeoutMs: number, maxRetries: number, maxResponseBytes = 1) {
  if (
    !(
      timeoutMs > 0 &&
      timeoutMs <= MAX_TIMEOUT_MS &&
      maxRetries >= 0 &&
      maxRetries % 1 === 0 &&
      maxResponseBytes > 0 &&
      maxResponseBytes % 1 === 0
    )
  )
    throw new DiditError(
      `need 0 < timeoutMs <= ${MAX_TIMEOUT_MS}, maxRetries an integer >= 0 and maxResponseBytes an integer > 0`,
    );
}

/** The parsed baseUrl; throws (never repeating credentials) if requests to it cannot work. */
function checkBaseUrl(baseUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {}
  if (!(url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK.test(url.hostname))))
    throw new DiditError('baseUrl must be an https: URL (http: only on loopback)');
  // fetch refuses such URLs; the message must not repeat the password.
  if (url.username || url.password) throw new DiditError('baseUrl must not hold credentials (user:password@)');
  // `https://verification.didit.me/v3` would send `/v3/v3/…` and meet a bare 404: refused here. Any
  // other path is taken as a gateway's prefix (and named in the hint of a 404).
  if (/\/v\d+(\/|$)/.test(url.pathname))
    throw new DiditError(`baseUrl must not include the API path (${url.pathname}): use the origin, e.g. ${url.origin}`);
  return url;
}

/** Whether another attempt may help: 429 always; 5xx and no response only when repeating is safe. */
const isRetryable = (status: number | undefined, idempotent: boolean) =>
  status === 429 || (idempotent && (status === undefined || status > 499));

function parseJson(text: unknown): unknown {
  try {
    return JSON.parse(text as string);
  } catch {
    return undefined;
  }
}

// One attempt under its own timeout, also ended by the caller's signal. Never throws.
async function attempt(
  run: (signal: AbortSignal) => Promise<Result>,
  ms: number,
  signal?: AbortSignal,
): Promise<Outcome> {
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  const timer = setTimeout(abort, ms);
  const off = onAbort(signal, abort);
  try {
    return await run(controller.signal);
  } catch (cause) {
    return { cause, timedOut: controller.signal.aborted };
  } finally {
    clearTimeout(timer);
    off();
  }
}

// openapi-fetch builds a Request that fetch then copies; handing fetch the URL and init instead
// skips one Request per call (see bench/), and works wherever fetch does. A test pins what fetch gets.
function InitOnly(url: string, init: RequestInit & { url?: string }) {
  init.url = url;
  return init;
}

/** Creates a client for Didit's Share Session API; throws DiditError if the options cannot work. */
export function createDiditClient(options: DiditClientOptions = {}): DiditClient {
  const {
    apiKey = typeof process === 'object' ? process.env?.DIDIT_API_KEY : undefined,
    baseUrl = DEFAULT_BASE_URL,
    timeoutMs = 30_000,
    maxRetries = 2,
    maxResponseBytes = MAX_RESPONSE_BYTES,
    validateResponses,
    fetch: customFetch,
  } = options;
  if (!apiKey || !KEY.test(apiKey)) throw new DiditError('set apiKey or DIDIT_API_KEY (printable ASCII, no spaces)');
  const url = checkBaseUrl(baseUrl);
  checkLimits(timeoutMs, maxRetries, maxResponseBytes);
  // Printed in errors: where requests go, without a trailing slash (paths start with one).
  const prefix = url.pathname.replace(/\/+$/, '');
  const origin = url.origin + prefix;

  const shared = { baseUrl, headers: { 'x-api-key': apiKey }, redirect: 'manual' } as const;
  const raw = createClient<paths>({ ...shared, fetch: customFetch });
  const api = createClient<paths>({
    ...shared,
    Request: InitOnly as never,
    // The body is read here, capped, and handed to openapi-fetch (which calls `text()`, parseAs:
    // 'text'): its own read would buffer any size.
    fetch: (async (init: RequestInit & { url: string }) => {
      const response = await (customFetch ?? fetch)(init.url, init);
      const text = await readCapped(response, maxResponseBytes);
      response.text = async () => text;
      return response;
    }) as never,
  });

  async function send<T>(
    op: string,
    path: string,
    idempotent: boolean,
    secrets: Failure['secrets'],
    validator: Validator<T>,
    run: (signal: AbortSignal) => Promise<Result>,
    { signal, timeoutMs: ms = timeoutMs, maxRetries: retries = maxRetries }: RequestOptions = {},
  ): Promise<T> {
    checkLimits(ms, retries);
    const target = `POST ${origin}${path}`;
    const fail = (f: Partial<Failure>) =>
      toDiditError({ op, secrets, idempotent, timeoutMs: ms, target, prefix, ...f });
    for (let n = 0; ; n++) {
      signal?.throwIfAborted();
      const { response, data, error: body, ...noResponse } = await attempt(run, ms, signal);
      signal?.throwIfAborted();
      // Not retried: the same request gets the same answer.
      if (noResponse.cause instanceof TooLarge)
        throw fail({ tooLarge: { status: noResponse.cause.status, limitBytes: maxResponseBytes } });
      if (response?.ok) {
        const json = parseJson(data);
        if (validateResponses ? validator(json) : json !== undefined) return json as T;
        const issues = validateResponses ? toIssues(validator.errors) : [{ path: '', rule: 'must be JSON' }];
        throw fail({ response, body: json ?? data, issues });
      }
      const error = fail(response ? { response, body } : noResponse);
      const wait = error instanceof DiditApiError ? error.retryAfterMs : undefined;
      if (!isRetryable(response?.status, idempotent) || n >= retries || (wait ?? 0) > MAX_RETRY_AFTER_MS) throw error;
      await sleep(wait ?? backoffMs(n), signal);
    }
  }

  return {
    raw,
    sessions: {
      async share(sessionId, body, options) {
        checkRequest('share', validateShareSessionRequest, body, { sessionId });
        return send(
          'share',
          `/v3/session/${sessionId}/share/`,
          true,
          [apiKey],
          validateShareSessionResponse,
          (signal) =>
            api.POST('/v3/session/{sessionId}/share/', {
              params: { path: { sessionId } },
              body,
              signal,
              parseAs: 'text',
            }),
          options,
        );
      },
      async importShared(body, options) {
        checkRequest('importShared', validateImportSharedSessionRequest, body);
        return send(
          'importShared',
          '/v3/session/import-shared/',
          false,
          [apiKey, body.share_token],
          validateImportSharedSessionResponse,
          (signal) => api.POST('/v3/session/import-shared/', { body, signal, parseAs: 'text' }),
          options,
        );
      },
    },
  };
}
