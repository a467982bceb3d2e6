// shareSession: the documented success, the share token as a contract of its own (its checks in
// share-token.contract.ts, part of this lane), and every documented rule (share-rules.ts), each sent raw.
import { tokenOf } from '../../http-kit/exchange.js';
import { sharePath } from '../../http-kit/paths.js';
import { decodeToken } from '../../http-kit/share-token.js';
import { check, defineChecks } from './check.js';
import { fact } from './facts.js';
import { evidence, isNote } from './findings.js';
import { assertAccountCanRun } from './refusals.js';
import { ASKED_TTL, send, share } from './requests.js';
import { responseFindings } from './responses.js';
import { rulesOf, shareAs, ttlOf } from './share-rules.js';
import { shareTokenChecks, tokenClaim } from './share-token.contract.js';
import { mismatch, notEnforced } from './verdicts.js';

const OP = 'shareSession';
export const shareChecks = defineChecks((run) => {
  const TTL = ttlOf(run.spec);
  const KEYLESS = fact(run, 'share-keyless-status');
  const response = (exchange: Parameters<typeof responseFindings>[2], status: number) =>
    responseFindings(run.spec, OP, exchange, status);
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

  // The share token as a contract of its own (share-token.contract.ts), right after the success it reuses.
  shareTokenChecks(run);

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
        observe(
          ...tokenClaim('session_kind', 'token claim session_kind of a KYB session', 'business', claims.session_kind),
        );
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
