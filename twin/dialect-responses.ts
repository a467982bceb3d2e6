// What a dialect changes in the twin's responses: keyless statuses per operation, the refusals' status,
// shape and words, and the form of a KYC import's response (V3 as the pages say, V2 as Didit's OpenAPI
// document says). The views (share.ts, import-shared.ts, server.ts) ask here rather than branch.
import type { Dialect } from './dialects.js';
import { detail, fieldError, type Reply } from './drf.js';

const openapi = (dialect: Dialect) => dialect.refusals === 'openapi';

/** The status of a keyless request on an operation. */
export const keylessStatus = (dialect: Dialect, operation: 'share' | 'import'): 401 | 403 =>
  operation === 'import' ? (dialect.importKeylessStatus ?? dialect.keylessStatus) : dialect.keylessStatus;

/** The 401 message for a request without a (valid) key. */
export const unauthenticatedMessage = (dialect: Dialect, missing: boolean): string =>
  openapi(dialect)
    ? 'Authentication credentials were not provided or are invalid.'
    : missing
      ? 'Authentication credentials were not provided.'
      : 'Invalid API key.';

export type TokenRefusal = 'invalid' | 'wrong-application' | 'original-missing';

const PAGES: Record<TokenRefusal, Reply> = {
  invalid: detail(401, 'Invalid or expired share token.'),
  'wrong-application': detail(403, 'This share token is not intended for your application.'),
  'original-missing': detail(404, 'The original session no longer exists.'),
};
const OPENAPI: Record<TokenRefusal, string> = {
  invalid: 'Invalid share token.',
  'wrong-application': 'This token is not valid for this application.',
  'original-missing': 'Original session does not exist.',
};

/** An import refused for its token: the import page's 401/403/404, or 400 under `share_token`. */
export const tokenRefusal = (dialect: Dialect, why: TokenRefusal): Reply =>
  openapi(dialect) ? fieldError('share_token', OPENAPI[why]) : PAGES[why];

export const replayRefusal = (dialect: Dialect): Reply =>
  detail(
    403,
    openapi(dialect)
      ? 'This session has already been shared with your application.'
      : 'This session has already been imported.',
  );

export const workflowRefusal = (dialect: Dialect): Reply =>
  detail(404, openapi(dialect) ? 'Workflow does not exist for this application.' : 'Workflow not found.');

export function unfinishedRefusal(dialect: Dialect): Reply {
  if (!openapi(dialect)) return detail(400, 'Only finished sessions (Approved, Declined, In Review) can be shared.');
  return {
    status: 400,
    body: { detail: ['Only finished sessions ("Approved", "Declined", "In Review") can be shared.'] },
  };
}

export const targetRefusal = (dialect: Dialect, why: 'missing' | 'same'): Reply =>
  fieldError(
    'for_application_id',
    why === 'missing'
      ? openapi(dialect)
        ? 'Target application does not exist.'
        : 'Application not found.'
      : openapi(dialect)
        ? 'Cannot share a session with the same application.'
        : 'You cannot share a session with your own application.',
  );

// The V2 decision payload's singular blocks Didit's OpenAPI document names, from the V3 arrays.
const V2_BLOCKS: Array<[block: string, reports: string]> = [
  ['id_verification', 'id_verifications'],
  ['liveness', 'liveness_checks'],
  ['aml', 'aml_screenings'],
];
const V3_REPORTS = /_(verifications|checks|matches|documents|screenings|analyses|validations|responses)$/;

/** The import's response in the dialect's form: a KYC copy as V2 drops session_kind, shared_from_session and the arrays. */
export function importResponse(dialect: Dialect, body: Record<string, unknown>): Record<string, unknown> {
  if (dialect.kycPayload !== 'v2' || body.session_kind !== 'user') return body;
  const { session_kind: _kind, shared_from_session: _from, ...rest } = body;
  if (!dialect.decisionPayload) return rest;
  const v2 = Object.fromEntries(Object.entries(rest).filter(([key]) => !V3_REPORTS.test(key)));
  for (const [block, reports] of V2_BLOCKS) v2[block] = (rest[reports] as unknown[] | undefined)?.[0] ?? null;
  return v2;
}
