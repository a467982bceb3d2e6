import type { components } from '../generated/schema.js';
import { validateShareTokenClaims } from '../generated/validators.js';
import { DiditValidationError, describeIssues } from './errors.js';
import { toIssues } from './validate.js';

type Schemas = components['schemas'];
/** A share token's claims; `session_kind` is always present (legacy tokens report `user`). */
export type ShareTokenClaims = Schemas['ShareTokenClaims'] & { session_kind: Schemas['SessionKind'] };

/**
 * A JWT's payload, decoded with the checks and messages of jose's `decodeJwt`: a few lines here,
 * where jose's base64url and error classes cost ~0.6 kB gzipped for this one call. Nothing is verified.
 */
function decodeJwt(token: string): unknown {
  const { 1: payload, length } = String(token).split('.');
  if (length !== 3)
    throw new Error(length === 5 ? 'Only JWTs using Compact JWS serialization can be decoded' : 'Invalid JWT');
  if (!payload) throw new Error('JWTs must contain a payload');
  let bytes: Uint8Array;
  try {
    if (!/^[\w-]+$/.test(payload)) throw 0;
    bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch {
    throw new Error('Failed to base64url decode the payload');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new Error('Failed to parse the decoded payload as JSON');
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new Error('Invalid JWT Claims Set');
  return claims;
}

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
    // The messages describe the defect, never the token itself.
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
