// importSharedSession: the round trip (share, then import as the partner) runs only when the user
// opted in with the partner's key and workflow, since an import creates data and may be billed.
// A 403 or 402 is read by its body before it is classified: only a body that says so is "already
// imported"; a balance, payment, allowlist or privilege refusal ends the run as "could not run".
import { firstExample } from '../../spec-kit/spec-examples.js';
import type { Exchange } from '../../http-kit/exchange.js';
import { decodeToken, withTamperedSignature } from '../../http-kit/share-token.js';
import { check, defineChecks, type CheckContext } from './check.js';
import { fact } from './facts.js';
import { boundedCopy, brief, evidence, isNote, type Observed } from './findings.js';
import { hopChecks } from './import-hop.js';
import { assertAccountCanRun, refusalOf } from './refusals.js';
import { ASKED_TTL, share, usableToken } from './requests.js';
import { responseFindings } from './responses.js';
import { LANES, firstImport, importAs as importAsIn, staleState, whatToDo, type FirstImport } from './sources.js';
import type { Variable } from './target.js';
import { expectStatus, mismatch, notEnforced } from './verdicts.js';

const OP = 'importSharedSession';
export const importChecks = defineChecks((run) => {
  const { target } = run;
  const ROUND_TRIP: Variable[] = ['DIDIT_PARTNER_API_KEY', 'DIDIT_PARTNER_WORKFLOW_ID'];
  const REFUSED = 403;
  const SUCCESS = fact(run, 'import-success-status');
  const KEYLESS = fact(run, 'import-keyless-status');
  const TRUST_REVIEW = fact(run, 'import-trust-review-required');
  const VENDOR_DATA = fact(run, 'import-vendor-data-when-omitted');
  // Where Didit's OpenAPI document disagrees with its import page (see the spec's x-unsettled).
  const TOKEN_REFUSED = fact(run, 'import-token-refused-status');
  const WRONG_APPLICATION = fact(run, 'import-wrong-application-status');
  const REPLAY_WORDING = fact(run, 'import-replay-wording');
  const KYC_SESSION_KIND = fact(run, 'import-kyc-session-kind');
  const SHARED_FROM = fact(run, 'import-shared-from-session');
  const FEATURE_REPORTS = fact(run, 'import-feature-reports');
  const SINGULAR_BLOCKS = ['id_verification', 'liveness', 'aml'];
  const PLURAL_REPORTS = ['id_verifications', 'liveness_checks', 'aml_screenings', 'face_matches'];
  // A well-formed request that no service would honour: the spec's example token and workflow.
  const EXAMPLE = firstExample(run.spec.document, OP, 'request') as { share_token: string; workflow_id: string };

  const importAs = (key: Variable | null, body: Record<string, unknown>) => importAsIn(run, key, body);
  const response = (exchange: Exchange, status: number, operation = OP) =>
    responseFindings(run.spec, operation, exchange, status);

  /** This run's first import when it created a session; else a skip naming why there is none and what to do. */
  async function freshImport(skip: CheckContext['skip']): Promise<Extract<FirstImport, { ok: true }>> {
    const first = await firstImport(run, LANES.user);
    if (first.ok && SUCCESS.accepts(first.exchange.status)) return first;
    if (!first.ok && first.exchange && refusalOf(first.exchange) === 'already-imported')
      return skip(`no session left to import this run: ${whatToDo(run, LANES.user, first.notes)}`);
    return skip('no fresh import this run (the import failed: see import.success)');
  }

  check(
    'import.success',
    {
      operation: OP,
      rule: 'the documented import answer for a fresh share token (status: an unsettled fact)',
      needs: ROUND_TRIP,
      // The state's session (share, import), then the configured one (share, import, trust_review again).
      requests: 6,
    },
    async ({ observe, skip }) => {
      const first = await firstImport(run, LANES.user);
      if (!first.ok && !first.exchange) {
        // The share minted for the import is a request of its own: if it fails where share.success did not, that is this check's finding.
        const minted = first.minted;
        if (!minted || minted.status === 200 || (await share(run, ASKED_TTL)).status !== 200)
          return skip('share did not mint a usable token to import (see share.success)');
        return observe(...response(minted, 200, 'shareSession'));
      }
      const exchange = first.exchange!;
      if (first.ok) observe(...staleState(LANES.user, first));
      if (!first.ok && exchange.status === REFUSED && target.kind !== 'prism') {
        const refusal = refusalOf(exchange);
        // A run after an earlier one, without the state it left, finds the session already imported: documented, not drift.
        if (refusal === 'already-imported') {
          observe({
            kind: 'status',
            severity: 'info',
            message: `import answered 403 "already imported", documented when an earlier run imported this session: the import was not verified this run (${evidence(exchange)})`,
          });
          return skip(`already imported by an earlier run (403): ${whatToDo(run, LANES.user, first.notes)}`);
        }
        if (refusal === 'unknown') {
          observe({
            kind: 'status',
            severity: 'info',
            message: `import answered 403 with a body that names no documented cause (${evidence(exchange)})`,
          });
          return skip(
            'a 403 whose body names no cause: cannot tell an earlier import from a refusal; read the evidence, or share a session not imported yet',
          );
        }
      }
      // A success status outside the candidates is one finding (the fact's), not a second "expected 201".
      if (exchange.status >= 200 && exchange.status < 300)
        observe(...SUCCESS.judge(exchange.status, evidence(exchange)));
      if (SUCCESS.accepts(exchange.status)) observe(...response(exchange, exchange.status));
      else if (exchange.status >= 300) observe(...response(exchange, Number(SUCCESS.accepted[0])));
    },
  );

  check(
    'import.copy',
    {
      operation: OP,
      rule: 'the copy carries the partner workflow, and the session kind and shared_from_session where it carries them (unsettled facts)',
      live: true,
      needs: ROUND_TRIP,
    },
    async ({ env, observe, skip }) => {
      const { token, body, exchange, source } = await freshImport(skip);
      const same = (field: string, expected: unknown): Observed[] =>
        mismatch('value', `/${field}`, `imported ${field}`, expected, body[field]);
      const has = (field: string) => Object.hasOwn(body, field);
      const kind = decodeToken(token)?.claims.session_kind ?? 'user';
      const reports = [SINGULAR_BLOCKS.some(has) && 'singular', PLURAL_REPORTS.some(has) && 'plural'].filter(Boolean);
      observe(
        ...same('workflow_id', env('DIDIT_PARTNER_WORKFLOW_ID')),
        // A KYC copy carries session_kind (the import page) or not (Didit's OpenAPI document); present, it is the token's kind.
        ...(kind === 'user'
          ? KYC_SESSION_KIND.judge(has('session_kind') ? 'present' : 'absent', evidence(exchange))
          : []),
        ...(has('session_kind') || kind !== 'user' ? same('session_kind', kind) : []),
        // The copy's shared_from_session points at the original session (the import page), or is absent (Didit's OpenAPI document).
        ...SHARED_FROM.judge(has('shared_from_session') ? 'present' : 'absent', evidence(exchange)),
        ...(has('shared_from_session') ? same('shared_from_session', source.sessionId) : []),
        // Feature reports as V3 arrays or V2 blocks; an answer with neither (the import page's fields only) cannot tell.
        ...(kind === 'user' && reports.length > 0
          ? FEATURE_REPORTS.judge(reports.join(' and '), evidence(exchange))
          : []),
      );
    },
  );

  check(
    'import.trust-review-default',
    {
      operation: OP,
      rule: 'with trust_review omitted (or false), the copy lands In Review',
      live: true,
      needs: ROUND_TRIP,
    },
    async ({ observe, skip }) => {
      const first = await freshImport(skip);
      const refused = first.trustReviewRefused;
      observe(...TRUST_REVIEW.judge(refused ? 'required' : 'optional', evidence(refused ?? first.exchange)));
      // Omitted (or false, where the service demands it), the copy lands In Review.
      if (first.body.status !== 'In Review') {
        observe({
          kind: 'value',
          severity: 'breaking',
          pointer: '/status',
          message: `imported status is ${brief(first.body.status)} with trust_review ${refused ? 'false' : 'omitted'}, expected "In Review"`,
          expected: 'In Review',
          actual: boundedCopy(first.body.status),
        });
      }
    },
  );

  check(
    'import.vendor-data-omitted',
    {
      operation: OP,
      rule: "with vendor_data omitted, the copy's vendor_data is a documented candidate",
      live: true,
      needs: ROUND_TRIP,
    },
    async ({ observe, skip }) => {
      const { body, exchange } = await freshImport(skip);
      const value =
        body.vendor_data === null
          ? 'null'
          : typeof body.vendor_data === 'string'
            ? 'inherited'
            : brief(body.vendor_data);
      // null cannot tell "null" from inheriting a source session that has no vendor_data: reported, not pinned.
      observe(...VENDOR_DATA.judge(value, evidence(exchange)).filter((o) => value !== 'null' || !isNote(o)));
    },
  );

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

  // The hop (the next run's fresh session), the optional fields sent, and the KYB round trip.
  hopChecks(run, SUCCESS);
});
