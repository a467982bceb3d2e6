// The documented rules of shareSession, one raw request each that the service must refuse (the client
// would refuse the invalid ones before sending). The bounds come from the spec (coverage.ts), so a spec
// change moves the probes with it.
import { randomUUID } from 'node:crypto';
import type { Exchange } from '../../http-kit/exchange.js';
import { tokenOf } from '../../http-kit/exchange.js';
import { sharePath } from '../../http-kit/paths.js';
import { decodeToken } from '../../http-kit/share-token.js';
import type { CheckContext } from './check.js';
import type { ShareRuleId } from './check-ids.js';
import { boundChecks, numericBounds } from './coverage.js';
import { fact } from './facts.js';
import { evidence, type Observed, type RunSpec } from './findings.js';
import { ASKED_TTL, send, share } from './requests.js';
import type { Run } from './run.js';
import type { Variable } from './target.js';

/** ttl_in_seconds as the spec bounds it. */
export const ttlOf = (spec: RunSpec) =>
  (
    spec.document.components.schemas.ShareSessionRequest!.properties as Record<
      string,
      { default: number; minimum: number; maximum: number }
    >
  ).ttl_in_seconds!;

type Env = (name: Variable) => string;

export interface Rule {
  /** The check is `share.rejects.<id>` (suite/check-ids.ts). */
  id: ShareRuleId;
  rule: string;
  status: number;
  live?: boolean;
  needs?: Variable[];
  send(env: Env, skip: CheckContext['skip']): Promise<Exchange>;
  /** What the refusal says of an unsettled fact, beyond its status and schema. */
  judge?(exchange: Exchange): Observed[];
}

/** A 400's `detail`: a string (DRF's request-level error) or a list (Didit's OpenAPI document, for an unfinished session). */
const detailShape = (exchange: Exchange) => {
  const detail = (exchange.json as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string'
    ? 'string'
    : Array.isArray(detail)
      ? 'array'
      : `no string or list (${typeof detail})`;
};

/** A share of DIDIT_SESSION_ID with DIDIT_FOR_APPLICATION_ID, the body patched and the key or session replaced. */
export const shareAs = (
  run: Run,
  env: Env,
  body: Record<string, unknown>,
  { key = env('DIDIT_API_KEY'), session = env('DIDIT_SESSION_ID') } = {},
) => send(run, sharePath(session), { key, body: { for_application_id: env('DIDIT_FOR_APPLICATION_ID'), ...body } });

export function rulesOf(run: Run): Rule[] {
  const TTL = ttlOf(run.spec);
  const unfinishedDetail = fact(run, 'share-unfinished-detail');
  const as = (env: Env, body: Record<string, unknown>, replace?: { key?: string; session?: string }) =>
    shareAs(run, env, body, replace);
  return [
    // Each documented bound, just outside it (the bound itself is accepted: share.contract.ts).
    ...numericBounds(run.spec, 'shareSession').map((b) => ({
      id: boundChecks(b).outside.slice('share.rejects.'.length) as ShareRuleId,
      rule: `${b.field} ${b.bound === 'minimum' ? '>=' : '<='} ${b.value}`,
      status: 400,
      send: (env: Env) => as(env, { [b.field]: b.outside }),
    })),
    {
      id: 'ttl-not-integer',
      rule: 'ttl_in_seconds is an integer',
      status: 400,
      send: (env) => as(env, { ttl_in_seconds: TTL.minimum + 0.5 }),
    },
    {
      id: 'for-application-id-not-uuid',
      rule: 'for_application_id is a UUID',
      status: 400,
      send: (env) => as(env, { for_application_id: 'not-a-uuid' }),
    },
    {
      id: 'for-application-id-missing',
      rule: 'for_application_id is required',
      status: 400,
      send: (env) => as(env, { for_application_id: undefined }),
    },
    {
      id: 'key-invalid',
      rule: 'an unknown API key is refused',
      status: 401,
      live: true,
      send: (env) => as(env, {}, { key: `invalid-${randomUUID()}` }),
    },
    {
      id: 'key-without-privilege',
      rule: 'sharing needs write:sessions',
      status: 403,
      live: true,
      needs: ['DIDIT_READONLY_API_KEY'],
      send: (env) => as(env, {}, { key: env('DIDIT_READONLY_API_KEY') }),
    },
    {
      id: 'session-unknown',
      rule: 'only sessions of the calling application',
      status: 404,
      live: true,
      send: (env) => as(env, {}, { session: randomUUID() }),
    },
    {
      id: 'session-unfinished',
      rule: 'only finished sessions (Approved, Declined, In Review)',
      status: 400,
      live: true,
      needs: ['DIDIT_UNFINISHED_SESSION_ID'],
      send: (env) => as(env, {}, { session: env('DIDIT_UNFINISHED_SESSION_ID') }),
      judge: (exchange) =>
        exchange.status === 400 ? unfinishedDetail.judge(detailShape(exchange), evidence(exchange)) : [],
    },
    {
      id: 'same-application',
      rule: 'for_application_id differs from the calling application',
      status: 400,
      live: true,
      // The calling application's id is only known from a token it minted (a random id would only test "unknown").
      send: async (env, skip) => {
        const own = decodeToken(tokenOf(await share(run, ASKED_TTL)))?.claims.from_application_id;
        return typeof own === 'string'
          ? as(env, { for_application_id: own })
          : skip('no token to learn the calling application from: see share.success');
      },
    },
  ];
}
