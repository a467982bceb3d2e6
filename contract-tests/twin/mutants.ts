// The catalogue of drift mutants of the twin. Each one changes exactly one documented behaviour of
// the twin (`startTwin({ mutant: id })`); the live drift suite run against a mutant must exit 1 and
// report a finding of `expectedSeverity` that matches `expect`.

export type MutantCategory = 'schema' | 'token' | 'rule' | 'auth' | 'import';
export type MutantSeverity = 'breaking' | 'non-breaking' | 'info';

export interface Mutant {
  /** kebab-case, unique */
  id: string;
  category: MutantCategory;
  /** The operation whose exchange shows the drift. */
  operation: 'shareSession' | 'importSharedSession';
  /** What the mutated twin does differently. */
  description: string;
  /** In plain words, what a contract check should observe. */
  expect: string;
  expectedSeverity: MutantSeverity;
}

const share = 'shareSession' as const;
const imp = 'importSharedSession' as const;
const B = 'breaking' as const;

export const MUTANTS = [
  // ── schema drift ────────────────────────────────────────────────────────────────────────────
  { id: 'share-drops-session-kind', category: 'schema', operation: share, expectedSeverity: B,
    description: 'The share 200 body no longer carries session_kind.',
    expect: 'share 200 body lacks the required session_kind' },
  { id: 'share-renames-share-token', category: 'schema', operation: share, expectedSeverity: B,
    description: 'The share 200 body names the token `token` instead of `share_token`.',
    expect: 'share 200 body lacks the required share_token (an undocumented `token` field appears)' },
  { id: 'share-for-application-id-as-integer', category: 'schema', operation: share, expectedSeverity: B,
    description: 'The share 200 body echoes for_application_id as the application\'s integer primary key.',
    expect: 'share 200 for_application_id is an integer, not a UUID string (and does not echo the request)' },
  { id: 'share-session-kind-company', category: 'schema', operation: share, expectedSeverity: B,
    description: 'For a KYB session the share 200 body says session_kind "company" instead of "business" (the token claim still says business).',
    expect: 'share 200 session_kind "company" is not one of the enum values user|business (only visible when sharing the business session)' },
  { id: 'share-content-type-text-plain', category: 'schema', operation: share, expectedSeverity: B,
    description: 'The share 200 response is sent as text/plain (the body is still the same JSON text).',
    expect: 'share 200 content-type is text/plain, not application/json' },
  { id: 'share-adds-undocumented-field', category: 'schema', operation: share, expectedSeverity: 'non-breaking',
    description: 'The share 200 body carries an extra, undocumented `expires_at` field; everything documented is intact.',
    expect: 'share 200 body has an undocumented property expires_at: a non-breaking finding (no breaking finding, so exit code 0)' },
  { id: 'share-error-body-reshaped', category: 'schema', operation: share, expectedSeverity: 'info',
    description: 'A 400 on share carries {"error": "..."} instead of DRF field errors or {detail}: the body shape the spec only assumes.',
    expect: 'the share 400 body matches neither assumed DRF shape: an info finding (an x-assumption refuted), exit code 0' },
  { id: 'share-echoes-wrong-application', category: 'rule', operation: share, expectedSeverity: B,
    description: 'The share 200 body echoes the calling application as for_application_id (a valid UUID, not the target); the token is right.',
    expect: 'share 200 for_application_id does not echo the requested target application' },
  { id: 'import-drops-expires-at', category: 'schema', operation: imp, expectedSeverity: B,
    description: 'The import success body no longer carries expires_at.',
    expect: 'import 201 body lacks the required expires_at' },
  { id: 'import-answers-200', category: 'schema', operation: imp, expectedSeverity: B,
    description: 'A successful import is answered 200 instead of 201 (same body).',
    expect: 'import success status is 200, the spec says 201' },
  // ── token-claim drift ───────────────────────────────────────────────────────────────────────
  { id: 'token-alg-hs512', category: 'token', operation: share, expectedSeverity: B,
    description: 'Share tokens are signed with HS512 (header alg "HS512"); the twin still redeems them.',
    expect: 'share token header alg is HS512, not HS256' },
  { id: 'token-ignores-requested-ttl', category: 'token', operation: share, expectedSeverity: B,
    description: 'exp - iat is always 3600, whatever ttl_in_seconds asks for (as in the source document\'s example).',
    expect: 'token exp - iat is 3600 when ttl_in_seconds was e.g. 7200' },
  { id: 'token-default-ttl-7200', category: 'token', operation: share, expectedSeverity: B,
    description: 'Without ttl_in_seconds the token lives 7200 s instead of the documented default 3600 (an explicit TTL is honoured).',
    expect: 'token exp - iat is 7200 when ttl_in_seconds was omitted (documented default 3600)' },
  { id: 'token-session-id-wrong', category: 'token', operation: share, expectedSeverity: B,
    description: 'The session_id claim is a random UUID, not the session shared.',
    expect: 'token session_id claim differs from the sessionId in the path' },
  { id: 'token-for-application-id-wrong', category: 'token', operation: share, expectedSeverity: B,
    description: 'The for_application_id claim is the calling application (from == for); the response body still echoes the requested target.',
    expect: 'token for_application_id claim differs from the requested for_application_id' },
  { id: 'token-session-kind-mismatch', category: 'token', operation: share, expectedSeverity: B,
    description: 'The session_kind claim is the other kind ("business" for a user session); the response body is right.',
    expect: 'token session_kind claim disagrees with the response session_kind' },
  { id: 'token-iat-in-future', category: 'token', operation: share, expectedSeverity: B,
    description: 'iat is one day in the future (exp = iat + ttl, so exp - iat is still the TTL).',
    expect: 'token iat is about 86400 s away from now' },
  { id: 'token-not-three-parts', category: 'token', operation: share, expectedSeverity: B,
    description: 'The share token is sent without its signature part ("header.payload").',
    expect: 'share_token is not a compact JWT of three base64url parts (fails the ShareToken pattern)' },
  // ── documented rules no longer enforced ─────────────────────────────────────────────────────
  { id: 'rule-ttl-below-minimum-accepted', category: 'rule', operation: share, expectedSeverity: B,
    description: 'ttl_in_seconds below 60 is accepted (the minimum check is gone).',
    expect: 'share with ttl_in_seconds 59 answers 200 instead of 400' },
  { id: 'rule-ttl-above-maximum-accepted', category: 'rule', operation: share, expectedSeverity: B,
    description: 'ttl_in_seconds above 86400 is accepted (the maximum check is gone).',
    expect: 'share with ttl_in_seconds 86401 answers 200 instead of 400' },
  { id: 'rule-non-integer-ttl-accepted', category: 'rule', operation: share, expectedSeverity: B,
    description: 'A non-integer ttl_in_seconds such as 90.5 is accepted (truncated).',
    expect: 'share with ttl_in_seconds 90.5 answers 200 instead of 400' },
  { id: 'rule-unfinished-session-shareable', category: 'rule', operation: share, expectedSeverity: B,
    description: 'A session that is not Approved, Declined or In Review can be shared.',
    expect: 'share of the unfinished session answers 200 instead of 400' },
  { id: 'rule-own-application-accepted', category: 'rule', operation: share, expectedSeverity: B,
    description: 'Sharing with the calling application itself is accepted.',
    expect: 'share with for_application_id = the caller\'s own application (the token\'s from_application_id) answers 200 instead of 400' },
  { id: 'rule-missing-for-application-accepted', category: 'rule', operation: share, expectedSeverity: B,
    description: 'A body without for_application_id is accepted (the token and the echo carry null).',
    expect: 'share without for_application_id answers 200 instead of 400' },
  // ── auth drift ──────────────────────────────────────────────────────────────────────────────
  { id: 'auth-missing-key-403', category: 'auth', operation: share, expectedSeverity: B,
    description: 'A request without x-api-key, on either endpoint, is answered 403 instead of 401 (DRF without an authenticate header; invalid keys still get 401).',
    expect: 'share without x-api-key answers 403, not 401' },
  { id: 'auth-readonly-key-can-share', category: 'auth', operation: share, expectedSeverity: B,
    description: 'A key without write:sessions may mint share tokens.',
    expect: 'share with the read-only key answers 200 instead of 403' },
  { id: 'auth-unknown-session-403', category: 'auth', operation: share, expectedSeverity: B,
    description: 'An unknown session (well-formed UUID) is answered 403 instead of 404.',
    expect: 'share of an unknown session UUID answers 403, not 404' },
  { id: 'auth-body-checked-before-key', category: 'auth', operation: share, expectedSeverity: B,
    description: 'The body is validated before the key: a request without key and with an invalid body gets 400 (without key and with a valid body it still gets 401).',
    expect: 'share without x-api-key and with an invalid body answers 400, not 401' },
  // ── import drift ────────────────────────────────────────────────────────────────────────────
  { id: 'import-tampered-token-accepted', category: 'import', operation: imp, expectedSeverity: B,
    description: 'The share token\'s signature is not verified on import (expiry still is).',
    expect: 'import of a token with a modified payload and the old signature answers 201 instead of 401' },
  { id: 'import-replay-accepted', category: 'import', operation: imp, expectedSeverity: B,
    description: 'A session can be imported again into the same application.',
    expect: 'a second import of the same session by the same application answers 201 instead of 403' },
  { id: 'import-trust-review-ignored', category: 'import', operation: imp, expectedSeverity: B,
    description: 'The copy always keeps the original status: trust_review false lands Approved instead of In Review.',
    expect: 'import with trust_review false (or omitted) returns status "Approved", not "In Review"' },
  { id: 'import-wrong-application-accepted', category: 'import', operation: imp, expectedSeverity: B,
    description: 'The token\'s for_application_id is not checked against the importing application.',
    expect: 'import with the sharing application\'s key of a token minted for the partner is not answered 403 (it falls through to 404 workflow not found, or 201 with a workflow of the caller)' },
] as const satisfies readonly Mutant[];

export type MutantId = (typeof MUTANTS)[number]['id'];

export const MUTANT_IDS: readonly MutantId[] = MUTANTS.map((m) => m.id);

export function isMutantId(id: string): id is MutantId {
  return (MUTANT_IDS as readonly string[]).includes(id);
}

export function findMutant(id: string): Mutant | undefined {
  return MUTANTS.find((m) => m.id === id);
}
