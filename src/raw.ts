// `raw`: an openapi-fetch client typed from the spec, without the client's judgement (no input
// check, no retry, no body validation), sending through diditFetch: the key, the timeout, no
// redirects, the size cap, and the client's redacted errors when there is no response.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { diditFetch } from './didit-fetch.js';
import type { Settings } from './options.js';

/** openapi-fetch's client for the spec's paths: every method, `use()`/`eject()` middleware, per-call `signal`. */
export type DiditRawClient = Client<paths>;

export function createRaw(settings: Settings, fetch: typeof globalThis.fetch | undefined): DiditRawClient {
  const { apiKey, base, timeoutMs, maxResponseBytes } = settings;
  return createClient<paths>({
    baseUrl: base,
    // Also set by diditFetch: set here, the Request already carries it and diditFetch copies nothing.
    headers: { 'x-api-key': apiKey },
    redirect: 'manual',
    fetch: diditFetch({ apiKey, timeoutMs, maxResponseBytes, fetch }),
  });
}
