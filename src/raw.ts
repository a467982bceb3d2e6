// `raw`: the two operations without the client's judgement (no input check, no retry, no body
// validation), answering `{ data, error, response }` as openapi-fetch does, but sent by the same
// transport: the key, a timeout, no redirects, the size cap, and redacted errors when there is no answer.
import { planFor, type ApiPath, type ErrorBody, type PathParams, type RequestBody, type SuccessBody } from './plans.js';
import { parseBody, type createTransport } from './transport.js';

/** What `raw.POST` answers: the parsed body of a 2xx as `data`, any other's as `error` (its text if not JSON). */
export type RawResult<P extends ApiPath> =
  | { data: SuccessBody<P>; error?: undefined; response: Response }
  | { data?: undefined; error: ErrorBody<P> | string | undefined; response: Response };

/** The body, the path parameters when the path has some, and per-call `signal` and `timeoutMs`. */
export type RawInit<P extends ApiPath> = {
  body: RequestBody<P>;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
} & (PathParams<P> extends undefined ? { params?: undefined } : { params: { path: PathParams<P> } });

export interface DiditRawClient {
  /**
   * One POST, any status answered as `{ data, error, response }`: nothing is checked or retried, but
   * the key is sent, redirects are not followed, `timeoutMs` and `maxResponseBytes` apply, and no
   * answer (or one too large) throws the client's redacted error.
   */
  POST<P extends ApiPath>(path: P, init: RawInit<P>): Promise<RawResult<P>>;
}

export function createRaw(transport: ReturnType<typeof createTransport>, apiKey: string): DiditRawClient {
  return {
    async POST<P extends ApiPath>(path: P, init: RawInit<P>): Promise<RawResult<P>> {
      const params = init.params?.path as PathParams<P>;
      const outcome = await transport.exchange(planFor(path, params, init.body, apiKey), init);
      if (outcome instanceof Error) throw outcome;
      const { response, text } = outcome;
      // Not validated (that is what raw is for): the spec's types are what the caller was promised.
      const body = parseBody(text);
      return response.ok ? { data: body as SuccessBody<P>, response } : { error: body as ErrorBody<P>, response };
    },
  };
}
