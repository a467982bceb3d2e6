// The drift check's one redaction point: keys never appear, tokens keep only a short prefix.
import { describe, expect, it } from 'vitest';
import { shorten } from '../src/redact.js';
import { redact, secretsFromEnv } from './run-secrets.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiMSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';

describe('redact', () => {
  it.each([
    ['a whole JWT', `token ${JWT} here`, `token ${JWT.slice(0, 10)}… here`],
    ['each listed secret', 'key sk_live_123 and sk_live_123', 'key *** and ***'],
    ['nothing else', 'ttl_in_seconds must be >= 60', 'ttl_in_seconds must be >= 60'],
  ])('hides %s', (_what, text, expected) => {
    expect(redact(text, ['sk_live_123'])).toBe(expected);
  });

  it('takes the secrets from every *API_KEY variable of the environment', () => {
    expect(
      secretsFromEnv({
        DIDIT_API_KEY: 'key-one',
        DIDIT_PARTNER_API_KEY: 'key-two',
        DIDIT_SESSION_ID: 'not-secret',
      }).sort(),
    ).toEqual(['key-one', 'key-two']);
  });
});

describe('redact on a JSON-able value', () => {
  it.each([
    ['an opaque token', 'opaque-share-token-0123456789abcdef'],
    ['a two-part token', 'eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiMSJ9'],
    ['a JWE-like token', 'eyJlbmMiOiJBMjU2R0NNIn0.a.b.c.d'],
  ])('keeps only the prefix of %s under a token-named field', (_what, token) => {
    const out = redact({ findings: [{ share_token: token, nested: { access_token: token } }] }, []);
    expect(JSON.stringify(out)).not.toContain(token);
    expect(out.findings[0]!.share_token).toBe(shorten(token));
  });

  it('redacts secrets and JWTs in every string, leaving other values as they are', () => {
    expect(redact({ message: `key k-123 token ${JWT}`, status: 401, ok: false }, ['k-123'])).toEqual({
      message: `key *** token ${shorten(JWT)}`,
      status: 401,
      ok: false,
    });
  });
});
