import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { APP_ID, CLAIMS, TOKEN, WORKFLOW_ID } from '../test-support/fixtures.js';
import { withClaims } from '../test-support/jwt.js';
import { clientFor, IMPORT_OK, json, serversClosedAfterEach } from '../test-support/loopback-server.js';
import { DiditValidationError, decodeShareToken } from './index.js';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
/** TOKEN's claims and signature under another header. */
const headed = (header: string) => `${b64(header)}${TOKEN.slice(TOKEN.indexOf('.'))}`;
// Tokens whose form is a JWT's but Didit could not have signed: refused by decodeShareToken and importShared.
const BAD_HEADERS: [string, string, RegExp][] = [
  [
    'alg none',
    headed('{"alg":"none","typ":"JWT"}'),
    /share_token must be signed with HS256 \(its header says alg none\)/,
  ],
  ['alg RS256', headed('{"alg":"RS256"}'), /must be signed with HS256 \(its header says alg RS256\)/],
  ['no alg', headed('{"typ":"JWT"}'), /must be signed with HS256 \(its header says another alg\)/],
  ['a header that is not JSON', headed('not json'), /share_token must be a JWT with a JSON header/],
  ['a header that is a JSON array', headed('["HS256"]'), /share_token must be a JWT with a JSON header/],
];

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
    ...BAD_HEADERS,
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

describe("the payload is decoded as jose's decodeJwt decodes it", () => {
  const part = (text: string) => Buffer.from(text).toString('base64url');
  const head = part('{"alg":"HS256"}');
  it.each<[string, string, string | undefined]>([
    ['a good token', withClaims(CLAIMS), undefined],
    ['two parts', `${head}.${part('{}')}`, 'Invalid JWT'],
    ['five parts (JWE)', `${head}.a.b.c.d`, 'Only JWTs using Compact JWS serialization can be decoded'],
    ['an empty payload', `${head}..sig`, 'JWTs must contain a payload'],
    [
      'a payload in plain base64',
      `${head}.${Buffer.from('{"a":"ÿÿ>"}').toString('base64')}.sig`,
      'Failed to base64url decode',
    ],
    ['a payload of impossible length', `${head}.abcde.sig`, 'Failed to base64url decode'],
    ['a payload that is not JSON', `${head}.${part('not json')}.sig`, 'Failed to parse the decoded payload as JSON'],
    [
      'a payload that is not UTF-8',
      `${head}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.sig`,
      'Failed to parse the decoded payload as JSON',
    ],
    ['a payload that is a JSON string', `${head}.${part('"x"')}.sig`, 'Invalid JWT Claims Set'],
    ['a payload that is null', `${head}.${part('null')}.sig`, 'Invalid JWT Claims Set'],
  ])('%s', async (_name, token, message) => {
    const { decodeJwt } = await import('jose');
    const ours = (() => {
      try {
        return decodeShareToken(token);
      } catch (e) {
        return e as Error;
      }
    })();
    let theirs: unknown;
    try {
      theirs = decodeJwt(token);
    } catch (e) {
      theirs = e;
    }
    if (message === undefined) return expect(ours).toEqual({ ...(theirs as object) });
    expect(theirs).toBeInstanceOf(Error);
    expect((theirs as Error).message).toContain(message);
    expect((ours as Error).message).toContain(`share_token must be a JWT (${message}`);
  });
});

describe('importShared refuses a token Didit could not have signed, before sending it', () => {
  const server = serversClosedAfterEach();
  it.each(BAD_HEADERS)('%s', async (_name, token, message) => {
    const s = await server((res) => json(res, 201, IMPORT_OK));
    const error = await clientFor(s)
      .sessions.importShared({ share_token: token, workflow_id: WORKFLOW_ID })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditValidationError);
    expect(error.message).toMatch(/^importShared: invalid input, not sent: /);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(token);
    expect(s.seen).toHaveLength(0);
  });

  it("an HS256 token is sent, whatever its claims (they are Didit's to judge)", async () => {
    const s = await server((res) => json(res, 201, IMPORT_OK));
    await clientFor(s).sessions.importShared({ share_token: withClaims({ odd: true }), workflow_id: WORKFLOW_ID });
    expect(s.seen).toHaveLength(1);
  });
});
