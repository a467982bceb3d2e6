// The share token as a contract of its own, part of the share lane (share.contract.ts registers these
// right after share.success, whose exchange they reuse): its form and claims, what it binds, its lifetime.
import type { JWTPayload } from 'jose';
import { tokenOf } from '../../http-kit/exchange.js';
import { decodeToken } from '../../http-kit/share-token.js';
import { type CheckContext, type CheckId, check } from './check.js';
import { boundChecks, numericBounds } from './coverage.js';
import { bodyFindings } from './findings.js';
import { ASKED_TTL, share } from './requests.js';
import { responseFindings } from './responses.js';
import type { Run } from './run.js';
import { ttlOf } from './share-rules.js';
import { mismatch } from './verdicts.js';

const OP = 'shareSession';
const IAT_TOLERANCE_S = 300;

/** A claim of the share token other than expected. */
export const tokenClaim = (name: string, what: string, expected: unknown, actual: unknown) =>
  mismatch('token-claim', `/share_token/${name}`, what, expected, actual);

/** Declares the token checks in the share lane being defined (inside its `defineChecks`). */
export function shareTokenChecks(run: Run): void {
  const TTL = ttlOf(run.spec);
  const claim = tokenClaim;
  const lifetime = (claims: JWTPayload) => (claims.exp ?? 0) - (claims.iat ?? 0);

  /**
   * The decoded token of a share, or a skip naming the check that already reported why there is none
   * (one root cause, one breaking finding).
   */
  async function mintedToken({ skip, observe }: Pick<CheckContext, 'skip' | 'observe'>, ttl?: number) {
    const exchange = await share(run, ttl);
    if (exchange.status !== 200 && ttl === ASKED_TTL)
      return skip(`share answered ${exchange.status}, no token to check: see share.success`);
    // Another request than share.success's (no TTL): its failure is this check's own finding.
    if (exchange.status !== 200) {
      observe(...responseFindings(run.spec, OP, exchange, 200));
      return undefined;
    }
    const decoded = decodeToken(tokenOf(exchange));
    if (!decoded) return skip('the share token does not decode: see share.token.format');
    return { exchange, ...decoded };
  }

  check(
    'share.token.format',
    { operation: OP, rule: 'share_token is a compact HS256 JWT whose claims match ShareTokenClaims' },
    async ({ observe, skip }) => {
      const exchange = await share(run, ASKED_TTL);
      if (exchange.status !== 200)
        return skip(`share answered ${exchange.status}, no token to check: see share.success`);
      // A missing token, or one that breaks the ShareToken pattern, is share.success's finding (one root cause, one finding).
      const brokenInBody = bodyFindings(run.spec, 'ShareSessionResponse', exchange.json).some(
        (o) => o.pointer === '/share_token' && o.severity === 'breaking',
      );
      const token = tokenOf(exchange);
      if (token === undefined || brokenInBody) return skip('share_token is missing or malformed: see share.success');
      const decoded = decodeToken(token);
      if (!decoded)
        return observe({
          kind: 'token-claim',
          severity: 'breaking',
          pointer: '/share_token',
          message: 'share_token is not a compact JWT (three base64url parts with JSON header and claims)',
        });
      observe(
        ...mismatch('token-claim', '/share_token/alg', 'token alg', 'HS256', decoded.header.alg),
        ...bodyFindings(run.spec, 'ShareTokenClaims', decoded.claims, { kind: 'token-claim' }).map((o) => ({
          ...o,
          pointer: `/share_token${o.pointer ?? ''}`,
        })),
      );
    },
  );

  check(
    'share.token.binding',
    { operation: OP, rule: 'the token binds session_id, for_application_id and session_kind; iat is now', live: true },
    async ({ env, observe, skip }) => {
      const { exchange, claims } = (await mintedToken({ skip, observe }, ASKED_TTL))!;
      const body = exchange.json as { session_kind?: unknown; for_application_id?: unknown };
      observe(
        ...mismatch(
          'value',
          '/for_application_id',
          'echoed for_application_id',
          env('DIDIT_FOR_APPLICATION_ID'),
          body.for_application_id,
        ),
        ...claim('session_id', 'token claim session_id', env('DIDIT_SESSION_ID'), claims.session_id),
        ...claim(
          'for_application_id',
          'token claim for_application_id',
          env('DIDIT_FOR_APPLICATION_ID'),
          claims.for_application_id,
        ),
        // Legacy tokens carry no session_kind; Didit treats them as user.
        ...claim('session_kind', 'token claim session_kind', body.session_kind, claims.session_kind ?? 'user'),
      );
      const skew = Math.abs((claims.iat ?? 0) - Date.now() / 1000);
      if (skew > IAT_TOLERANCE_S) {
        observe({
          kind: 'token-claim',
          severity: 'breaking',
          pointer: '/share_token/iat',
          message: `token iat is ${Math.round(skew)} s away from now (tolerance ${IAT_TOLERANCE_S} s)`,
          actual: claims.iat,
        });
      }
    },
  );

  check(
    'share.token.ttl',
    { operation: OP, rule: 'a token asked for ttl_in_seconds lives that long (exp - iat)', live: true },
    async ({ observe, skip }) => {
      const { claims } = (await mintedToken({ skip, observe }, ASKED_TTL))!;
      observe(
        ...claim('exp', `token lifetime (exp - iat) for ttl_in_seconds ${ASKED_TTL}`, ASKED_TTL, lifetime(claims)),
      );
    },
  );

  check(
    'share.token.default-ttl',
    { operation: OP, rule: 'with ttl_in_seconds omitted, the token lives the documented default', live: true },
    async ({ observe, skip }) => {
      const minted = await mintedToken({ skip, observe });
      if (!minted) return;
      observe(
        ...claim('exp', 'token lifetime (exp - iat) with ttl_in_seconds omitted', TTL.default, lifetime(minted.claims)),
      );
    },
  );

  // Each documented bound of the TTL asked for, the bound itself: accepted, and the token lives exactly
  // that long (a service that quietly lowers the maximum answers 200 with a shorter token).
  for (const bound of numericBounds(run.spec, 'shareSession').filter((b) => b.field === 'ttl_in_seconds')) {
    check(
      boundChecks(bound).at as CheckId,
      {
        operation: OP,
        rule: `ttl_in_seconds ${bound.value} (the ${bound.bound}) is accepted and the token lives that long`,
        live: true,
      },
      async ({ observe, skip }) => {
        const minted = await mintedToken({ skip, observe }, bound.value);
        if (!minted) return;
        observe(
          ...claim(
            'exp',
            `token lifetime (exp - iat) for ttl_in_seconds ${bound.value} (the documented ${bound.bound})`,
            bound.value,
            lifetime(minted.claims),
          ),
        );
      },
    );
  }
}
