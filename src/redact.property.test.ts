// Property: whatever a server echoes back, and however it nests it, no error the real client throws
// shows an API key or a whole share token, in any of the ways an error gets printed or serialised.
// A fake fetch plays the server, so each run is one in-process exchange (no sockets, no clock).

import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_ID, SESSION_ID, WORKFLOW_ID } from '../test-support/loopback-server.js';
import { createDiditClient } from './index.js';

const printable = (min: number, max: number) =>
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: min,
    maxLength: max,
  });
const b64url = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}$`));

// Any printable API key (what the client accepts) with a digit, as keys have: it keeps the key from being
// spelt by the `***` the redaction writes or by a word of the client's own messages ("property").
const hasDigit = (k: string) => /[0-9]/.test(k);
const apiKey = fc
  .oneof(
    printable(8, 40),
    fc.tuple(fc.constantFrom('sk_live_', 'sk_test_'), b64url(4, 40)).map(([p, k]) => p + k),
  )
  .filter(hasDigit);
// Header names are tokens (RFC 9110 tchar): a key made of those alone can be echoed into one.
const TCHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const tcharKey = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{8,40}$/).filter(hasDigit);
/** Header names echoing each secret a name can hold (fetch lower-cases them on the way in). */
const namesEchoing = (secrets: string[]) =>
  Object.fromEntries(secrets.filter((s) => TCHARS.test(s)).map((s, i) => [`x-echo${i}-${s}`, '1']));

// A Didit key the client was never given (another application's, the environment's): caught by its format.
const foreignKey = fc
  .tuple(fc.constantFrom('sk_live_', 'sk_test_'), fc.stringMatching(/^[A-Za-z0-9_./+=-]{8,40}$/))
  .map(([p, k]) => p + k);

// Tokens of any shape; the digit keeps them from spelling a key name or a word of a message.
const token = fc
  .oneof(
    fc.tuple(b64url(2, 30), b64url(2, 60), b64url(2, 40)).map(([h, p, s]) => `eyJ${h}.${p}.${s}`),
    b64url(11, 80),
    fc
      .tuple(fc.constantFrom('tok_', 'st.', 'share_', ''), fc.stringMatching(/^[A-Za-z0-9_.]{11,60}$/))
      .map(([p, t]) => p + t),
    printable(11, 80),
  )
  .filter((t) => /\d/.test(t));

const TOKEN_KEYS = ['share_token', 'token', 'accessToken', 'X-Share-Token', 'tokens'];
const plainKey = fc.stringMatching(/^[a-z_]{1,8}$/);
const filler = fc.oneof(fc.stringMatching(/^[a-z .,:]{0,20}$/), fc.integer(), fc.boolean(), fc.constant(null));

/** `leaf` wrapped in 0–4 levels of arrays and objects, with filler around it. */
const nest = (leaf: unknown) =>
  fc
    .array(fc.tuple(fc.boolean(), plainKey, filler), { maxLength: 4 })
    .map((levels) =>
      levels.reduce<unknown>(
        (inner, [asArray, key, other]) => (asArray ? [other, inner] : { [key]: inner, other }),
        leaf,
      ),
    );

/** Where a key or a token could show: every printed and serialised view, along the cause chain. */
function views(error: unknown): string[] {
  const out = [inspect(error, { depth: Infinity, showHidden: true })];
  for (let e = error, n = 0; e && n < 10; e = (e as { cause?: unknown }).cause, n++) {
    out.push(String(e), JSON.stringify(e) ?? '', inspect(e, { depth: Infinity }));
    if (e instanceof Error) out.push(e.message, e.stack ?? '');
  }
  return out;
}
/** The forms a secret takes once printed: raw, JSON-escaped, inspect-escaped, lower-cased (as a header name). */
const forms = (s: string) => [s, JSON.stringify(s).slice(1, -1), inspect(s).slice(1, -1), s.toLowerCase()];
const leaked = (error: unknown, secrets: string[]) =>
  views(error).flatMap((view) => secrets.flatMap(forms).filter((s) => view.includes(s)));

type Answer = { status: number; body: unknown; headers: Record<string, string> } | { throws: unknown };

const fakeFetch = (answer: Answer) =>
  (async () => {
    if ('throws' in answer) throw answer.throws;
    const text = JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  }) as typeof fetch;

/** A client holding `key` whose every request gets `answer`: once, never retried, responses validated. */
const clientAnswering = (key: string, answer: Answer) =>
  createDiditClient({
    apiKey: key,
    baseUrl: 'https://verification.didit.me',
    maxRetries: 0,
    validateResponses: true,
    fetch: fakeFetch(answer),
  });

const status = fc.constantFrom(200, 201, 302, 400, 401, 403, 404, 409, 429, 500, 503);

describe('no error shows a key or a whole token, however it is echoed', () => {
  it('redact() itself: any token below a token key, at any depth, keeps at most 10 characters', async () => {
    const { redact } = await import('./redact.js');
    fc.assert(
      fc.property(token, fc.constantFrom(...TOKEN_KEYS), fc.gen(), (t, key, g) => {
        const below = g(nest, t);
        const value = g(nest, { [key]: below });
        const text = JSON.stringify(redact(value, []));
        expect(forms(t).filter((s) => text.includes(s))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('importShared: the key and the token sent, echoed in bodies, headers, causes', async () => {
    const sent = fc
      .tuple(b64url(2, 30), b64url(2, 60), b64url(2, 40))
      .map((parts) => parts.join('.'))
      .filter((t) => t.length > 10);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(apiKey, tcharKey),
        sent,
        status,
        fc.boolean(),
        fc.gen(),
        async (key, t, code, throws, g) => {
          const echo = `bad ${key} for ${t}`;
          const answer: Answer = throws
            ? {
                throws: Object.assign(new TypeError(`fetch failed ${echo}`), {
                  cause: Object.assign(new Error(echo), { code: 'ECONNRESET', key }),
                }),
              }
            : {
                status: code,
                body: g(nest, { detail: echo, [g(() => plainKey)]: [t, key], share_token: g(nest, t) }),
                headers: { 'x-echo': `${key} ${t}`, location: `https://x.example/?t=${t}`, ...namesEchoing([key, t]) },
              };
          const client = clientAnswering(key, answer);
          const error = await client.sessions.importShared({ share_token: t, workflow_id: WORKFLOW_ID }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeDefined();
          expect(leaked(error, [key, t])).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('share: a drifted token of any shape below a token key, the key and a foreign Didit key anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(apiKey, tcharKey),
        foreignKey,
        token,
        status,
        fc.constantFrom(...TOKEN_KEYS),
        fc.gen(),
        async (key, foreign, t, code, tokenKey, g) => {
          const body = g(nest, {
            [tokenKey]: g(nest, t),
            detail: `key ${key}, not ${foreign}.`,
            for_application_id: APP_ID,
            session_kind: 'user',
          });
          // Into a name, a drifted token is found by its shape alone: only a JWT-shaped one is echoed there.
          const named = namesEchoing([key, foreign, ...(t.startsWith('eyJ') ? [t] : [])]);
          const headers = { 'x-echo': key, [`x-${tokenKey}`.toLowerCase()]: t, ...named };
          const answer: Answer = { status: code, body, headers };
          const client = clientAnswering(key, answer);
          const error = await client.sessions.share(SESSION_ID, { for_application_id: APP_ID }).then(
            () => undefined,
            (e: unknown) => e,
          );
          // A body that happens to be a valid share answer is the caller's own data, not an error.
          if (error === undefined) expect(code).toBeLessThan(300);
          else expect(leaked(error, [key, foreign, t])).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
