// Share tokens read without their secret: decoded by jose (nothing is verified; Didit verifies), the
// header held to Didit's HS256, the claims to the spec.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { components } from '../generated/schema.js';
import { validateShareTokenClaims } from '../generated/validators.js';
import { DiditValidationError, describeIssues, type Issue } from './errors.js';
import { toIssues } from './validate.js';

type Schemas = components['schemas'];
/** A share token's claims; `session_kind` is always present (legacy tokens report `user`). */
export type ShareTokenClaims = Schemas['ShareTokenClaims'] & { session_kind: Schemas['SessionKind'] };

// An alg short and plain enough to print; any other is the token's own text, not repeated.
const PRINTABLE_ALG = /^[\w-]{1,16}$/;

/** What is wrong with a token's header (not a JWT header, or an alg other than HS256), if anything. */
export function headerIssue(token: string): Issue | undefined {
  let alg: unknown;
  try {
    ({ alg } = decodeProtectedHeader(token));
  } catch (e) {
    return { path: 'share_token', rule: `must be a JWT with a JSON header (${(e as Error).message})` };
  }
  if (alg === 'HS256') return;
  const named = typeof alg === 'string' && PRINTABLE_ALG.test(alg) ? `alg ${alg}` : 'another alg';
  return { path: 'share_token', rule: `must be signed with HS256 (its header says ${named})` };
}

/**
 * Decodes a share token's claims WITHOUT verifying its signature (HS256 with Didit's secret), and
 * checks its header (HS256) and claims against the spec. Throws DiditValidationError for a malformed
 * token; the message never repeats the token.
 */
export function decodeShareToken(token: string): ShareTokenClaims {
  let claims: unknown;
  let issue: Issue | undefined;
  try {
    claims = decodeJwt(token);
    issue = headerIssue(token);
  } catch (e) {
    // jose's messages describe the defect, never the token itself.
    issue = { path: 'share_token', rule: `must be a JWT (${(e as Error).message})` };
  }
  if (issue)
    throw new DiditValidationError(`decodeShareToken: ${describeIssues([issue])}; pass it as share() returned it`, {
      issues: [issue],
    });
  if (!validateShareTokenClaims(claims)) {
    const issues = toIssues(validateShareTokenClaims.errors);
    throw new DiditValidationError(`decodeShareToken: ${describeIssues(issues)}`, { issues });
  }
  // Tokens minted before the unified KYC/KYB rollout have no session_kind; Didit treats them as user.
  return { ...claims, session_kind: claims.session_kind ?? 'user' };
}
