import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeShareToken, DiditValidationError } from './index.js';
import { APP_ID, CLAIMS, TOKEN } from '../test-support/fixtures.js';
import { withClaims } from '../test-support/jwt.js';

describe('decodeShareToken', () => {
  it("decodes the spec's example token without verifying it", () => {
    const claims = decodeShareToken(TOKEN);
    expect(claims).toMatchObject({ session_kind: 'user', for_application_id: APP_ID });
    expect(claims.exp - claims.iat).toBe(7200);
  });

  it('keeps a business session_kind', () => {
    expect(decodeShareToken(withClaims({ ...CLAIMS, session_kind: 'business' })).session_kind).toBe('business');
  });

  it('a legacy token without session_kind reports user', () => {
    const { session_kind: _, ...legacy } = CLAIMS;
    expect(decodeShareToken(withClaims(legacy))).toEqual({ ...legacy, session_kind: 'user' });
  });

  const longGarbage = `${'x'.repeat(40)}.${'y'.repeat(40)}.${'z'.repeat(40)}`;
  it.each<[string, string, RegExp]>([
    ['not a JWT at all', 'hello', /share_token must be a JWT/],
    ['three parts, payload not base64url JSON', longGarbage, /share_token must be a JWT/],
    ['a JSON array payload', withClaims([1, 2]), /share_token must be a JWT/],
    ['claims missing exp', withClaims({ ...CLAIMS, exp: undefined }), /\/exp is required/],
    ['a non-uuid session_id', withClaims({ ...CLAIMS, session_id: 'abc' }), /\/session_id must be uuid/],
    [
      'an unknown session_kind',
      withClaims({ ...CLAIMS, session_kind: 'robot' }),
      /\/session_kind must be user,business/,
    ],
    ['a fractional iat', withClaims({ ...CLAIMS, iat: 1.5 }), /\/iat must be integer/],
  ])('%s is a clear error that never repeats the token', (_name, token, message) => {
    let error: unknown;
    try {
      decodeShareToken(token);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiditValidationError);
    expect((error as Error).message).toMatch(message);
    for (const view of [
      (error as Error).message,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: Infinity }),
    ]) {
      expect(view).not.toContain(token);
    }
  });
});
