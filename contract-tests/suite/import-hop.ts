// The checks of the hop (suite/sources.ts) and of the KYB round trip, registered by import.contract.ts
// in its run (one run: one first import per kind, one ledger, one writer of the state file).
// The hop back sends the import's optional fields, so each is seen sent as well as omitted (the
// first import): vendor_data comes back as sent, trust_review true keeps the copied session's status.
import type { Exchange } from '../../http-kit/exchange.js';
import { type CheckContext, check } from './check.js';
import { type Fact, fact } from './facts.js';
import { evidence, type Observed } from './findings.js';
import { refusalOf } from './refusals.js';
import { responseFindings } from './responses.js';
import type { Run } from './run.js';
import { firstImport, hop, LANES, type Lane, SENT_VENDOR_DATA, staleState, whatToDo } from './sources.js';
import type { Variable } from './target.js';
import { mismatch } from './verdicts.js';

const OP = 'importSharedSession';
// One after another at most: the first import (the state's session, then the configured one, up to 5),
// then the share back and the import back.
const HOP_REQUESTS = 7;

const needsOf = (lane: Lane): Variable[] =>
  lane.kind === 'user'
    ? ['DIDIT_PARTNER_API_KEY', 'DIDIT_PARTNER_WORKFLOW_ID', lane.ownWorkflow]
    : ['DIDIT_PARTNER_API_KEY', lane.session, lane.partnerWorkflow];

export function hopChecks(run: Run, SUCCESS: Fact): void {
  const response = (exchange: Exchange) =>
    responseFindings(
      run.spec,
      OP,
      exchange,
      SUCCESS.accepts(exchange.status) ? exchange.status : Number(SUCCESS.accepted[0]),
    );
  // Fields Didit's sources disagree on (unsettled facts): an answer may leave them out, held to the
  // fact (import.copy reports which candidate the service chose).
  const mayLeaveOut = (kind: Lane['kind']): Record<string, Fact> => ({
    shared_from_session: fact(run, 'import-shared-from-session'),
    ...(kind === 'user' ? { session_kind: fact(run, 'import-kyc-session-kind') } : {}),
  });
  /** An import answer as the spec has it: the status (one finding: the fact's), the body and its bound values. */
  const judged = (exchange: Exchange, expected: Record<string, unknown>, kind: Lane['kind']): Observed[] => {
    const body = (exchange.json ?? {}) as Record<string, unknown>;
    const unsettled = mayLeaveOut(kind);
    // A success status outside the candidates is one finding (the fact's), not a second "expected 201".
    const schema = exchange.status < 300 && !SUCCESS.accepts(exchange.status) ? [] : response(exchange);
    const reported = (field: string) => schema.some((o) => 'pointer' in o && o.pointer === `/${field}`);
    return [
      ...(exchange.status < 300 ? SUCCESS.judge(exchange.status, evidence(exchange)) : []),
      ...schema,
      ...(exchange.status < 300
        ? Object.entries(expected).flatMap(([field, value]) =>
            reported(field)
              ? []
              : unsettled[field] && !Object.hasOwn(body, field)
                ? unsettled[field].judge('absent', evidence(exchange), { report: false })
                : mismatch('value', `/${field}`, `imported ${field}`, value, body[field]),
          )
        : []),
    ];
  };
  const hopped = async (lane: Lane, skip: CheckContext['skip']) => {
    const done = await hop(run, lane);
    return done.ok ? done : skip(done.why);
  };

  for (const lane of [LANES.user, LANES.business]) {
    if (lane.kind === 'business') {
      // The KYB round trip's first import: the answer carries session_kind "business" (Didit's OpenAPI document).
      check(
        'import.business',
        {
          operation: OP,
          rule: 'a KYB session imported into a KYB workflow: the documented answer, session_kind "business"',
          live: true,
          needs: needsOf(lane),
          requests: 6,
        },
        async ({ env, observe, skip }) => {
          const first = await firstImport(run, lane);
          if (!first.ok) {
            const refusal = first.exchange?.status === 403 ? refusalOf(first.exchange) : undefined;
            if (refusal === 'already-imported')
              return skip(`already imported by an earlier run (403): ${whatToDo(run, lane, first.notes)}`);
            if (refusal === 'unknown')
              return skip(
                `a 403 whose body names no cause: cannot tell an earlier import from a refusal (${evidence(first.exchange!)})`,
              );
            if (!first.exchange)
              return skip('share did not mint a usable token for the KYB session (see share.business)');
          }
          const exchange = first.ok ? first.exchange : first.exchange!;
          if (first.ok) observe(...staleState(lane, first));
          observe(
            ...judged(
              exchange,
              {
                session_kind: 'business',
                workflow_id: env(lane.partnerWorkflow),
                ...(first.ok ? { shared_from_session: first.source.sessionId } : {}),
              },
              lane.kind,
            ),
          );
        },
      );
    }

    const hopNeeds = [...needsOf(lane), lane.ownWorkflow].filter((v, i, all) => all.indexOf(v) === i);
    check(
      lane.kind === 'user' ? 'import.hop' : 'import.business.hop',
      {
        operation: OP,
        rule: "the partner's copy, shared back, imports into the sharing application's own workflow (the next run's fresh session)",
        live: true,
        needs: hopNeeds,
        requests: HOP_REQUESTS,
      },
      async ({ env, observe, skip }) => {
        const { copy, exchange } = await hopped(lane, skip);
        observe(
          ...judged(
            exchange,
            {
              session_kind: lane.kind,
              workflow_id: env(lane.ownWorkflow),
              shared_from_session: copy.sessionId,
            },
            lane.kind,
          ),
        );
      },
    );

    if (lane.kind === 'business') continue;
    check(
      'import.trust-review-kept',
      {
        operation: OP,
        rule: "trust_review true keeps the copied session's status",
        live: true,
        needs: hopNeeds,
        requests: HOP_REQUESTS,
      },
      async ({ observe, skip }) => {
        const { copy, exchange, body } = await hopped(lane, skip);
        if (exchange.status >= 300) return skip('the hop back was refused: see import.hop');
        observe(
          ...mismatch('value', '/status', 'status imported with trust_review true', copy.status, body.status).map(
            (o) => ({
              ...o,
              message: `${o.message} (the status of the copy imported, ${copy.sessionId}): trust_review true keeps the source's status`,
            }),
          ),
        );
      },
    );
    check(
      'import.vendor-data-sent',
      {
        operation: OP,
        rule: 'vendor_data sent with an import comes back as sent',
        live: true,
        needs: hopNeeds,
        requests: HOP_REQUESTS,
      },
      async ({ observe, skip }) => {
        const { exchange, body } = await hopped(lane, skip);
        if (exchange.status >= 300) return skip('the hop back was refused: see import.hop');
        observe(
          ...mismatch('value', '/vendor_data', 'vendor_data sent with the import', SENT_VENDOR_DATA, body.vendor_data),
        );
      },
    );
  }
}
