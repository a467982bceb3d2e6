// The requests the checks share: each minted token or import is made once per run and memoised, so
// a check that depends on another's exchange reuses it instead of minting again.
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { target } from './check.js';
import { post, type Exchange, type PostOptions } from './http.js';

export const sharePath = (sessionId: string) => `/v3/session/${sessionId}/share/`;
export const IMPORT_PATH = '/v3/session/import-shared/';

/** The TTL share.success asks for: its exchange is the one the other share checks reuse. */
export const ASKED_TTL = 600;

/**
 * Sends a request to the target. Through the proxy, Prism answers a keyless request itself (it
 * enforces the security scheme even with request validation off), and `direct` exchanges fall
 * outside the spec's routes: both go straight to the service.
 */
export function send(path: string, options: PostOptions, { direct = false } = {}): Promise<Exchange> {
  const viaProxy = target.kind === 'proxy' && Boolean(options.key) && !direct;
  return post(viaProxy || target.kind !== 'proxy' ? target.baseUrl : target.upstreamUrl, path, {
    ...options,
    idempotent: path !== IMPORT_PATH,
  });
}

const memo = new Map<string, Promise<Exchange>>();
function once(key: string, send: () => Promise<Exchange>): Promise<Exchange> {
  if (!memo.has(key)) memo.set(key, send());
  return memo.get(key)!;
}

const env = (name: Parameters<typeof target.get>[0]) => target.get(name) ?? '';

/** Shares DIDIT_SESSION_ID (or another session) with DIDIT_FOR_APPLICATION_ID, with the given TTL or none. */
export function share(ttl?: number, sessionId = env('DIDIT_SESSION_ID'), label = 'default'): Promise<Exchange> {
  return once(`share:${label}:${sessionId}:${ttl ?? '-'}`, () =>
    send(sharePath(sessionId), {
      key: env('DIDIT_API_KEY'),
      body: {
        for_application_id: env('DIDIT_FOR_APPLICATION_ID'),
        ...(ttl === undefined ? {} : { ttl_in_seconds: ttl }),
      },
    }),
  );
}

export const tokenOf = (exchange: Exchange) => (exchange.json as { share_token?: unknown } | undefined)?.share_token;

/** The share token when it has a JWT's form; a missing or malformed one is share.success's finding, not the import checks'. */
export function usableToken(exchange: Exchange): string | undefined {
  const token = tokenOf(exchange);
  return typeof token === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) ? token : undefined;
}

export interface DecodedToken {
  header: ReturnType<typeof decodeProtectedHeader>;
  claims: JWTPayload;
}

/** Decodes a compact JWT (no verification: the signing secret is Didit's); undefined when malformed. */
export function decode(token: unknown): DecodedToken | undefined {
  if (typeof token !== 'string' || token.split('.').length !== 3) return undefined;
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
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
export function firstImport(): Promise<FirstImport | undefined> {
  return share(undefined, undefined, 'import').then(async (minted) => {
    const token = usableToken(minted);
    if (token === undefined) return undefined;
    const importWith = (extra: Record<string, unknown>) =>
      send(IMPORT_PATH, {
        key: env('DIDIT_PARTNER_API_KEY'),
        body: { share_token: token, workflow_id: env('DIDIT_PARTNER_WORKFLOW_ID'), ...extra },
      });
    const exchange = await once('import:first', () => importWith({}));
    if (!namesTrustReview(exchange)) return { token, exchange };
    return {
      token,
      exchange: await once('import:first-with-trust-review', () => importWith({ trust_review: false })),
      trustReviewRefused: exchange,
    };
  });
}
