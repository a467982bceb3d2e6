// shareSession: the documented success, the share token as a contract of its own, and every
// documented rule, each sent raw (the client would refuse the invalid ones before sending).
import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { check, type CheckContext } from './check.js';
import { fact } from './facts.js';
import { bodyFindings, evidence, isNote, responseFindings, spec, type Observation } from './findings.js';
import type { Exchange } from './http.js';
import { assertAccountCanRun } from './refusals.js';
import { ASKED_TTL, decode, send, share, sharePath, tokenOf } from './requests.js';
import type { Variable } from './target.js';

const OP = 'shareSession';
const TTL = (
  spec.components.schemas.ShareSessionRequest!.properties as Record<
    string,
    { default: number; minimum: number; maximum: number }
  >
).ttl_in_seconds!;
const IAT_TOLERANCE_S = 300;
const KEYLESS = fact('share-keyless-status');

/** A breaking observation when a value the token or body carries is not the one asked for. */
const mismatch = (pointer: string, what: string, expected: unknown, actual: unknown): Observation[] =>
  expected === actual
    ? []
    : [
        {
          severity: 'breaking',
          pointer,
          message: `${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
          expected,
          actual,
        },
      ];

const lifetime = (claims: JWTPayload) => (claims.exp ?? 0) - (claims.iat ?? 0);

/**
 * The decoded token of a share, or a skip naming the check that already reported why there is none
 * (one root cause, one breaking finding).
 */
async function mintedToken({ skip, observe }: Pick<CheckContext, 'skip' | 'observe'>, ttl?: number) {
  const exchange = await share(ttl);
  if (exchange.status !== 200 && ttl === ASKED_TTL)
    return skip(`share answered ${exchange.status}, no token to check: see share.success`);
  // Another request than share.success's (no TTL): its failure is this check's own finding.
  if (exchange.status !== 200) {
    observe(...responseFindings(OP, exchange, 200));
    return undefined;
  }
  const decoded = decode(tokenOf(exchange));
  if (!decoded) return skip('the share token does not decode: see share.token.format');
  return { exchange, ...decoded };
}

check('share.success', { operation: OP }, async ({ observe }) => {
  const exchange = await share(ASKED_TTL);
  // An IP allowlist, a missing privilege or a scoped key refusing DIDIT_API_KEY is an account state, not drift.
  assertAccountCanRun(exchange, 'DIDIT_API_KEY');
  observe(...responseFindings(OP, exchange, 200));
});

check('share.token.format', { operation: OP }, async ({ observe, skip }) => {
  const exchange = await share(ASKED_TTL);
  if (exchange.status !== 200) return skip(`share answered ${exchange.status}, no token to check: see share.success`);
  // A missing token, or one that breaks the ShareToken pattern, is share.success's finding (one root cause, one finding).
  const brokenInBody = bodyFindings('ShareSessionResponse', exchange.json).some(
    (o) => o.pointer === '/share_token' && o.severity === 'breaking',
  );
  if (typeof tokenOf(exchange) !== 'string' || brokenInBody)
    return skip('share_token is missing or malformed: see share.success');
  const decoded = decode(tokenOf(exchange));
  if (!decoded)
    return observe({
      severity: 'breaking',
      pointer: '/share_token',
      message: 'share_token is not a compact JWT (three base64url parts with JSON header and claims)',
    });
  observe(
    ...mismatch('/share_token/alg', 'token alg', 'HS256', decoded.header.alg),
    ...bodyFindings('ShareTokenClaims', decoded.claims).map((o) => ({
      ...o,
      pointer: `/share_token${o.pointer ?? ''}`,
    })),
  );
});

check('share.token.binding', { operation: OP, live: true }, async ({ env, observe, skip }) => {
  const { exchange, claims } = (await mintedToken({ skip, observe }, ASKED_TTL))!;
  const body = exchange.json as { session_kind?: unknown; for_application_id?: unknown };
  observe(
    ...mismatch(
      '/for_application_id',
      'echoed for_application_id',
      env('DIDIT_FOR_APPLICATION_ID'),
      body.for_application_id,
    ),
    ...mismatch('/share_token/session_id', 'token claim session_id', env('DIDIT_SESSION_ID'), claims.session_id),
    ...mismatch(
      '/share_token/for_application_id',
      'token claim for_application_id',
      env('DIDIT_FOR_APPLICATION_ID'),
      claims.for_application_id,
    ),
    // Legacy tokens carry no session_kind; Didit treats them as user.
    ...mismatch(
      '/share_token/session_kind',
      'token claim session_kind',
      body.session_kind,
      claims.session_kind ?? 'user',
    ),
  );
  const skew = Math.abs((claims.iat ?? 0) - Date.now() / 1000);
  if (skew > IAT_TOLERANCE_S) {
    observe({
      severity: 'breaking',
      pointer: '/share_token/iat',
      message: `token iat is ${Math.round(skew)} s away from now (tolerance ${IAT_TOLERANCE_S} s)`,
      actual: claims.iat,
    });
  }
});

check('share.token.ttl', { operation: OP, live: true }, async ({ observe, skip }) => {
  const { claims } = (await mintedToken({ skip, observe }, ASKED_TTL))!;
  observe(
    ...mismatch(
      '/share_token/exp',
      `token lifetime (exp - iat) for ttl_in_seconds ${ASKED_TTL}`,
      ASKED_TTL,
      lifetime(claims),
    ),
  );
});

check('share.token.default-ttl', { operation: OP, live: true }, async ({ observe, skip }) => {
  const minted = await mintedToken({ skip, observe });
  if (!minted) return;
  const { claims } = minted;
  observe(
    ...mismatch(
      '/share_token/exp',
      'token lifetime (exp - iat) with ttl_in_seconds omitted',
      TTL.default,
      lifetime(claims),
    ),
  );
});

check(
  'share.business',
  { operation: OP, live: true, needs: ['DIDIT_BUSINESS_SESSION_ID'] },
  async ({ env, observe }) => {
    const exchange = await share(undefined, env('DIDIT_BUSINESS_SESSION_ID'));
    const schema = responseFindings(OP, exchange, 200);
    // What share.success already reports of the user session's answer is not reported twice.
    const reported = new Set(
      responseFindings(OP, await share(ASKED_TTL), 200).map((o) => (isNote(o) ? '' : o.message)),
    );
    observe(...schema.filter((o) => isNote(o) || !reported.has(o.message)));
    if (exchange.status !== 200) return;
    // A value outside the enum is already a schema finding; a valid but wrong kind ("user") is not.
    if (!schema.some((o) => !isNote(o) && o.pointer === '/session_kind')) {
      observe(
        ...mismatch(
          '/session_kind',
          'session_kind of a KYB session',
          'business',
          (exchange.json as { session_kind?: unknown }).session_kind,
        ),
      );
    }
    // No token at all is share.success's finding (one root cause, one finding).
    const claims = decode(tokenOf(exchange))?.claims;
    if (claims)
      observe(
        ...mismatch(
          '/share_token/session_kind',
          'token claim session_kind of a KYB session',
          'business',
          claims.session_kind,
        ),
      );
  },
);

interface Rule {
  id: string;
  rule: string;
  status: number;
  live?: boolean;
  needs?: Variable[];
  send(env: (name: Variable) => string, skip: CheckContext['skip']): Promise<Exchange>;
}

const shareAs = (
  env: (name: Variable) => string,
  body: Record<string, unknown>,
  { key = env('DIDIT_API_KEY'), session = env('DIDIT_SESSION_ID') } = {},
) => send(sharePath(session), { key, body: { for_application_id: env('DIDIT_FOR_APPLICATION_ID'), ...body } });

// The TTL bounds come from the spec, so a spec change moves the probes with it.
const RULES: Rule[] = [
  {
    id: 'ttl-below-minimum',
    rule: `ttl_in_seconds >= ${TTL.minimum}`,
    status: 400,
    send: (env) => shareAs(env, { ttl_in_seconds: TTL.minimum - 1 }),
  },
  {
    id: 'ttl-above-maximum',
    rule: `ttl_in_seconds <= ${TTL.maximum}`,
    status: 400,
    send: (env) => shareAs(env, { ttl_in_seconds: TTL.maximum + 1 }),
  },
  {
    id: 'ttl-not-integer',
    rule: 'ttl_in_seconds is an integer',
    status: 400,
    send: (env) => shareAs(env, { ttl_in_seconds: TTL.minimum + 0.5 }),
  },
  {
    id: 'for-application-id-not-uuid',
    rule: 'for_application_id is a UUID',
    status: 400,
    send: (env) => shareAs(env, { for_application_id: 'not-a-uuid' }),
  },
  {
    id: 'for-application-id-missing',
    rule: 'for_application_id is required',
    status: 400,
    send: (env) => shareAs(env, { for_application_id: undefined }),
  },
  {
    id: 'key-invalid',
    rule: 'an unknown API key is refused',
    status: 401,
    live: true,
    send: (env) => shareAs(env, {}, { key: `invalid-${randomUUID()}` }),
  },
  {
    id: 'key-without-privilege',
    rule: 'sharing needs write:sessions',
    status: 403,
    live: true,
    needs: ['DIDIT_READONLY_API_KEY'],
    send: (env) => shareAs(env, {}, { key: env('DIDIT_READONLY_API_KEY') }),
  },
  {
    id: 'session-unknown',
    rule: 'only sessions of the calling application',
    status: 404,
    live: true,
    send: (env) => shareAs(env, {}, { session: randomUUID() }),
  },
  {
    id: 'session-unfinished',
    rule: 'only finished sessions (Approved, Declined, In Review)',
    status: 400,
    live: true,
    needs: ['DIDIT_UNFINISHED_SESSION_ID'],
    send: (env) => shareAs(env, {}, { session: env('DIDIT_UNFINISHED_SESSION_ID') }),
  },
  {
    id: 'same-application',
    rule: 'for_application_id differs from the calling application',
    status: 400,
    live: true,
    // The calling application's id is only known from a token it minted (a random id would only test "unknown").
    send: async (env, skip) => {
      const own = decode(tokenOf(await share(ASKED_TTL)))?.claims.from_application_id;
      return typeof own === 'string'
        ? shareAs(env, { for_application_id: own })
        : skip('no token to learn the calling application from: see share.success');
    },
  },
];

for (const rule of RULES) {
  check(
    `share.rejects.${rule.id}`,
    { operation: OP, live: rule.live ?? false, needs: rule.needs ?? [] },
    async ({ env, observe, skip }) => {
      const exchange = await rule.send(env, skip);
      if (exchange.status < 300) {
        observe({
          severity: 'breaking',
          message: `rule no longer enforced: ${rule.rule} (answered ${exchange.status})`,
          expected: rule.status,
          actual: exchange.status,
        });
      } else {
        observe(...responseFindings(OP, exchange, rule.status));
      }
    },
  );
}

// Keyless: 401 on Didit's older pages, 403 on its newer ones (an unsettled fact of the spec).
check('share.rejects.key-missing', { operation: OP }, async ({ env, observe }) => {
  const exchange = await shareAs(env, {}, { key: '' });
  if (exchange.status < 300)
    return observe({
      severity: 'breaking',
      message: `rule no longer enforced: an API key is required (answered ${exchange.status})`,
      actual: exchange.status,
    });
  observe(
    ...KEYLESS.judge(exchange.status, evidence(exchange)),
    ...(KEYLESS.accepts(exchange.status) ? responseFindings(OP, exchange, exchange.status) : []),
  );
});

// Assumption (no Didit page states the order of checks): the key is checked before the body, so a
// keyless request with an invalid body gets the keyless answer. A 400 refutes the assumption (info);
// the keyless status itself is judged, once, by share.rejects.key-missing.
check('share.rejects.key-checked-first', { operation: OP }, async ({ env, observe }) => {
  const exchange = await shareAs(env, { ttl_in_seconds: TTL.minimum - 1 }, { key: '' });
  if (exchange.status < 300)
    return observe({
      severity: 'breaking',
      message: `rule no longer enforced: an API key is required (answered ${exchange.status})`,
      actual: exchange.status,
    });
  if (!KEYLESS.accepts(exchange.status)) {
    observe({
      severity: 'info',
      message: `the body was judged before the key (keyless request with an invalid body answered ${exchange.status}): the assumed order of checks is refuted (${evidence(exchange)})`,
      actual: exchange.status,
    });
  }
});

// Not a route on the service (404) but a spec violation to Prism (400): assert what both guarantee.
check('share.rejects.session-id-not-uuid', { operation: OP }, async ({ env, observe }) => {
  const exchange = await send(
    sharePath('not-a-uuid'),
    { key: env('DIDIT_API_KEY'), body: { for_application_id: env('DIDIT_FOR_APPLICATION_ID') } },
    { direct: true },
  );
  if (exchange.status < 400 || exchange.status >= 500 || tokenOf(exchange) !== undefined) {
    observe({
      severity: 'breaking',
      message: `a malformed session id was answered ${exchange.status}${tokenOf(exchange) ? ' with a token' : ''}`,
      expected: '4xx, nothing minted',
      actual: exchange.status,
    });
  }
});
