// The tests' fixtures, taken from the spec's own examples: one source for ids, claims and bodies,
// so a test, the bench and an example never paste a UUID that the spec could change under them.
import { loadSpec, type JsonObject } from '../spec-kit/spec.js';
import { firstExample, operationById } from '../spec-kit/spec-examples.js';

const spec = loadSpec();

/** The share request's path parameter example: the session shared. */
export const SESSION_ID = (operationById(spec, 'shareSession').parameters as JsonObject[]).find(
  (p) => p.name === 'sessionId',
)!.example as string;

/** The share request's example: the application the session is shared with, and a TTL. */
export const SHARE_REQUEST = firstExample(spec, 'shareSession', 'request') as {
  for_application_id: string;
  ttl_in_seconds: number;
};
export const APP_ID = SHARE_REQUEST.for_application_id;

/** The share 200 example: a token whose claims match the request (exp - iat = 7200). */
export const SHARE_OK = firstExample(spec, 'shareSession', 200) as {
  share_token: string;
  for_application_id: string;
  session_kind: 'user' | 'business';
};
export const TOKEN = SHARE_OK.share_token;

/** The ShareTokenClaims example: the payload of TOKEN. */
export const CLAIMS = (spec.components.schemas.ShareTokenClaims!.examples as JsonObject[])[0] as {
  session_id: string;
  session_kind: 'user' | 'business';
  from_application_id: string;
  for_application_id: string;
  iat: number;
  exp: number;
};

/** The import request's example: the partner's workflow the copy lands in. */
export const IMPORT_REQUEST = firstExample(spec, 'importSharedSession', 'request') as {
  share_token: string;
  workflow_id: string;
  vendor_data: string;
  trust_review: boolean;
};
export const WORKFLOW_ID = IMPORT_REQUEST.workflow_id;

/** The import success example (201): the copy of SESSION_ID, In Review. */
export const IMPORT_OK = firstExample(spec, 'importSharedSession', 201);

/** An API key of the right shape; not in the spec, which never shows one. */
export const API_KEY = 'test_key_5fd1c2a7e9b04b1c8e3f';
