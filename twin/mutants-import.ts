// Import drift: the round trip's rules (signature, replay, audience, trust_review), and account states
// that must end a run as "could not run" (exit 2) or a skipped check, never as drift.
import { BREAKING, IMPORT, type Mutant } from './mutant-record.js';

export const IMPORT_MUTANTS = [
  {
    id: 'import-tampered-token-accepted',
    check: 'import.rejects.tampered-token',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'rule-not-enforced',
    description: "The share token's signature is not verified on import (expiry still is).",
    expect: "import of a token whose signature is not Didit's (one character of it changed) answers 201 instead of 401",
  },
  {
    id: 'import-replay-accepted',
    check: 'import.rejects.replay',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'rule-not-enforced',
    description: 'A session can be imported again into the same application.',
    expect: 'a second import of the same session by the same application answers 201 instead of 403',
  },
  {
    id: 'import-trust-review-ignored',
    check: 'import.trust-review-default',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'value',
    description: 'The copy always keeps the original status: trust_review false lands Approved instead of In Review.',
    expect: 'import with trust_review false (or omitted) returns status "Approved", not "In Review"',
  },
  {
    id: 'import-wrong-application-accepted',
    check: 'import.rejects.wrong-application',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: BREAKING,
    kind: 'rule-not-enforced',
    description: "The token's for_application_id is not checked against the importing application.",
    expect:
      "import with the sharing application's key of a token minted for the partner is not answered 403 (it falls through to 404 workflow not found, or 201 with a workflow of the caller)",
  },
  {
    id: 'import-refused-for-balance',
    check: 'import.success',
    category: 'import',
    operation: IMPORT,
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
    operation: IMPORT,
    expectedSeverity: 'info',
    outcome: { couldNotRun: 'could not be paid for' },
    description: 'Every import is answered 402 (the check could not be paid for): an account state.',
    expect: 'the run ends with exit 2 naming the payment refusal; never a breaking "expected 201, got 402"',
  },
  {
    id: 'import-workflow-checked-first',
    check: 'import.rejects.wrong-application',
    category: 'import',
    operation: IMPORT,
    expectedSeverity: 'info',
    outcome: { skipped: true },
    omitEnv: ['DIDIT_WORKFLOW_ID'],
    description:
      "Import looks the workflow up before the token's audience: a token redeemed by the wrong application with a workflow it lacks is answered 404, not 403. Run without DIDIT_WORKFLOW_ID.",
    expect:
      'import.rejects.wrong-application is skipped naming DIDIT_WORKFLOW_ID: a 404 proves a refusal, not the audience rule (never passed)',
  },
] as const satisfies readonly Mutant[];
