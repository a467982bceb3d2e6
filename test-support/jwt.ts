// Share tokens for tests, each helper named for what it forges. Encoding and signing are jose's: no
// hand-written base64url. Decoding and the tampered signature the drift check sends: http-kit/share-token.ts.

import { randomBytes } from 'node:crypto';
import { base64url, decodeJwt, type JWTPayload, SignJWT } from 'jose';

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/**
 * A token whose payload is `claims` (any JSON, even what no issuer would sign: an array, a claim
 * missing) under an HS256 header, with a signature nobody can verify: for code that never verifies
 * (the client decodes, Didit verifies).
 */
export function withClaims(claims: unknown): string {
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.${base64url.encode('signature not checked')}`;
}

/** A token as the holder of `secret` mints one: HS256, these claims. */
export function signedWith(secret: Uint8Array, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
}

/** The token's claims signed again with a secret of its own: a valid HS256 signature, not the issuer's. */
export function signedWithOtherSecret(token: string): Promise<string> {
  return signedWith(randomBytes(32), decodeJwt(token));
}

/**
 * The token's claims changed (by default: one second more to live), its header and signature kept:
 * what a holder forging a longer life sends.
 */
export function withTamperedClaims(
  token: string,
  change: (claims: JWTPayload) => JWTPayload = (claims) => ({ ...claims, exp: Number(claims.exp) + 1 }),
): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  // Only the first two parts are read: a token that lost its signature is tampered all the same.
  return `${header}.${encode(change(decodeJwt(`${header}.${payload}.`)))}.${signature}`;
}
