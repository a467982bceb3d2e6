// POST /v3/session/import-shared/ once the key and privilege are settled: body validation, the share
// token's signature and expiry, its audience, the once-per-receiver rule, and the copy itself.
import { randomUUID } from 'node:crypto';
import { decodeJwt, type JWTPayload, jwtVerify } from 'jose';
import { importResponse, replayRefusal, tokenRefusal, workflowRefusal } from './dialect-responses.js';
import { type Dialect, decisionFields } from './dialects.js';
import { detail, FieldReader, notAnObject, parseBoolean, parseString, parseUuid, type Reply } from './drf.js';
import type { Has } from './share.js';
import type { ApiKey, Session, SessionKind, World } from './world.js';

/** How long an imported copy stays open (not documented; a week, like the spec's example). */
const COPY_LIFETIME_MS = 7 * 86400 * 1000;

interface ShareClaims {
  session_id: string;
  /** Absent on tokens minted before the unified KYC/KYB rollout: treated as `user`. */
  session_kind: SessionKind;
  from_application_id: string;
  for_application_id: string;
}

async function readToken(world: World, token: string, has: Has): Promise<ShareClaims | undefined> {
  let payload: JWTPayload;
  try {
    if (has('import-tampered-token-accepted')) {
      payload = decodeJwt(token);
      if (typeof payload.exp !== 'number' || payload.exp <= Date.now() / 1000) return undefined;
    } else {
      const algorithms = has('token-alg-hs512') ? ['HS256', 'HS512'] : ['HS256'];
      ({ payload } = await jwtVerify(token, world.secret, { algorithms, requiredClaims: ['exp'] }));
    }
  } catch {
    return undefined;
  }
  const { session_id, session_kind, from_application_id, for_application_id } = payload;
  if (
    typeof session_id !== 'string' ||
    typeof from_application_id !== 'string' ||
    typeof for_application_id !== 'string'
  ) {
    return undefined;
  }
  if (session_kind !== undefined && session_kind !== 'user' && session_kind !== 'business') return undefined;
  return { session_id, session_kind: session_kind ?? 'user', from_application_id, for_application_id };
}

/** trust_review false (the default) lands the copy In Review; true keeps the original's status. */
function copyStatus(original: string, trustReview: boolean, has: Has): string {
  if (trustReview && has('import-trust-review-true-approves')) return 'Approved';
  return trustReview || has('import-trust-review-ignored') ? original : 'In Review';
}

/** Billing runs once the request is valid: the account-state mutants refuse every import there. */
function billingRefusal(has: Has): Reply | undefined {
  if (has('import-payment-required')) return detail(402, 'The check could not be paid for.');
  if (has('import-refused-for-balance')) {
    return { status: 403, body: { detail: 'Your balance cannot cover this call.', code: 'insufficient_balance' } };
  }
  return undefined;
}

export async function importShared(
  world: World,
  caller: ApiKey,
  data: unknown,
  has: Has,
  dialect: Dialect,
): Promise<Reply> {
  const wrongShape = notAnObject(data);
  if (wrongShape) return wrongShape;
  const fields = new FieldReader(data as Record<string, unknown>);
  const token = fields.read('share_token', parseString, true);
  const workflowId = fields.read('workflow_id', parseUuid, true);
  const vendorData = fields.read('vendor_data', parseString, false);
  const trustReview = fields.read('trust_review', parseBoolean, dialect.trustReviewRequired ?? false) ?? false;
  if (fields.failed || token === undefined || workflowId === undefined) return { status: 400, body: fields.errors };
  const refused = billingRefusal(has);
  if (refused) return refused;

  const claims = await readToken(world, token, has);
  if (!claims) return tokenRefusal(dialect, 'invalid');
  const ownWorkflow = (id: string) => world.workflows.get(id)?.applicationId === caller.applicationId;
  if (has('import-workflow-checked-first') && !ownWorkflow(workflowId)) return detail(404, 'Workflow not found.');
  if (claims.for_application_id !== caller.applicationId && !has('import-wrong-application-accepted')) {
    return tokenRefusal(dialect, 'wrong-application');
  }
  const importKey = `${claims.session_id} ${caller.applicationId}`;
  if (world.imports.has(importKey) && !has('import-replay-accepted')) {
    return replayRefusal(dialect);
  }
  const original = world.sessions.get(claims.session_id);
  if (!original || original.kind !== claims.session_kind || original.applicationId !== claims.from_application_id) {
    return tokenRefusal(dialect, 'original-missing');
  }
  const workflow = world.workflows.get(workflowId);
  if (!workflow || workflow.applicationId !== caller.applicationId || workflow.kind !== original.kind) {
    return workflowRefusal(dialect);
  }

  world.imports.add(importKey);
  const copy: Session = {
    id: randomUUID(),
    applicationId: caller.applicationId,
    kind: original.kind,
    status: copyStatus(original.status, trustReview, has),
    number: world.nextSessionNumber(caller.applicationId),
    sharedFrom: original.id,
  };
  world.sessions.set(copy.id, copy);
  const created = new Date();
  const body: Record<string, unknown> = {
    session_id: copy.id,
    session_kind: copy.kind,
    session_number: copy.number,
    session_url: null,
    status: copy.status,
    workflow_id: workflow.id,
    vendor_data: has('import-vendor-data-dropped') ? null : (vendorData ?? null),
    ...(dialect.decisionPayload ? decisionFields() : {}),
    created_at: created.toISOString(),
    expires_at: new Date(created.getTime() + COPY_LIFETIME_MS).toISOString(),
    shared_from_session: original.id,
  };
  if (has('import-drops-expires-at')) delete body.expires_at;
  if (has('import-shared-from-session-wrong')) body.shared_from_session = randomUUID();
  if (has('import-business-drops-session-kind') && copy.kind === 'business') delete body.session_kind;
  return { status: has('import-answers-202') ? 202 : dialect.importStatus, body: importResponse(dialect, body) };
}
