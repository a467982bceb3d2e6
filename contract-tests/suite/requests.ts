// The requests the checks share: each minted token or import is made once per run and memoised in
// the run (see run.ts), so a check that depends on another's exchange reuses it instead of minting again.
// Every request waits for the happy path (happy-path.ts) first: no rule is judged before the
// documented success with the configured inputs has worked.
import type { Exchange } from '../../test-support/exchange.js';
import { tokenOf } from '../../test-support/exchange.js';
import { assertImportHappyPath, assertShareHappyPath } from './happy-path.js';
import { post, type PostOptions } from './http.js';
import type { Run } from './run.js';
import type { Variable } from './target.js';

export const sharePath = (sessionId: string) => `/v3/session/${sessionId}/share/`;
export const IMPORT_PATH = '/v3/session/import-shared/';

/** The TTL share.success asks for: its exchange is the one the other share checks reuse. */
export const ASKED_TTL = 600;

/**
 * Sends a request to the target, once the happy paths it depends on worked (the share's always; the
 * import's too for an import with the partner's key, when the round trip is configured). Through the proxy,
 * Prism answers a keyless request itself (it enforces the security scheme even with request
 * validation off), and `direct` exchanges fall outside the spec's routes: both go straight to the service.
 */
export async function send(run: Run, path: string, options: PostOptions, { direct = false } = {}): Promise<Exchange> {
  await happyPath(run);
  const partner = env(run, 'DIDIT_PARTNER_API_KEY');
  if (path === IMPORT_PATH && partner && options.key === partner && env(run, 'DIDIT_PARTNER_WORKFLOW_ID'))
    await firstImport(run);
  return sendNow(run, path, options, { direct });
}

function sendNow(run: Run, path: string, options: PostOptions, { direct = false } = {}): Promise<Exchange> {
  const { target } = run;
  const viaProxy = target.kind === 'proxy' && Boolean(options.key) && !direct;
  return post(run, viaProxy || target.kind !== 'proxy' ? target.baseUrl : target.upstreamUrl, path, {
    ...options,
    idempotent: path !== IMPORT_PATH,
    ...(direct ? { offRoute: true } : {}),
  });
}

function once(run: Run, key: string, send: () => Promise<Exchange>): Promise<Exchange> {
  if (!run.memo.has(key)) run.memo.set(key, send());
  return run.memo.get(key)!;
}

const env = (run: Run, name: Variable) => run.target.get(name) ?? '';

const shareOptions = (run: Run, ttl: number | undefined): PostOptions => ({
  key: env(run, 'DIDIT_API_KEY'),
  body: {
    for_application_id: env(run, 'DIDIT_FOR_APPLICATION_ID'),
    ...(ttl === undefined ? {} : { ttl_in_seconds: ttl }),
  },
});

/**
 * The happy path: DIDIT_SESSION_ID shared with DIDIT_FOR_APPLICATION_ID for ASKED_TTL (share.success's
 * exchange). Rejects, naming the variable, when a configured input keeps it from the documented success.
 */
export function happyPath(run: Run): Promise<Exchange> {
  return once(run, 'happy-path', async () => {
    const exchange = await sendNow(run, sharePath(env(run, 'DIDIT_SESSION_ID')), shareOptions(run, ASKED_TTL));
    await assertShareHappyPath(exchange, () =>
      once(run, 'happy-path:import-route', () =>
        sendNow(run, IMPORT_PATH, { key: env(run, 'DIDIT_API_KEY'), body: {} }),
      ),
    );
    return exchange;
  });
}

/** Shares DIDIT_SESSION_ID (or another session) with DIDIT_FOR_APPLICATION_ID, with the given TTL or none. */
export function share(
  run: Run,
  ttl?: number,
  sessionId = env(run, 'DIDIT_SESSION_ID'),
  label = 'default',
): Promise<Exchange> {
  if (ttl === ASKED_TTL && sessionId === env(run, 'DIDIT_SESSION_ID') && label === 'default') return happyPath(run);
  return once(run, `share:${label}:${sessionId}:${ttl ?? '-'}`, () =>
    send(run, sharePath(sessionId), shareOptions(run, ttl)),
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
// The first import of each run, by the run (held only while the run is).
const firstImports = new WeakMap<Run, Promise<FirstImport | undefined>>();

export function firstImport(run: Run): Promise<FirstImport | undefined> {
  if (!firstImports.has(run)) firstImports.set(run, importOnce(run));
  return firstImports.get(run)!;
}

async function importOnce(run: Run): Promise<FirstImport | undefined> {
  const token = usableToken(await share(run, undefined, undefined, 'import'));
  if (token === undefined) return undefined;
  const importWith = (extra: Record<string, unknown>) =>
    sendNow(run, IMPORT_PATH, {
      key: env(run, 'DIDIT_PARTNER_API_KEY'),
      body: { share_token: token, workflow_id: env(run, 'DIDIT_PARTNER_WORKFLOW_ID'), ...extra },
    });
  const sameKey = env(run, 'DIDIT_PARTNER_API_KEY') === env(run, 'DIDIT_API_KEY');
  const exchange = await once(run, 'import:first', () => importWith({}));
  if (!namesTrustReview(exchange)) {
    assertImportHappyPath(exchange, sameKey);
    return { token, exchange };
  }
  const withTrustReview = await once(run, 'import:first-with-trust-review', () => importWith({ trust_review: false }));
  assertImportHappyPath(withTrustReview, sameKey);
  return { token, exchange: withTrustReview, trustReviewRefused: exchange };
}
