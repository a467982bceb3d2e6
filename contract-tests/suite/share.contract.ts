// shareSession: the documented success, the share token as a contract of its own, and every
// documented rule (share-rules.ts), each sent raw.
import type { JWTPayload } from 'jose';
import { tokenOf } from '../../http-kit/exchange.js';
import { decodeToken } from '../../http-kit/share-token.js';
import { check, defineChecks, type CheckContext, type CheckId } from './check.js';
import { boundChecks, numericBounds } from './coverage.js';
import { fact } from './facts.js';
import { bodyFindings, evidence, isNote } from './findings.js';
import { assertAccountCanRun } from './refusals.js';
import { sharePath } from '../../http-kit/paths.js';
import { ASKED_TTL, send, share } from './requests.js';
import { responseFindings } from './responses.js';
import { rulesOf, shareAs, ttlOf } from './share-rules.js';
import { mismatch, notEnforced } from './verdicts.js';

const OP = 'shareSession';
export const shareChecks = defineChecks((run) => {
  const TTL = ttlOf(run.spec);
  const IAT_TOLERANCE_S = 300;
  const KEYLESS = fact(run, 'share-keyless-status');
  const response = (exchange: Parameters<typeof responseFindings>[2], status: number) =>
    responseFindings(run.spec, OP, exchange, status);
  const claim = (name: string, what: string, expected: unknown, actual: unknown) =>
    mismatch('token-claim', `/share_token/${name}`, what, expected, actual);

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
      observe(...response(exchange, 200));
      return undefined;
    }
    const decoded = decodeToken(tokenOf(exchange));
    if (!decoded) return skip('the share token does not decode: see share.token.format');
    return { exchange, ...decoded };
  }

  check(
    'share.success',
    { operation: OP, rule: 'the documented 200 answer: status, content type, body (ShareSessionResponse)' },
    async ({ observe }) => {
      const exchange = await share(run, ASKED_TTL);
      // An IP allowlist, a missing privilege or a scoped key refusing DIDIT_API_KEY is an account state, not drift.
      assertAccountCanRun(exchange, 'DIDIT_API_KEY');
      observe(...response(exchange, 200));
    },
  );

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

  check(
    'share.business',
    {
      operation: OP,
      rule: 'a KYB session is shared with session_kind "business" (body and token)',
      live: true,
      needs: ['DIDIT_BUSINESS_SESSION_ID'],
    },
    async ({ env, observe }) => {
      const exchange = await share(run, undefined, env('DIDIT_BUSINESS_SESSION_ID'));
      const schema = response(exchange, 200);
      // What share.success already reports of the user session's answer is not reported twice.
      const reported = new Set(response(await share(run, ASKED_TTL), 200).map((o) => (isNote(o) ? '' : o.message)));
      observe(...schema.filter((o) => isNote(o) || !reported.has(o.message)));
      if (exchange.status !== 200) return;
      // A value outside the enum is already a schema finding; a valid but wrong kind ("user") is not.
      if (!schema.some((o) => !isNote(o) && o.pointer === '/session_kind')) {
        observe(
          ...mismatch(
            'value',
            '/session_kind',
            'session_kind of a KYB session',
            'business',
            (exchange.json as { session_kind?: unknown }).session_kind,
          ),
        );
      }
      // No token at all is share.success's finding (one root cause, one finding).
      const claims = decodeToken(tokenOf(exchange))?.claims;
      if (claims)
        observe(...claim('session_kind', 'token claim session_kind of a KYB session', 'business', claims.session_kind));
    },
  );

  for (const rule of rulesOf(run)) {
    check(
      `share.rejects.${rule.id}`,
      { operation: OP, rule: `${rule.rule} (${rule.status})`, live: rule.live ?? false, needs: rule.needs ?? [] },
      async ({ env, observe, skip }) => {
        const exchange = await rule.send(env, skip);
        observe(
          ...(exchange.status < 300 ? notEnforced(exchange, rule.rule, rule.status) : response(exchange, rule.status)),
          ...(rule.judge?.(exchange) ?? []),
        );
      },
    );
  }

  // Keyless: 401 on Didit's older pages, 403 on its newer ones (an unsettled fact of the spec).
  check(
    'share.rejects.key-missing',
    { operation: OP, rule: 'a keyless share is refused (401 or 403: an unsettled fact)' },
    async ({ env, observe }) => {
      const exchange = await shareAs(run, env, {}, { key: '' });
      if (exchange.status < 300) return observe(...notEnforced(exchange, 'an API key is required'));
      observe(
        ...KEYLESS.judge(exchange.status, evidence(exchange)),
        ...(KEYLESS.accepts(exchange.status) ? response(exchange, exchange.status) : []),
      );
    },
  );

  // Assumption (no Didit page states the order of checks): the key is checked before the body, so a
  // keyless request with an invalid body gets the keyless answer. A 400 refutes the assumption (info);
  // the keyless status itself is judged, once, by share.rejects.key-missing.
  check(
    'share.rejects.key-checked-first',
    { operation: OP, rule: 'the key is checked before the body (an assumption)' },
    async ({ env, observe }) => {
      const exchange = await shareAs(run, env, { ttl_in_seconds: TTL.minimum - 1 }, { key: '' });
      if (exchange.status < 300) return observe(...notEnforced(exchange, 'an API key is required'));
      if (!KEYLESS.accepts(exchange.status)) {
        observe({
          kind: 'assumption',
          severity: 'info',
          message: `the body was judged before the key (keyless request with an invalid body answered ${exchange.status}): the assumed order of checks is refuted (${evidence(exchange)})`,
          actual: exchange.status,
        });
      }
    },
  );

  // Not a route on the service (404) but a spec violation to Prism (400): assert what both guarantee.
  check(
    'share.rejects.session-id-not-uuid',
    { operation: OP, rule: 'a malformed session id is refused with a 4xx, nothing minted' },
    async ({ env, observe }) => {
      const exchange = await send(
        run,
        sharePath('not-a-uuid'),
        { key: env('DIDIT_API_KEY'), body: { for_application_id: env('DIDIT_FOR_APPLICATION_ID') } },
        { direct: true },
      );
      const minted = tokenOf(exchange) !== undefined;
      if (exchange.status < 400 || exchange.status >= 500 || minted) {
        observe({
          kind: exchange.status < 300 || minted ? 'rule-not-enforced' : 'status',
          severity: 'breaking',
          message: `a malformed session id was answered ${exchange.status}${minted ? ' with a token' : ''}`,
          expected: '4xx, nothing minted',
          actual: exchange.status,
        });
      }
    },
  );
});
