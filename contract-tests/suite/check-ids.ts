// Every check's id, in one place: `check()` takes only these, and so does a twin mutant's `check`
// (contract-tests/mutate.ts holds MUTANTS to it), so a typo fails to compile. A new check starts here;
// the engine refuses a suite whose checks and this list differ (engine.test.ts).
export const CHECK_IDS = [
  'share.success',
  'share.token.format',
  'share.token.binding',
  'share.token.ttl',
  'share.token.default-ttl',
  // The documented TTL bounds, each asked for (suite/coverage.ts names them from the spec).
  'share.token.ttl-at-minimum',
  'share.token.ttl-at-maximum',
  'share.business',
  'share.rejects.ttl-below-minimum',
  'share.rejects.ttl-above-maximum',
  'share.rejects.ttl-not-integer',
  'share.rejects.for-application-id-not-uuid',
  'share.rejects.for-application-id-missing',
  'share.rejects.key-invalid',
  'share.rejects.key-without-privilege',
  'share.rejects.session-unknown',
  'share.rejects.session-unfinished',
  'share.rejects.same-application',
  'share.rejects.key-missing',
  'share.rejects.key-checked-first',
  'share.rejects.session-id-not-uuid',
  'import.success',
  'import.copy',
  'import.trust-review-default',
  'import.vendor-data-omitted',
  'import.rejects.replay',
  'import.rejects.tampered-token',
  'import.rejects.wrong-application',
  'import.rejects.key-without-privilege',
  'import.rejects.key-missing',
  'import.rejects.workflow-missing',
  // The hop and the KYB round trip (suite/sources.ts, suite/import-hop.ts).
  'import.hop',
  'import.trust-review-kept',
  'import.vendor-data-sent',
  'import.business',
  'import.business.hop',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** The part after `share.rejects.` of a share rule's check (suite/share-rules.ts). */
export type ShareRuleId = CheckId extends infer Id ? (Id extends `share.rejects.${infer Rule}` ? Rule : never) : never;
