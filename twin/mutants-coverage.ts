// Coverage drift: an optional request field sent without its documented effect, a documented bound
// moved inward, a KYB import answer short of its kind. Each is caught only by a probe that sends the
// field or asks for the bound itself (the probes from outside and the defaults stay green).
import { BREAKING, IMPORT, type Mutant, SHARE } from './mutant-record.js';

export const COVERAGE_MUTANTS = [
  {
    id: 'token-maximum-ttl-lowered',
    check: 'share.token.ttl-at-maximum',
    category: 'token',
    operation: SHARE,
    expectedSeverity: BREAKING,
    kind: 'token-claim',
    description:
      'The maximum TTL is quietly lowered: a token asked for 86400 s lives 43200 s (86401 is still refused).',
    expect: 'a token minted with ttl_in_seconds 86400 (the documented maximum) has exp - iat 43200, not 86400',
  },
  {
    id: 'rule-ttl-minimum-raised',
    check: 'share.token.ttl-at-minimum',
    category: 'rule',
    operation: SHARE,
    expectedSeverity: BREAKING,
    kind: 'status',
    description: 'The minimum TTL is raised to 120: ttl_in_seconds 60 (the documented minimum) is refused 400.',
    expect: 'a share with ttl_in_seconds 60 answers 400 instead of 200',
  },
  {
    id: 'import-vendor-data-dropped',
    check: 'import.vendor-data-sent',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'value',
    description: 'vendor_data sent with an import is dropped: the answer carries null.',
    expect: 'an import that sends vendor_data answers vendor_data null instead of the value sent',
  },
  {
    id: 'import-trust-review-true-approves',
    check: 'import.trust-review-kept',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'value',
    description: "trust_review true approves the copy instead of keeping the source's status.",
    expect: 'an import with trust_review true of a session In Review answers status "Approved", not "In Review"',
  },
  {
    id: 'import-business-drops-session-kind',
    check: 'import.business',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    // A value, not a schema finding: session_kind is optional in the schema (a KYC answer may lack it, an unsettled fact), never for KYB.
    kind: 'value',
    description: 'A KYB import answer lacks session_kind (KYC import answers keep it).',
    expect:
      'the import of a KYB session into a KYB workflow answers without session_kind, which both sources say is "business"',
  },
] as const satisfies readonly Mutant[];
