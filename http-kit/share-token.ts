// The share token as the drift check reads and tampers with it. Decoding is jose's: no hand-written
// base64url, one decoder for the suite, the twin's tests and the probes. Forging helpers only tests
// use live in test-support/jwt.ts.
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

export interface DecodedToken {
  header: ProtectedHeaderParameters;
  claims: JWTPayload;
}

/** Header and claims of a compact JWT, unverified (the secret is the issuer's); undefined when it is not one. */
export function decodeToken(token: unknown): DecodedToken | undefined {
  if (typeof token !== 'string' || token.split('.').length !== 3) return undefined;
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
}

/** The token with its signature's first character changed: header and claims intact, the signature not the issuer's. */
export function withTamperedSignature(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  return `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
}
