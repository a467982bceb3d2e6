// The raw HTTP layer of the suite: it must send what the client would refuse (bad TTLs, no key,
// malformed ids), never follows a redirect with a key, and tells a network failure from an answer.
const TIMEOUT_MS = 15_000;

export interface Exchange {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** The path requested, for evidence lines. */
  path: string;
}

/** The target could not be reached or is down: the check could not run, which is never drift. */
export class TargetUnavailableError extends Error {
  override name = 'TargetUnavailableError';
}

/** The account refused (balance, payment, IP allowlist, a key's rights): the check could not run, never drift. */
export class AccountStateError extends Error {
  override name = 'AccountStateError';
}

export interface PostOptions {
  key?: string | undefined;
  /** A body that is not an object is sent as is (e.g. a string of malformed JSON). */
  body?: unknown;
}

// A shared sandbox key may be throttled by other jobs: a 429 is waited out (Retry-After, bounded),
// and a throttle that does not lift makes the run incomplete, never a finding.
const THROTTLE_RETRIES = 3;
const MAX_THROTTLE_WAIT_MS = 30_000;
// A 5xx may be a blip: tried again twice (250 ms, 500 ms). One that persists is returned for the
// check to judge: on a success probe the service is failing (exit 2), on an error probe it is drift.
// Once two requests in a row persisted, the service is failing broadly: no more waiting on retries.
const SERVER_ERROR_RETRIES = 2;
const SERVER_ERROR_BACKOFF_MS = 250;
let persistingServerErrors = 0;

export async function post(baseUrl: string, path: string, options: PostOptions = {}): Promise<Exchange> {
  for (let attempt = 0, failed = 0; ; attempt++) {
    const exchange = await postOnce(baseUrl, path, options);
    const serverError = exchange.status >= 500 && prismViolations(exchange) === undefined;
    if (serverError && failed < SERVER_ERROR_RETRIES && persistingServerErrors < 2) {
      await new Promise((resolve) => setTimeout(resolve, SERVER_ERROR_BACKOFF_MS * 2 ** failed++));
      continue;
    }
    persistingServerErrors = serverError ? persistingServerErrors + 1 : 0;
    if (exchange.status !== 429) return exchange;
    const seconds = Number(exchange.headers.get('retry-after'));
    const waitMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000 * 2 ** attempt;
    if (attempt >= THROTTLE_RETRIES || waitMs > MAX_THROTTLE_WAIT_MS) {
      throw new TargetUnavailableError(`POST ${path} stayed rate-limited (429, Retry-After ${exchange.headers.get('retry-after') ?? 'none'}): run again later or with a key of its own`);
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

async function postOnce(baseUrl: string, path: string, { key, body }: PostOptions): Promise<Exchange> {
  let response: Response;
  try {
    response = await fetch(baseUrl + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new TargetUnavailableError(`POST ${path} did not get an answer from ${baseUrl}: ${reason}`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, text, json, path };
}

/** The spec violations `prism proxy --errors` reports in place of the service's answer, if it is one. */
export function prismViolations(exchange: Exchange): Array<{ message: string; location?: string[] }> | undefined {
  const problem = exchange.json as { type?: unknown; validation?: Array<{ message: string; location?: string[] }> } | undefined;
  return exchange.contentType.startsWith('application/problem+json') && problem?.type === 'https://stoplight.io/prism/errors#VIOLATIONS'
    ? (problem.validation ?? [])
    : undefined;
}
