// observeDrift: drift seen in production for any fetch-based client (openapi-fetch, Didit's official
// SDK given a custom fetch, a plain call). A success response of the two operations is read from a clone
// and judged as the client's onDrift judges it (drift-findings.ts); the caller gets the response as the
// fetch underneath gave it, and every other request passes through unread.
import { readCapped } from './body.js';
import { type DriftFinding, judge, notJson, tell } from './drift-findings.js';
import { MAX_RESPONSE_BYTES } from './options.js';
import { type OperationInfo, operationOf } from './plans.js';
import { parseJson } from './transport.js';

export interface ObserveDriftOptions {
  /** The fetch underneath, called with the caller's arguments as given. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

/** What a finding must not show whole: the key sent, and a share token in a string body. */
function secretsOf(request: Request | undefined, init: RequestInit | undefined): (string | undefined)[] {
  const key = new Headers(init?.headers ?? request?.headers).get('x-api-key') ?? undefined;
  const body = init?.body;
  const token = typeof body === 'string' ? (parseJson(body) as { share_token?: unknown } | null)?.share_token : 0;
  return [key, typeof token === 'string' ? token : undefined];
}

// Judges the clone; anything it throws (a body cut mid-read, a callback's bug) stays here.
async function look(
  onDrift: (finding: DriftFinding) => unknown,
  { operation, schema }: OperationInfo,
  copy: Response,
  secrets: (string | undefined)[],
): Promise<void> {
  const text = await readCapped(copy, MAX_RESPONSE_BYTES);
  if (text === undefined) return; // too large to judge here; the caller's response is untouched
  const body = parseJson(text);
  tell(
    onDrift,
    body === undefined
      ? [notJson(operation, copy.headers.get('content-type'), secrets)]
      : judge(operation, schema, body, secrets).findings,
  );
}

/**
 * A `fetch` that reports to `onDrift` each deviation from the spec of a success response of share or
 * import-shared (POST, any host, below any prefix), worded and redacted exactly as the client's
 * `onDrift` words them. The response is judged from a clone, after the call has returned; the caller's
 * response is the one the fetch underneath gave. Any other request and response passes through unread.
 * A callback that throws or rejects never reaches the caller.
 */
export function observeDrift(
  onDrift: (finding: DriftFinding) => unknown,
  options: ObserveDriftOptions = {},
): typeof fetch {
  return async (input, init) => {
    const response = await (options.fetch ?? fetch)(input, init);
    try {
      const request = typeof input === 'object' && 'method' in input ? input : undefined;
      const method = init?.method ?? request?.method ?? 'GET';
      const operation = response.ok ? operationOf(method, request ? request.url : String(input)) : undefined;
      if (operation) look(onDrift, operation, response.clone(), secretsOf(request, init)).catch(() => {});
    } catch {}
    return response;
  };
}
