// The client's options, checked once at construction: a client that cannot work is refused before it
// sends anything, and no refusal repeats a credential.
import { DiditError } from './errors.js';

/** Where the client sends requests unless told otherwise (the drift check's default target too). */
export const DEFAULT_BASE_URL = 'https://verification.didit.me';

/** Default `maxResponseBytes`: Didit's responses are a few kB; a decision payload fits many times over. */
export const MAX_RESPONSE_BYTES = 1_048_576;

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

/** Whether the API key may go to `url`: https:, or http: to a loopback host only. */
export const keySafe = (url: URL) =>
  url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));

// Header-safe printable ASCII. Any such key is safe to redact: redaction walks values (redact.ts).
const KEY = /^[!-~]+$/;

// setTimeout's limit: a longer delay overflows and fires at once.
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Throws unless the per-attempt timeout, the retries and the size cap can work. */
export function checkLimits(timeoutMs: number, maxRetries: number, maxResponseBytes = 1): void {
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
  if (!url || !keySafe(url)) throw new DiditError('baseUrl must be an https: URL (http: only on loopback)');
  // fetch refuses such URLs; the message must not repeat the password.
  if (url.username || url.password) throw new DiditError('baseUrl must not hold credentials (user:password@)');
  // `https://verification.didit.me/v3` would send `/v3/v3/…` and meet a bare 404: refused here. Any
  // other path is taken as a gateway's prefix (and named in the hint of a 404).
  if (/\/v\d+(\/|$)/.test(url.pathname))
    throw new DiditError(`baseUrl must not include the API path (${url.pathname}): use the origin, e.g. ${url.origin}`);
  return url;
}

/** What one attempt's options come to once checked (diditFetch's, and the client's). */
export interface AttemptSettings {
  apiKey: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** What the client's options come to once checked. */
export interface Settings extends AttemptSettings {
  /** Where paths are appended: the origin plus any gateway prefix, without a trailing slash. */
  base: string;
  /** baseUrl's path without its trailing slash ('' for the origin itself). */
  prefix: string;
  maxRetries: number;
}

/** Checks the key and the limits of one attempt and applies their defaults. */
export function settleAttempt(options: {
  apiKey?: string | undefined;
  timeoutMs?: number | undefined;
  maxResponseBytes?: number | undefined;
}): AttemptSettings {
  const {
    apiKey = typeof process === 'object' ? process.env?.DIDIT_API_KEY : undefined,
    timeoutMs = 30_000,
    maxResponseBytes = MAX_RESPONSE_BYTES,
  } = options;
  if (!apiKey || !KEY.test(apiKey)) throw new DiditError('set apiKey or DIDIT_API_KEY (printable ASCII, no spaces)');
  checkLimits(timeoutMs, 0, maxResponseBytes);
  return { apiKey, timeoutMs, maxResponseBytes };
}

/** Checks the options that every request depends on and applies their defaults. */
export function settle(options: {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  maxResponseBytes?: number | undefined;
}): Settings {
  const attempt = settleAttempt(options);
  const { baseUrl = DEFAULT_BASE_URL, maxRetries = 2 } = options;
  const url = checkBaseUrl(baseUrl);
  checkLimits(attempt.timeoutMs, maxRetries, attempt.maxResponseBytes);
  const prefix = url.pathname.replace(/\/+$/, '');
  return { ...attempt, base: url.origin + prefix, prefix, maxRetries };
}
