// The raw HTTP layer of the suite: it must send what the client would refuse (bad TTLs, no key,
// malformed ids), never follows a redirect with a key, and tells a target that cannot answer (down,
// truncated, oversized, redirecting, throttled for good) from an answer, which the checks judge.
// Retry-After is read by the client's own parser (seconds or an HTTP date), and so is its backoff;
// bodies by the client's own bounded reader. An HTML page from something in front of the API is
// told apart here, before any check reads it (edge.ts).

import { type Exchange, exchangeOf } from '../../http-kit/exchange.js';
import { CutShort, readCapped, Undecodable } from '../../src/body.js';
import { backoffMs, parseRetryAfter } from '../../src/retry.js';
import { edgePage } from './edge.js';

/** The target could not be reached, is down or cannot answer: the check could not run, never drift. */
export class TargetUnavailableError extends Error {
  override name = 'TargetUnavailableError';
}

/** The account refused (balance, payment, IP allowlist, a key's rights): the check could not run, never drift. */
export class AccountStateError extends Error {
  override name = 'AccountStateError';
}

/**
 * The target is configured wrong (DIDIT_BASE_URL redirects, the happy path names a variable): the
 * check could not run, never drift.
 */
export class TargetMisconfiguredError extends Error {
  override name = 'TargetMisconfiguredError';
}

/** A page from something in front of the API (a proxy, a CDN, a WAF) answered, not the service: no verdict. */
export class EdgePageError extends TargetMisconfiguredError {
  override name = 'EdgePageError';
}

export interface PostOptions {
  key?: string | undefined;
  /** A body that is not an object is sent as is (e.g. a string of malformed JSON). */
  body?: unknown;
  /**
   * Whether sending it again is safe (default true). An import is not: after a 5xx or no answer it
   * may have happened, and resending it would read as "already imported".
   */
  idempotent?: boolean;
  /**
   * Outside the spec's routes (a malformed path): the service's own HTML 404 is an answer there, not
   * a page from an edge in front of it.
   */
  offRoute?: boolean;
}

/** What the HTTP layer keeps of one run (see run.ts): its limits and how its server errors went. */
export interface HttpRun {
  /** Set by the drift runner (`--request-timeout`, `--max-body`). */
  limits: { requestTimeoutMs: number; maxBodyBytes: number };
  /** Requests in a row whose 5xx persisted: at two the service is failing broadly. */
  persistingServerErrors: number;
  /** Aborted when the run stops: a request in flight or a wait ends at once. */
  signal?: AbortSignal;
  /** Waits out a throttle or a backoff: the engine's clock (a test's passes no real time). */
  sleep?: (ms: number) => Promise<void>;
}

// A shared sandbox key may be throttled by other jobs: a 429 is waited out (Retry-After, or the
// client's backoff when there is none), and a throttle that does not lift ends the run (exit 2).
const THROTTLE_RETRIES = 3;
const MAX_THROTTLE_WAIT_MS = 30_000;
// A 5xx may be a blip: tried again twice (250 ms, 500 ms). One that persists is returned for the
// check to judge: on a success probe the service is failing (exit 2), on an error probe it is drift.
// Once two requests in a row persisted, the service is failing broadly: no more waiting on retries.
const SERVER_ERROR_RETRIES = 2;
const SERVER_ERROR_BACKOFF_MS = 250;

type Limits = HttpRun['limits'];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The longest one `post` may take under `limits`: every try it allows (throttled or a 5xx), each
 * with its timeout, a probe and a second try, plus every wait it allows. A check's time limit (the
 * engine) is a multiple of it, so a throttle that lifts within these bounds ends in a verdict.
 */
export function requestBudgetMs({ requestTimeoutMs }: Limits): number {
  const tries = THROTTLE_RETRIES + SERVER_ERROR_RETRIES + 1;
  const answered = 2 * requestTimeoutMs + Math.min(requestTimeoutMs, 5_000);
  const waits = THROTTLE_RETRIES * MAX_THROTTLE_WAIT_MS + SERVER_ERROR_BACKOFF_MS * (2 ** SERVER_ERROR_RETRIES - 1);
  return tries * answered + waits;
}

export async function post(run: HttpRun, baseUrl: string, path: string, options: PostOptions = {}): Promise<Exchange> {
  const sleep = run.sleep ?? pause;
  for (let attempt = 0, failed = 0; ; attempt++) {
    const exchange = await postAnswered(run, baseUrl, path, options);
    const serverError = exchange.status >= 500 && prismViolations(exchange) === undefined;
    if (
      serverError &&
      options.idempotent !== false &&
      failed < SERVER_ERROR_RETRIES &&
      run.persistingServerErrors < 2
    ) {
      await sleep(SERVER_ERROR_BACKOFF_MS * 2 ** failed++);
      continue;
    }
    run.persistingServerErrors = serverError ? run.persistingServerErrors + 1 : 0;
    if (exchange.status !== 429) return exchange;
    const waitMs = parseRetryAfter(exchange.headers) ?? backoffMs(attempt) * 2;
    if (attempt >= THROTTLE_RETRIES || waitMs > MAX_THROTTLE_WAIT_MS) {
      throw new TargetUnavailableError(
        `POST ${path} stayed rate-limited (429, Retry-After ${exchange.headers.get('retry-after') ?? 'none'}): run again later or with a key of its own`,
      );
    }
    await sleep(waitMs);
  }
}

/**
 * One exchange that got an answer. A failed connection or a timeout is followed by one probe of the
 * target: down, the run stops at once; up, the request is tried once more before it is given up.
 */
async function postAnswered(run: HttpRun, baseUrl: string, path: string, options: PostOptions): Promise<Exchange> {
  const first = await postOnce(run, baseUrl, path, options);
  if ('exchange' in first) return answered(first.exchange, baseUrl, options);
  const down = await probe(run, baseUrl);
  if (down)
    throw new TargetUnavailableError(
      `POST ${path} got no answer (${first.reason}), and ${baseUrl} does not answer at all (${down}): the target is down`,
    );
  if (options.idempotent === false)
    throw new TargetUnavailableError(
      `POST ${path} got no answer (${first.reason}); it is not sent again, since it may have taken effect`,
    );
  const second = await postOnce(run, baseUrl, path, options);
  if ('exchange' in second) return answered(second.exchange, baseUrl, options);
  throw new TargetUnavailableError(`POST ${path} got no answer from ${baseUrl}, twice (${second.reason})`);
}

/** The exchange, unless it is a page from something in front of the service (then no check may read it). */
function answered(exchange: Exchange, baseUrl: string, { offRoute = false }: PostOptions): Exchange {
  const page = edgePage(exchange, { offRoute });
  if (page) throw new EdgePageError(`POST ${exchange.path}: ${page}; DIDIT_BASE_URL is ${baseUrl}`);
  return exchange;
}

/** Any HTTP answer means up; returns why not, when the target does not answer. */
async function probe({ limits, signal }: HttpRun, baseUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(baseUrl, {
      method: 'HEAD',
      redirect: 'manual',
      signal: within(signal, Math.min(limits.requestTimeoutMs, 5_000)),
    });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    return causeOf(error);
  }
}

const causeOf = (error: unknown): string =>
  error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);

/** A request's signal: its timeout, or the run's stop. */
const within = (stop: AbortSignal | undefined, ms: number) =>
  stop ? AbortSignal.any([stop, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms);

async function postOnce(
  { limits, signal: stop }: HttpRun,
  baseUrl: string,
  path: string,
  { key, body }: PostOptions,
): Promise<{ exchange: Exchange } | { reason: string }> {
  const signal = within(stop, limits.requestTimeoutMs);
  let response: Response;
  try {
    response = await fetch(baseUrl + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body ?? {}),
      signal,
    });
  } catch (error) {
    return { reason: signal.aborted ? `no answer within ${limits.requestTimeoutMs} ms` : causeOf(error) };
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => {});
    throw redirected(response, baseUrl, path);
  }
  return { exchange: exchangeOf(response, await readBody(limits.maxBodyBytes, response, path, baseUrl), path) };
}

/** Any 3xx is the redirect path, whatever its Location (none, unparseable, relative): the key is never sent on. */
function redirected(response: Response, baseUrl: string, path: string): TargetMisconfiguredError {
  const location = response.headers.get('location');
  const what = `POST ${path} was redirected (${response.status})`;
  const fix = "set DIDIT_BASE_URL to the API's origin (the key was not sent anywhere else)";
  if (location === null) return new TargetMisconfiguredError(`${what} without a Location: ${fix}`);
  let to: URL;
  try {
    to = new URL(location, baseUrl + path);
  } catch {
    return new TargetMisconfiguredError(
      `${what} to a Location that is not a URL (${JSON.stringify(location.slice(0, 200))}): ${fix}`,
    );
  }
  const href = Object.assign(new URL(to), { username: '', password: '' }).href;
  return new TargetMisconfiguredError(
    `${what} to ${href}: set DIDIT_BASE_URL to ${to.origin} (the key was not sent there)`,
  );
}

/** The body, read up to the cap by the client's reader; a truncated, stalled or oversized one is the target's fault. */
async function readBody(cap: number, response: Response, path: string, baseUrl: string): Promise<string> {
  let text: string | undefined;
  try {
    text = await readCapped(response, cap);
  } catch (error) {
    const why =
      error instanceof Undecodable
        ? `the body is not valid ${error.encoding}`
        : `${causeOf(error instanceof CutShort ? error.cause : error)}: the target cut or stalled it`;
    throw new TargetUnavailableError(`POST ${path}: the answer from ${baseUrl} could not be read (${why})`);
  }
  if (text === undefined)
    throw new TargetUnavailableError(
      `POST ${path}: ${baseUrl} answered more than ${cap} bytes (the cap, --max-body): stopped reading`,
    );
  return text;
}

/** The spec violations `prism proxy --errors` reports in place of the service's answer, if it is one. */
export function prismViolations(exchange: Exchange): Array<{ message: string; location?: string[] }> | undefined {
  const problem = exchange.json as
    | { type?: unknown; validation?: Array<{ message: string; location?: string[] }> }
    | undefined;
  return exchange.contentType.startsWith('application/problem+json') &&
    problem?.type === 'https://stoplight.io/prism/errors#VIOLATIONS'
    ? (problem.validation ?? [])
    : undefined;
}
