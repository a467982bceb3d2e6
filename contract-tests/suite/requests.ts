// The requests the checks share: each minted token or import is made once per run and memoised in
// the run (see run.ts), so a check that depends on another's exchange reuses it instead of minting again.
import type { Exchange } from '../../test-support/exchange.js';
import { tokenOf } from '../../test-support/exchange.js';
import { post, type PostOptions } from './http.js';
import type { Run } from './run.js';
import type { Variable } from './target.js';

export const sharePath = (sessionId: string) => `/v3/session/${sessionId}/share/`;
export const IMPORT_PATH = '/v3/session/import-shared/';

/** The TTL share.success asks for: its exchange is the one the other share checks reuse. */
export const ASKED_TTL = 600;

/**
 * Sends a request to the target. Through the proxy, Prism answers a keyless request itself (it
 * enforces the security scheme even with request validation off), and `direct` exchanges fall
 * outside the spec's routes: both go straight to the service.
 */
export function send(run: Run, path: string, options: PostOptions, { direct = false } = {}): Promise<Exchange> {
  const { target } = run;
  const viaProxy = target.kind === 'proxy' && Boolean(options.key) && !direct;
  return post(run, viaProxy || target.kind !== 'proxy' ? target.baseUrl : target.upstreamUrl, path, {
    ...options,
    idempotent: path !== IMPORT_PATH,
  });
}

function once(run: Run, key: string, send: () => Promise<Exchange>): Promise<Exchange> {
  if (!run.memo.has(key)) run.memo.set(key, send());
  return run.memo.get(key)!;
}

const env = (run: Run, name: Variable) => run.target.get(name) ?? '';

/** Shares DIDIT_SESSION_ID (or another session) with DIDIT_FOR_APPLICATION_ID, with the given TTL or none. */
export function share(
  run: Run,
  ttl?: number,
  sessionId = env(run, 'DIDIT_SESSION_ID'),
  label = 'default',
): Promise<Exchange> {
  return once(run, `share:${label}:${sessionId}:${ttl ?? '-'}`, () =>
    send(run, sharePath(sessionId), {
      key: env(run, 'DIDIT_API_KEY'),
      body: {
        for_application_id: env(run, 'DIDIT_FOR_APPLICATION_ID'),
        ...(ttl === undefined ? {} : { ttl_in_seconds: ttl }),
      },
    }),
  );
}

/** The share token when it has a JWT's form; a missing or malformed one is share.success's finding, not the import checks'. */
export function usableToken(exchange: Exchange): string | undefined {
  const token = tokenOf(exchange);
  return token !== undefined && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) ? token : undefined;
}

export interface FirstImport {
  token: string;
  /** The import that counts: sent without trust_review and vendor_data, to exercise their defaults. */
  exchange: Exchange;
  /** Set when the service refused the omitted trust_review (400 naming it) and the import was sent again with false. */
  trustReviewRefused?: Exchange;
}

const namesTrustReview = (exchange: Exchange) => exchange.status === 400 && /trust_review/.test(exchange.text);

/**
 * The import round trip's first import, as the partner, of a token minted for this run. It omits
 * trust_review and vendor_data, so their documented defaults are what the checks see; a service
 * that demands trust_review (one of the unsettled candidates) gets it sent as false.
 */
export async function firstImport(run: Run): Promise<FirstImport | undefined> {
  const token = usableToken(await share(run, undefined, undefined, 'import'));
  if (token === undefined) return undefined;
  const importWith = (extra: Record<string, unknown>) =>
    send(run, IMPORT_PATH, {
      key: env(run, 'DIDIT_PARTNER_API_KEY'),
      body: { share_token: token, workflow_id: env(run, 'DIDIT_PARTNER_WORKFLOW_ID'), ...extra },
    });
  const exchange = await once(run, 'import:first', () => importWith({}));
  if (!namesTrustReview(exchange)) return { token, exchange };
  return {
    token,
    exchange: await once(run, 'import:first-with-trust-review', () => importWith({ trust_review: false })),
    trustReviewRefused: exchange,
  };
}
