// The tests' fixtures, taken from the spec's own examples: one source for ids, claims and bodies,
// so a test, the bench and an example never paste a UUID that the spec could change under them.
import type { components } from '../generated/schema.js';
import { type JsonObject, loadSpec } from '../spec-kit/spec.js';
import { firstExample, operationById } from '../spec-kit/spec-examples.js';
import { undocumentedField } from '../twin/spec-rules.js';

const spec = loadSpec();
/** The generated types: a fixture is typed as the spec types it, so a documented field needs no edit here. */
type Schemas = components['schemas'];

/** The share request's path parameter example: the session shared. */
export const SESSION_ID = (operationById(spec, 'shareSession').parameters as JsonObject[]).find(
  (p) => p.name === 'sessionId',
)!.example as string;

/** The share request's example: the application the session is shared with, and a TTL. */
export const SHARE_REQUEST = firstExample(spec, 'shareSession', 'request') as Schemas['ShareSessionRequest'] & {
  ttl_in_seconds: number;
};
export const APP_ID = SHARE_REQUEST.for_application_id;

/** The share 200 example: a token whose claims match the request (exp - iat = 7200). */
export const SHARE_OK = firstExample(spec, 'shareSession', 200) as Schemas['ShareSessionResponse'];
export const TOKEN = SHARE_OK.share_token;

/** The ShareTokenClaims example: the payload of TOKEN. */
export const CLAIMS = (
  spec.components.schemas.ShareTokenClaims!.examples as JsonObject[]
)[0] as Schemas['ShareTokenClaims'] & {
  session_kind: Schemas['SessionKind'];
};

/** The import request's example: the partner's workflow the copy lands in. */
export const IMPORT_REQUEST = firstExample(
  spec,
  'importSharedSession',
  'request',
) as Schemas['ImportSharedSessionRequest'] & {
  vendor_data: string;
  trust_review: boolean;
};
export const WORKFLOW_ID = IMPORT_REQUEST.workflow_id;

/** The import success example (201): the copy of SESSION_ID, In Review. */
export const IMPORT_OK = firstExample(spec, 'importSharedSession', 201);

/** An API key of the right shape; not in the spec, which never shows one. */
export const API_KEY = 'test_key_5fd1c2a7e9b04b1c8e3f';

/** A field the share answer's schema does not document (derived from the spec, so a documented `expires_at` moves it). */
export const UNDOCUMENTED_SHARE_FIELD = undocumentedField('share');
/** A field the import answer's schema does not document. */
export const UNDOCUMENTED_IMPORT_FIELD = undocumentedField('import', 'risk_score');
