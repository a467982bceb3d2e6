// The catalogue of drift mutants of the twin. Each one changes exactly one documented behaviour of
// the twin (`startTwin({ mutant: id })`); the live drift suite run against a mutant must end as its
// record says: exit 1 with a breaking finding of `check`, exit 0 with a non-breaking or info one, a
// skipped `check` (the run cannot tell), or exit 2 (an account state, never drift).

export type MutantCategory = 'schema' | 'token' | 'rule' | 'auth' | 'import';
export type MutantSeverity = 'breaking' | 'non-breaking' | 'info';

/** How the drift run must end against the mutant, when not by a finding of `expectedSeverity`. */
export type MutantOutcome = { skipped: true } | { couldNotRun: string };

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
  /** The check that must report (or, for `skipped`, skip) it. */
  check: string;
  /** Set when the run must not end with a finding: the check skipped, or exit 2 with this text in `incomplete`. */
  outcome?: MutantOutcome;
  /** Variables left out of the drift run's environment (the configuration the mutant is about). */
  omitEnv?: readonly string[];
}

const share = 'shareSession' as const;
const imp = 'importSharedSession' as const;
const B = 'breaking' as const;

export const MUTANTS = [
  // ── schema drift ────────────────────────────────────────────────────────────────────────────
  {
    id: 'share-drops-session-kind',
    check: 'share.success',
    category: 'schema',
    operation: share,
    expectedSeverity: B,
    description: 'The share 200 body no longer carries session_kind.',
    expect: 'share 200 body lacks the required session_kind',
  },
  {
    id: 'share-renames-share-token',
    check: 'share.success',
    category: 'schema',
    operation: share,
    expectedSeverity: B,
    description: 'The share 200 body names the token `token` instead of `share_token`.',
    expect: 'share 200 body lacks the required share_token (an undocumented `token` field appears)',
  },
  {
    id: 'share-for-application-id-as-integer',
    check: 'share.success',
    category: 'schema',
    operation: share,
    expectedSeverity: B,
    description: "The share 200 body echoes for_application_id as the application's integer primary key.",
    expect: 'share 200 for_application_id is an integer, not a UUID string (and does not echo the request)',
  },
  {
    id: 'share-session-kind-company',
    check: 'share.business',
    category: 'schema',
    operation: share,
    expectedSeverity: B,
    description:
      'For a KYB session the share 200 body says session_kind "company" instead of "business" (the token claim still says business).',
    expect:
      'share 200 session_kind "company" is not one of the enum values user|business (only visible when sharing the business session)',
  },
  {
    id: 'share-content-type-text-plain',
    check: 'share.success',
    category: 'schema',
    operation: share,
    expectedSeverity: B,
    description: 'The share 200 response is sent as text/plain (the body is still the same JSON text).',
    expect: 'share 200 content-type is text/plain, not application/json',
  },
  {
    id: 'share-adds-undocumented-field',
    check: 'share.success',
    category: 'schema',
    operation: share,
    expectedSeverity: 'non-breaking',
    description:
      'The share 200 body carries an extra, undocumented `expires_at` field; everything documented is intact.',
    expect:
      'share 200 body has an undocumented property expires_at: a non-breaking finding (no breaking finding, so exit code 0)',
  },
  {
    id: 'share-error-body-reshaped',
    check: 'share.rejects.ttl-below-minimum',
    category: 'schema',
    operation: share,
    expectedSeverity: 'info',
    description:
      'A 400 on share carries {"error": "..."} instead of DRF field errors or {detail}: the body shape the spec only assumes.',
    expect:
      'the share 400 body matches neither assumed DRF shape: an info finding (an x-assumption refuted), exit code 0',
  },
  {
    id: 'share-echoes-wrong-application',
    check: 'share.token.binding',
    category: 'rule',
    operation: share,
    expectedSeverity: B,
    description:
      'The share 200 body echoes the calling application as for_application_id (a valid UUID, not the target); the token is right.',
    expect: 'share 200 for_application_id does not echo the requested target application',
  },
  {
    id: 'import-drops-expires-at',
    check: 'import.success',
    category: 'schema',
    operation: imp,
    expectedSeverity: B,
    description: 'The import success body no longer carries expires_at.',
    expect: 'import 201 body lacks the required expires_at',
  },
  {
    id: 'import-answers-202',
    check: 'import.success',
    category: 'schema',
    operation: imp,
    expectedSeverity: B,
    description:
      'A successful import is answered 202 instead of 200 or 201 (same body): a status outside the unsettled candidates.',
    expect: 'import success status 202 is none of the candidates of import-success-status',
  },
  {
    id: 'import-drops-shared-from-session',
    check: 'import.success',
    category: 'schema',
    operation: imp,
    expectedSeverity: B,
    description:
      'The import answer no longer carries shared_from_session (the documented link to the original session).',
    expect: 'import success body lacks the required shared_from_session',
  },
  // ── token-claim drift ───────────────────────────────────────────────────────────────────────
  {
    id: 'token-alg-hs512',
    check: 'share.token.format',
    category: 'token',
    operation: share,
    expectedSeverity: B,
    description: 'Share tokens are signed with HS512 (header alg "HS512"); the twin still redeems them.',
    expect: 'share token header alg is HS512, not HS256',
  },
  {
    id: 'token-ignores-requested-ttl',
    check: 'share.token.ttl',
    category: 'token',
    operation: share,
    expectedSeverity: B,
    description: "exp - iat is always 3600, whatever ttl_in_seconds asks for (as in the source document's example).",
    expect: 'token exp - iat is 3600 when ttl_in_seconds was e.g. 7200',
  },
  {
    id: 'token-default-ttl-7200',
    check: 'share.token.default-ttl',
    category: 'token',
    operation: share,
    expectedSeverity: B,
    description:
      'Without ttl_in_seconds the token lives 7200 s instead of the documented default 3600 (an explicit TTL is honoured).',
    expect: 'token exp - iat is 7200 when ttl_in_seconds was omitted (documented default 3600)',
  },
  {
    id: 'token-session-id-wrong',
    check: 'share.token.binding',
    category: 'token',
    operation: share,
    expectedSeverity: B,
    description: 'The session_id claim is a random UUID, not the session shared.',
    expect: 'token session_id claim differs from the sessionId in the path',
  },
  {
    id: 'token-for-application-id-wrong',
    check: 'share.token.binding',
    category: 'token',
    operation: share,
    expectedSeverity: B,
    description:
      'The for_application_id claim is the calling application (from == for); the response body still echoes the requested target.',
    expect: 'token for_application_id claim differs from the requested for_application_id',
  },
  {
    id: 'token-session-kind-mismatch',
    check: 'share.token.binding',
    category: 'token',
    operation: share,
    expectedSeverity: B,
    description:
      'The session_kind claim is the other kind ("business" for a user session); the response body is right.',
    expect: 'token session_kind claim disagrees with the response session_kind',
  },
  {
    id: 'token-iat-in-future',
    check: 'share.token.binding',
    category: 'token',
    operation: share,
    expectedSeverity: B,
    description: 'iat is one day in the future (exp = iat + ttl, so exp - iat is still the TTL).',
    expect: 'token iat is about 86400 s away from now',
  },
  {
    id: 'token-not-three-parts',
    check: 'share.success',
    category: 'token',
    operation: share,
    expectedSeverity: B,
    description: 'The share token is sent without its signature part ("header.payload").',
    expect: 'share_token is not a compact JWT of three base64url parts (fails the ShareToken pattern)',
  },
  // ── documented rules no longer enforced ─────────────────────────────────────────────────────
  {
    id: 'rule-ttl-below-minimum-accepted',
    check: 'share.rejects.ttl-below-minimum',
    category: 'rule',
    operation: share,
    expectedSeverity: B,
    description: 'ttl_in_seconds below 60 is accepted (the minimum check is gone).',
    expect: 'share with ttl_in_seconds 59 answers 200 instead of 400',
  },
  {
    id: 'rule-ttl-above-maximum-accepted',
    check: 'share.rejects.ttl-above-maximum',
    category: 'rule',
    operation: share,
    expectedSeverity: B,
    description: 'ttl_in_seconds above 86400 is accepted (the maximum check is gone).',
    expect: 'share with ttl_in_seconds 86401 answers 200 instead of 400',
  },
  {
    id: 'rule-non-integer-ttl-accepted',
    check: 'share.rejects.ttl-not-integer',
    category: 'rule',
    operation: share,
    expectedSeverity: B,
    description: 'A non-integer ttl_in_seconds such as 90.5 is accepted (truncated).',
    expect: 'share with ttl_in_seconds 90.5 answers 200 instead of 400',
  },
  {
    id: 'rule-unfinished-session-shareable',
    check: 'share.rejects.session-unfinished',
    category: 'rule',
    operation: share,
    expectedSeverity: B,
    description: 'A session that is not Approved, Declined or In Review can be shared.',
    expect: 'share of the unfinished session answers 200 instead of 400',
  },
  {
    id: 'rule-own-application-accepted',
    check: 'share.rejects.same-application',
    category: 'rule',
    operation: share,
    expectedSeverity: B,
    description: 'Sharing with the calling application itself is accepted.',
    expect:
      "share with for_application_id = the caller's own application (the token's from_application_id) answers 200 instead of 400",
  },
  {
    id: 'rule-missing-for-application-accepted',
    check: 'share.rejects.for-application-id-missing',
    category: 'rule',
    operation: share,
    expectedSeverity: B,
    description: 'A body without for_application_id is accepted (the token and the echo carry null).',
    expect: 'share without for_application_id answers 200 instead of 400',
  },
  // ── auth drift ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'auth-missing-key-404',
    check: 'share.rejects.key-missing',
    category: 'auth',
    operation: share,
    expectedSeverity: B,
    description:
      'A request without x-api-key, on either endpoint, is answered 404 (the resource looked up before the credentials) instead of 401 or 403.',
    expect: 'share without x-api-key answers 404, none of the candidates of share-keyless-status',
  },
  {
    id: 'auth-readonly-key-can-share',
    check: 'share.rejects.key-without-privilege',
    category: 'auth',
    operation: share,
    expectedSeverity: B,
    description: 'A key without write:sessions may mint share tokens.',
    expect: 'share with the read-only key answers 200 instead of 403',
  },
  {
    id: 'auth-unknown-session-403',
    check: 'share.rejects.session-unknown',
    category: 'auth',
    operation: share,
    expectedSeverity: B,
    description: 'An unknown session (well-formed UUID) is answered 403 instead of 404.',
    expect: 'share of an unknown session UUID answers 403, not 404',
  },
  {
    id: 'auth-body-checked-before-key',
    check: 'share.rejects.key-checked-first',
    category: 'auth',
    operation: share,
    expectedSeverity: 'info',
    description:
      'The body is validated before the key: a request without key and with an invalid body gets 400 (without key and with a valid body it still gets the keyless status).',
    expect:
      'share without x-api-key and with an invalid body answers 400: the assumed order of checks is refuted, an info finding (no Didit page states the order), exit code 0',
  },
  {
    id: 'share-unknown-session-500',
    check: 'share.rejects.session-unknown',
    category: 'auth',
    operation: share,
    expectedSeverity: B,
    description: 'An unknown session (well-formed UUID) is answered 500 — every other probe still succeeds.',
    expect:
      'share of an unknown session UUID answers 500 (after retries) where the spec promises 404: breaking, not "the service is failing"',
  },
  // ── import drift ────────────────────────────────────────────────────────────────────────────
  {
    id: 'import-tampered-token-accepted',
    check: 'import.rejects.tampered-token',
    category: 'import',
    operation: imp,
    expectedSeverity: B,
    description: "The share token's signature is not verified on import (expiry still is).",
    expect: 'import of a token with a modified payload and the old signature answers 201 instead of 401',
  },
  {
    id: 'import-replay-accepted',
    check: 'import.rejects.replay',
    category: 'import',
    operation: imp,
    expectedSeverity: B,
    description: 'A session can be imported again into the same application.',
    expect: 'a second import of the same session by the same application answers 201 instead of 403',
  },
  {
    id: 'import-trust-review-ignored',
    check: 'import.trust-review-default',
    category: 'import',
    operation: imp,
    expectedSeverity: B,
    description: 'The copy always keeps the original status: trust_review false lands Approved instead of In Review.',
    expect: 'import with trust_review false (or omitted) returns status "Approved", not "In Review"',
  },
  {
    id: 'import-wrong-application-accepted',
    check: 'import.rejects.wrong-application',
    category: 'import',
    operation: imp,
    expectedSeverity: B,
    description: "The token's for_application_id is not checked against the importing application.",
    expect:
      "import with the sharing application's key of a token minted for the partner is not answered 403 (it falls through to 404 workflow not found, or 201 with a workflow of the caller)",
  },
  {
    id: 'import-refused-for-balance',
    check: 'import.success',
    category: 'import',
    operation: imp,
    expectedSeverity: 'info',
    outcome: { couldNotRun: 'balance' },
    description:
      'Every import is refused 403 {"detail": "…balance cannot cover…", "code": "insufficient_balance"}: an account state.',
    expect:
      'the run ends with exit 2 naming the balance and the console setting; never "already imported", never passed import checks',
  },
  {
    id: 'import-payment-required',
    check: 'import.success',
    category: 'import',
    operation: imp,
    expectedSeverity: 'info',
    outcome: { couldNotRun: 'could not be paid for' },
    description: 'Every import is answered 402 (the check could not be paid for): an account state.',
    expect: 'the run ends with exit 2 naming the payment refusal; never a breaking "expected 201, got 402"',
  },
  {
    id: 'import-workflow-checked-first',
    check: 'import.rejects.wrong-application',
    category: 'import',
    operation: imp,
    expectedSeverity: 'info',
    outcome: { skipped: true },
    omitEnv: ['DIDIT_WORKFLOW_ID'],
    description:
      "Import looks the workflow up before the token's audience: a token redeemed by the wrong application with a workflow it lacks is answered 404, not 403. Run without DIDIT_WORKFLOW_ID.",
    expect:
      'import.rejects.wrong-application is skipped naming DIDIT_WORKFLOW_ID: a 404 proves a refusal, not the audience rule (never passed)',
  },
] as const satisfies readonly Mutant[];

export type MutantId = (typeof MUTANTS)[number]['id'];

export const MUTANT_IDS: readonly MutantId[] = MUTANTS.map((m) => m.id);

export function isMutantId(id: string): id is MutantId {
  return (MUTANT_IDS as readonly string[]).includes(id);
}

export function findMutant(id: string): Mutant | undefined {
  return MUTANTS.find((m) => m.id === id);
}
