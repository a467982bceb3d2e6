// importSharedSession: the round trip (share, then import as the partner) runs only when the user
// opted in with the partner's key and workflow, since an import creates data and may be billed.
// A 403 or 402 is read by its body before it is classified: only a body that says so is "already
// imported"; a balance, payment, allowlist or privilege refusal ends the run as "could not run".
// The refusals the import must make are in import-rejects.contract.ts, part of this lane.
import type { Exchange } from '../../http-kit/exchange.js';
import { decodeToken } from '../../http-kit/share-token.js';
import { type CheckContext, check, defineChecks } from './check.js';
import { fact } from './facts.js';
import { boundedCopy, brief, evidence, isNote, type Observed } from './findings.js';
import { hopChecks } from './import-hop.js';
import { importRejectChecks, ROUND_TRIP } from './import-rejects.contract.js';
import { refusalOf } from './refusals.js';
import { ASKED_TTL, share } from './requests.js';
import { responseFindings } from './responses.js';
import { type FirstImport, firstImport, LANES, staleState, whatToDo } from './sources.js';
import { mismatch } from './verdicts.js';

const OP = 'importSharedSession';
const REFUSED = 403;
export const importChecks = defineChecks((run) => {
  const { target } = run;
  const SUCCESS = fact(run, 'import-success-status');
  const TRUST_REVIEW = fact(run, 'import-trust-review-required');
  const VENDOR_DATA = fact(run, 'import-vendor-data-when-omitted');
  const KYC_SESSION_KIND = fact(run, 'import-kyc-session-kind');
  const SHARED_FROM = fact(run, 'import-shared-from-session');
  const FEATURE_REPORTS = fact(run, 'import-feature-reports');
  const SINGULAR_BLOCKS = ['id_verification', 'liveness', 'aml'];
  const PLURAL_REPORTS = ['id_verifications', 'liveness_checks', 'aml_screenings', 'face_matches'];

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

  // What the service must refuse (import-rejects.contract.ts), then the hop.
  importRejectChecks(run, freshImport);

  // The hop (the next run's fresh session), the optional fields sent, and the KYB round trip.
  hopChecks(run, SUCCESS);
});
