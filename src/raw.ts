// `raw`: the two operations without the client's judgement (no input check, no retry, no body
// validation), answering `{ data, error, response }` as openapi-fetch does, but sent by the same
// transport: the key, a timeout, no redirects, the size cap, and redacted errors when there is no answer.
import type { paths } from '../generated/schema.js';
import { checkLimits } from './options.js';
import { planFor, type ApiPath, type PathParams, type RequestBody } from './plans.js';
import { parseBody, type createTransport } from './transport.js';

type Responses<P extends ApiPath> = paths[P]['post']['responses'];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Success<P extends ApiPath> = Extract<keyof Responses<P>, 200 | 201>;

/** What `raw.POST` answers: the parsed body of a 2xx as `data`, any other's as `error` (its text if not JSON). */
export type RawResult<P extends ApiPath> =
  | { data: JsonOf<Responses<P>[Success<P>]>; error?: undefined; response: Response }
  | {
      data?: undefined;
      error: JsonOf<Responses<P>[Exclude<keyof Responses<P>, Success<P>>]> | string | undefined;
      response: Response;
    };

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
    async POST(path, init) {
      checkLimits(init.timeoutMs ?? 1, 0);
      const outcome = await transport.exchange(planFor(path, init.params?.path as never, init.body, apiKey), init);
      if (outcome instanceof Error) throw outcome;
      const { response, text } = outcome;
      // biome-ignore lint/suspicious/noExplicitAny: the body's type is the caller's path's, told by the signature
      const body: any = parseBody(text);
      return response.ok ? { data: body, response } : { error: body, response };
    },
  };
}
