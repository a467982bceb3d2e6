// The import lane's refusals (registered by import.contract.ts, after the copy's checks): a replay, a
// forged signature, another application's token, a key without the privilege, no key, no workflow.
import type { Exchange } from '../../http-kit/exchange.js';
import { withTamperedSignature } from '../../http-kit/share-token.js';
import { firstExample } from '../../spec-kit/spec-examples.js';
import { type CheckContext, check } from './check.js';
import { fact } from './facts.js';
import { evidence } from './findings.js';
import { assertAccountCanRun, refusalOf } from './refusals.js';
import { share, usableToken } from './requests.js';
import { responseFindings } from './responses.js';
import type { Run } from './run.js';
import { type FirstImport, importAs as importAsIn } from './sources.js';
import type { Variable } from './target.js';
import { expectStatus, notEnforced } from './verdicts.js';

const OP = 'importSharedSession';
const REFUSED = 403;
/** The variables of the round trip (share, then import as the partner). */
export const ROUND_TRIP: Variable[] = ['DIDIT_PARTNER_API_KEY', 'DIDIT_PARTNER_WORKFLOW_ID'];

/** Declares the refusal checks in the import lane being defined; `freshImport` is the lane's first import. */
export function importRejectChecks(
  run: Run,
  freshImport: (skip: CheckContext['skip']) => Promise<Extract<FirstImport, { ok: true }>>,
): void {
  const { target } = run;
  const KEYLESS = fact(run, 'import-keyless-status');
  // Where Didit's OpenAPI document disagrees with its import page (see the spec's x-unsettled).
  const TOKEN_REFUSED = fact(run, 'import-token-refused-status');
  const WRONG_APPLICATION = fact(run, 'import-wrong-application-status');
  const REPLAY_WORDING = fact(run, 'import-replay-wording');
  // A well-formed request that no service would honour: the spec's example token and workflow.
  const EXAMPLE = firstExample(run.spec.document, OP, 'request') as { share_token: string; workflow_id: string };
  const importAs = (key: Variable | null, body: Record<string, unknown>) => importAsIn(run, key, body);
  const response = (exchange: Exchange, status: number) => responseFindings(run.spec, OP, exchange, status);

  check(
    'import.rejects.replay',
    {
      operation: OP,
      rule: 'a session imported twice into one application is refused (403)',
      live: true,
      needs: ROUND_TRIP,
    },
    async ({ env, observe, skip }) => {
      const { token } = await freshImport(skip);
      const again = await importAs('DIDIT_PARTNER_API_KEY', {
        share_token: token,
        workflow_id: env('DIDIT_PARTNER_WORKFLOW_ID'),
        trust_review: false,
      });
      assertAccountCanRun(again, 'DIDIT_PARTNER_API_KEY');
      observe(
        ...expectStatus(again, REFUSED, 'a session imported twice into one application'),
        ...(again.status === REFUSED
          ? [...response(again, REFUSED), ...REPLAY_WORDING.judge(REPLAY_WORDING.wordsIn(again.text), evidence(again))]
          : []),
      );
    },
  );

  check(
    'import.rejects.tampered-token',
    {
      operation: OP,
      rule: 'a token with a forged signature is refused (401 or 400: an unsettled fact)',
      live: true,
      needs: ROUND_TRIP,
    },
    async ({ env, observe, skip }) => {
      const token = usableToken(await share(run, undefined, undefined, 'tamper'));
      if (token === undefined) return skip('share did not mint a usable token to tamper with (see share.success)');
      const exchange = await importAs('DIDIT_PARTNER_API_KEY', {
        share_token: withTamperedSignature(token),
        workflow_id: env('DIDIT_PARTNER_WORKFLOW_ID'),
        trust_review: false,
      });
      assertAccountCanRun(exchange, 'DIDIT_PARTNER_API_KEY');
      // "Already imported" is only reached past the token: its signature was not checked.
      const passed = exchange.status < 300 || refusalOf(exchange) === 'already-imported';
      if (passed) return observe(...expectStatus(exchange, 401, 'a token with a forged signature', true));
      // 401 (the import page) or 400 under share_token (Didit's OpenAPI document).
      observe(
        ...TOKEN_REFUSED.judge(exchange.status, evidence(exchange)),
        ...(TOKEN_REFUSED.accepts(exchange.status) ? response(exchange, exchange.status) : []),
      );
    },
  );

  check(
    'import.rejects.wrong-application',
    {
      operation: OP,
      rule: 'a token redeemed by an application it was not minted for is refused (403 or 400: an unsettled fact)',
      live: true,
      needs: ROUND_TRIP,
    },
    async ({ env, observe, skip }) => {
      const token = usableToken(await share(run, undefined, undefined, 'wrong-app'));
      if (token === undefined) return skip('share did not mint a usable token (see share.success)');
      // The sharing application redeems a token minted for its partner. With a workflow of its own, only
      // the token's audience can refuse it (403); with the partner's workflow, a service that looks the
      // workflow up first answers 404, which proves a refusal but not the audience rule: no verdict.
      const own = target.get('DIDIT_WORKFLOW_ID');
      const exchange = await importAs('DIDIT_API_KEY', {
        share_token: token,
        workflow_id: own ?? env('DIDIT_PARTNER_WORKFLOW_ID'),
        trust_review: false,
      });
      assertAccountCanRun(exchange, 'DIDIT_API_KEY', { expected: ['privilege'] });
      if (!own && exchange.status === 404) {
        return skip(
          'refused with 404 (workflow not found) before the audience rule could show: set DIDIT_WORKFLOW_ID (a KYC workflow of the sharing application) to decide',
        );
      }
      const what = 'a token redeemed by an application it was not minted for';
      // 403 (the import page) or 400 under share_token (Didit's OpenAPI document).
      observe(
        ...(exchange.status < 300
          ? expectStatus(exchange, REFUSED, what)
          : WRONG_APPLICATION.judge(exchange.status, evidence(exchange))),
      );
    },
  );

  check(
    'import.rejects.key-without-privilege',
    {
      operation: OP,
      rule: 'importing needs write:sessions (403)',
      live: true,
      needs: [...ROUND_TRIP, 'DIDIT_PARTNER_READONLY_API_KEY'],
    },
    async ({ env, observe, skip }) => {
      const token = usableToken(await share(run, undefined, undefined, 'readonly'));
      if (token === undefined) return skip('share did not mint a usable token (see share.success)');
      const exchange = await importAs('DIDIT_PARTNER_READONLY_API_KEY', {
        share_token: token,
        workflow_id: env('DIDIT_PARTNER_WORKFLOW_ID'),
        trust_review: false,
      });
      assertAccountCanRun(exchange, 'DIDIT_PARTNER_READONLY_API_KEY', { expected: ['privilege'] });
      observe(
        ...notEnforced(exchange, 'importing needs write:sessions'),
        ...(exchange.status < 300 ? [] : response(exchange, REFUSED)),
      );
    },
  );

  check(
    'import.rejects.key-missing',
    { operation: OP, rule: 'a keyless import is refused (401 or 403: an unsettled fact)' },
    async ({ observe }) => {
      const exchange = await importAs(null, {
        share_token: EXAMPLE.share_token,
        workflow_id: target.get('DIDIT_PARTNER_WORKFLOW_ID') ?? EXAMPLE.workflow_id,
      });
      if (exchange.status < 300) return observe(...notEnforced(exchange, 'an API key is required'));
      observe(
        ...KEYLESS.judge(exchange.status, evidence(exchange)),
        ...(KEYLESS.accepts(exchange.status) ? response(exchange, exchange.status) : []),
      );
    },
  );

  check(
    'import.rejects.workflow-missing',
    { operation: OP, rule: 'workflow_id is required (400)', needs: ['DIDIT_PARTNER_API_KEY'] },
    async ({ observe }) => {
      const exchange = await importAs('DIDIT_PARTNER_API_KEY', { share_token: EXAMPLE.share_token });
      observe(...(exchange.status < 300 ? notEnforced(exchange, 'workflow_id is required') : response(exchange, 400)));
    },
  );
}
