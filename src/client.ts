import type { components } from '../generated/schema.js';
import { validateImportSharedSessionRequest, validateShareSessionRequest } from '../generated/validators.js';
import type { DriftFinding } from './drift-findings.js';
import { settle } from './options.js';
import { planFor } from './plans.js';
import { createRaw, type DiditRawClient } from './raw.js';
import { headerIssue } from './token.js';
import { createTransport, type RequestOptions } from './transport.js';
import { checkRequest } from './validate.js';

type Schemas = components['schemas'];
export type ShareSessionRequest = Schemas['ShareSessionRequest'];
export type ShareSessionResponse = Schemas['ShareSessionResponse'];
export type ImportSharedSessionRequest = Schemas['ImportSharedSessionRequest'];
export type ImportSharedSessionResponse = Schemas['ImportSharedSessionResponse'];

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
  /** Most bytes read of one response; past it, DiditResponseTooLargeError. Default 1 048 576 (1 MiB). */
  maxResponseBytes?: number | undefined;
  /**
   * Check every success body against the spec: a breaking deviation throws DiditResponseValidationError
   * (after `onDrift` saw it). Default false.
   */
  validateResponses?: boolean | undefined;
  /**
   * Called once per deviation of a success body from the spec (a missing, mistyped or undocumented
   * field), worded as the drift check's findings, with no key or whole token. The call still returns
   * the body (unless `validateResponses` and the deviation is breaking); a callback that throws is ignored.
   */
  onDrift?: ((finding: DriftFinding) => void) | undefined;
  /**
   * A fetch implementation: `sessions.*` call it as `fetch(url, init)`, `raw` (openapi-fetch) as
   * `fetch(request, init)`. Default: the global `fetch`.
   */
  fetch?: typeof fetch | undefined;
}

export type { RequestOptions };

export interface DiditClient {
  sessions: {
    /** Mints a share token for a finished session. Retries 429, 5xx, network errors and timeouts. */
    share(sessionId: string, body: ShareSessionRequest, options?: RequestOptions): Promise<ShareSessionResponse>;
    /** Imports a shared session into this application. Not idempotent: retries 429 only. */
    importShared(body: ImportSharedSessionRequest, options?: RequestOptions): Promise<ImportSharedSessionResponse>;
  };
  /**
   * An openapi-fetch client typed from the spec (`raw.POST(path, { params, body, signal })` answers
   * `{ data, error, response }`; `use()`/`eject()` middleware), sending through `diditFetch`: with the
   * key, under `timeoutMs`, without redirects and within `maxResponseBytes`, but never checked,
   * validated or retried.
   */
  raw: DiditRawClient;
}

/** Creates a client for Didit's Share Session API; throws DiditError if the options cannot work. */
export function createDiditClient(options: DiditClientOptions = {}): DiditClient {
  const settings = settle(options);
  const { apiKey } = settings;
  const transport = createTransport({
    ...settings,
    fetch: options.fetch,
    validateResponses: !!options.validateResponses,
    onDrift: options.onDrift,
  });
  return {
    raw: createRaw(settings, options.fetch),
    sessions: {
      async share(sessionId, body, options) {
        checkRequest('share', validateShareSessionRequest, body, { sessionId });
        const plan = planFor('/v3/session/{sessionId}/share/', { sessionId }, body, apiKey);
        return transport.send(plan, options);
      },
      async importShared(body, options) {
        // A token Didit could not have signed is refused here, not sent (its claims are Didit's to judge).
        checkRequest('importShared', validateImportSharedSessionRequest, body, {}, (b) => headerIssue(b.share_token));
        const plan = planFor('/v3/session/import-shared/', undefined, body, apiKey);
        return transport.send(plan, options);
      },
    },
  };
}
