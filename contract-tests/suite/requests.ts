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

// The import round trip's first import and the hop: suite/sources.ts.
