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
}

/** The target could not be reached or is down: the check could not run, which is never drift. */
export class TargetUnavailableError extends Error {
  override name = 'TargetUnavailableError';
}

export interface PostOptions {
  key?: string | undefined;
  /** A body that is not an object is sent as is (e.g. a string of malformed JSON). */
  body?: unknown;
}

export async function post(baseUrl: string, path: string, { key, body }: PostOptions = {}): Promise<Exchange> {
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
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, text, json };
}
