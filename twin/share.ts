// POST /v3/session/{sessionId}/share/ once the key, privilege and session are settled: body
// validation, the finished-session and target-application rules, and minting the HS256 token.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { targetRefusal, unfinishedRefusal } from './dialect-responses.js';
import type { Dialect } from './dialects.js';
import { detail, FieldReader, notAnObject, parseInteger, parseUuid, type Reply } from './drf.js';
import type { MutantId } from './mutants.js';
import { undocumentedField } from './spec-rules.js';
import { type ApiKey, FINISHED_STATUSES, type Session, type World } from './world.js';

export type Has = (mutant: MutantId) => boolean;

export interface ShareBody {
  forApplicationId: string | undefined;
  ttl: number | undefined;
}

export const DEFAULT_TTL = 3600;
export const MIN_TTL = 60;
export const MAX_TTL = 86400;
/** What the bound mutants turn the documented range into: a minimum raised, a maximum quietly lowered. */
const RAISED_MIN_TTL = 120;
const LOWERED_MAX_TTL = 43200;

/** The serializer: every field error at once, as DRF does. */
export function readShareBody(data: unknown, has: Has): { body: ShareBody } | { reply: Reply } {
  const wrongShape = notAnObject(data);
  if (wrongShape) return { reply: wrongShape };
  const fields = new FieldReader(data as Record<string, unknown>);
  const forApplicationId = fields.read('for_application_id', parseUuid, !has('rule-missing-for-application-accepted'));
  const ttl = fields.read(
    'ttl_in_seconds',
    (v) =>
      parseInteger(v, {
        min: has('rule-ttl-below-minimum-accepted')
          ? undefined
          : has('rule-ttl-minimum-raised')
            ? RAISED_MIN_TTL
            : MIN_TTL,
        max: has('rule-ttl-above-maximum-accepted') ? undefined : MAX_TTL,
        truncateFractions: has('rule-non-integer-ttl-accepted'),
      }),
    false,
  );
  if (fields.failed)
    return {
      reply: {
        status: 400,
        body: has('share-error-body-reshaped') ? { error: 'Invalid request body.' } : fields.errors,
      },
    };
  return { body: { forApplicationId, ttl } };
}

export async function share(
  world: World,
  caller: ApiKey,
  session: Session,
  body: ShareBody,
  has: Has,
  dialect: Dialect,
): Promise<Reply> {
  if (!FINISHED_STATUSES.includes(session.status) && !has('rule-unfinished-session-shareable')) {
    return unfinishedRefusal(dialect);
  }
  // A product rule some accounts may have (not drift): the twin's `shareCopies: false`.
  if (session.sharedFrom !== undefined && !world.shareCopies) {
    return detail(403, 'An imported session cannot be shared again.');
  }
  const target = body.forApplicationId === undefined ? undefined : world.applications.get(body.forApplicationId);
  if (body.forApplicationId !== undefined) {
    if (target === undefined || target.deleted) return targetRefusal(dialect, 'missing');
    if (target.id === caller.applicationId && !has('rule-own-application-accepted')) {
      return targetRefusal(dialect, 'same');
    }
  }

  const asked = has('token-ignores-requested-ttl')
    ? DEFAULT_TTL
    : (body.ttl ?? (has('token-default-ttl-7200') ? 7200 : DEFAULT_TTL));
  const ttl = has('token-maximum-ttl-lowered') ? Math.min(asked, LOWERED_MAX_TTL) : asked;
  const now = Math.floor(Date.now() / 1000);
  const iat = has('token-iat-in-future') ? now + 86400 : now;
  const otherKind = session.kind === 'user' ? 'business' : 'user';
  const claims = {
    session_id: has('token-session-id-wrong') ? randomUUID() : session.id,
    session_kind: has('token-session-kind-mismatch') ? otherKind : session.kind,
    from_application_id: caller.applicationId,
    for_application_id: has('token-for-application-id-wrong') ? caller.applicationId : (target?.id ?? null),
    iat,
    exp: iat + ttl,
  };
  let token = await new SignJWT(claims)
    .setProtectedHeader({ alg: has('token-alg-hs512') ? 'HS512' : 'HS256', typ: 'JWT' })
    .sign(world.secret);
  if (has('token-not-three-parts')) token = token.split('.').slice(0, 2).join('.');

  const response: Record<string, unknown> = {};
  response[has('share-renames-share-token') ? 'token' : 'share_token'] = token;
  response.for_application_id = has('share-for-application-id-as-integer')
    ? (target?.pk ?? null)
    : has('share-echoes-wrong-application')
      ? caller.applicationId
      : (target?.id ?? null);
  if (!has('share-drops-session-kind')) {
    response.session_kind = has('share-session-kind-company') && session.kind === 'business' ? 'company' : session.kind;
  }
  if (has('share-adds-undocumented-field'))
    response[undocumentedField('share')] = new Date(claims.exp * 1000).toISOString();
  return {
    status: 200,
    body: response,
    ...(has('share-content-type-text-plain') ? { contentType: 'text/plain; charset=utf-8' } : {}),
  };
}
