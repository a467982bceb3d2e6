// The requests the checks share: each minted token or import is made once per run and memoised in
// the run (see run.ts), so a check that depends on another's exchange reuses it instead of minting again.
// Every request waits for the happy path (happy-path.ts) first: no rule is judged before the
// documented success with the configured inputs has worked.
import type { Exchange } from '../../http-kit/exchange.js';
import { tokenOf } from '../../http-kit/exchange.js';
import { IMPORT_PATH, sharePath } from '../../http-kit/paths.js';
import { sentOptionalFields } from './coverage.js';
import { assertShareHappyPath } from './happy-path.js';
import { type PostOptions, post } from './http.js';
import type { Run } from './run.js';
import type { Variable } from './target.js';

/** The TTL share.success asks for: its exchange is the one the other share checks reuse. */
export const ASKED_TTL = 600;

/**
 * Sends a request to the target, once the share's happy path worked (the import's is judged by the
 * first import, suite/sources.ts, which its lane runs first). Through the proxy, Prism answers a
 * keyless request itself (it enforces the security scheme even with request validation off), and
 * `direct` exchanges fall outside the spec's routes: both go straight to the service.
 */
export async function send(run: Run, path: string, options: PostOptions, { direct = false } = {}): Promise<Exchange> {
  await happyPath(run);
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
    // The documented success also sends the optional fields no check of their own covers (coverage.ts).
    ...(ttl === ASKED_TTL ? sentOptionalFields(run.spec, 'shareSession') : {}),
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

// The import round trip's first import and the hop: suite/sources.ts.
