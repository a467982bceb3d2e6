// Schema drift: answers whose status, content type or body no longer match the spec's response.
import { BREAKING, IMPORT, type Mutant, SHARE } from './mutant-record.js';

export const SCHEMA_MUTANTS = [
  {
    id: 'share-drops-session-kind',
    check: 'share.success',
    category: 'schema',
    operation: SHARE,
    expectedSeverity: BREAKING,
    kind: 'schema',
    description: 'The share 200 body no longer carries session_kind.',
    expect: 'share 200 body lacks the required session_kind',
  },
  {
    id: 'share-renames-share-token',
    check: 'share.success',
    category: 'schema',
    operation: SHARE,
    expectedSeverity: BREAKING,
    kind: 'schema',
    description: 'The share 200 body names the token `token` instead of `share_token`.',
    expect: 'share 200 body lacks the required share_token (an undocumented `token` field appears)',
  },
  {
    id: 'share-for-application-id-as-integer',
    check: 'share.success',
    category: 'schema',
    operation: SHARE,
    expectedSeverity: BREAKING,
    kind: 'schema',
    description: "The share 200 body echoes for_application_id as the application's integer primary key.",
    expect: 'share 200 for_application_id is an integer, not a UUID string (and does not echo the request)',
  },
  {
    id: 'share-session-kind-company',
    check: 'share.business',
    category: 'schema',
    operation: SHARE,
    expectedSeverity: BREAKING,
    kind: 'schema',
    description:
      'For a KYB session the share 200 body says session_kind "company" instead of "business" (the token claim still says business).',
    expect:
      'share 200 session_kind "company" is not one of the enum values user|business (only visible when sharing the business session)',
  },
  {
    id: 'share-content-type-text-plain',
    check: 'share.success',
    category: 'schema',
    operation: SHARE,
    expectedSeverity: BREAKING,
    kind: 'content-type',
    description: 'The share 200 response is sent as text/plain (the body is still the same JSON text).',
    expect: 'share 200 content-type is text/plain, not application/json',
  },
  {
    id: 'share-adds-undocumented-field',
    check: 'share.success',
    category: 'schema',
    operation: SHARE,
    expectedSeverity: 'non-breaking',
    kind: 'undocumented-field',
    description:
      'The share 200 body carries an extra field the spec does not document (`expires_at`, or a name made from it once the spec documents one); everything documented is intact.',
    expect: 'share 200 body has an undocumented property: a non-breaking finding (no breaking finding, so exit code 0)',
  },
  {
    id: 'share-error-body-reshaped',
    check: 'share.rejects.ttl-below-minimum',
    category: 'schema',
    operation: SHARE,
    expectedSeverity: 'info',
    kind: 'assumption',
    description:
      'A 400 on share carries {"error": "..."} instead of DRF field errors or {detail}: the body shape the spec only assumes.',
    expect:
      'the share 400 body matches neither assumed DRF shape: an info finding (an x-assumption refuted), exit code 0',
  },
  {
    id: 'import-drops-expires-at',
    check: 'import.success',
    category: 'schema',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'schema',
    description: 'The import success body no longer carries expires_at.',
    expect: 'import 201 body lacks the required expires_at',
  },
  {
    id: 'import-answers-202',
    check: 'import.success',
    category: 'schema',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'unsettled-fact',
    description:
      'A successful import is answered 202 instead of 200 or 201 (same body): a status outside the unsettled candidates.',
    expect: 'import success status 202 is none of the candidates of import-success-status',
  },
  {
    // Not "drops shared_from_session": Didit's OpenAPI document omits it, so its absence is an unsettled fact.
    id: 'import-shared-from-session-wrong',
    check: 'import.copy',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'value',
    description:
      "The import answer's shared_from_session (the documented link to the original session) names another session.",
    expect: 'imported shared_from_session is not the shared session',
  },
] as const satisfies readonly Mutant[];
