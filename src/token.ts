import { decodeJwt } from 'jose';
import type { components } from '../generated/schema.js';
import { validateShareTokenClaims } from '../generated/validators.js';
import { DiditValidationError, describeIssues } from './errors.js';
import { toIssues } from './validate.js';

type Schemas = components['schemas'];
/** A share token's claims; `session_kind` is always present (legacy tokens report `user`). */
export type ShareTokenClaims = Schemas['ShareTokenClaims'] & { session_kind: Schemas['SessionKind'] };

/**
 * Decodes a share token's claims WITHOUT verifying its signature (HS256 with Didit's secret), and
 * checks them against the spec. Throws DiditValidationError for a malformed token; the message never
 * repeats the token.
 */
export function decodeShareToken(token: string): ShareTokenClaims {
  let claims: unknown;
  try {
    claims = decodeJwt(token);
  } catch (e) {
    // jose's messages describe the defect, never the token itself.
    const issues = [{ path: 'share_token', rule: `must be a JWT (${(e as Error).message})` }];
    throw new DiditValidationError(`decodeShareToken: ${describeIssues(issues)}; pass it as share() returned it`, {
      issues,
    });
  }
  if (!validateShareTokenClaims(claims)) {
    const issues = toIssues(validateShareTokenClaims.errors);
    throw new DiditValidationError(`decodeShareToken: ${describeIssues(issues)}`, { issues });
  }
  // Tokens minted before the unified KYC/KYB rollout have no session_kind; Didit treats them as user.
  return { ...claims, session_kind: claims.session_kind ?? 'user' };
}
