// Errors that point at the cause: what was called, the system code and what it usually means; and
// URLs in errors never carry credentials.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  APP_ID,
  clientFor,
  failure,
  json,
  SESSION_ID,
  serversClosedAfterEach,
  TOKEN,
  WORKFLOW_ID,
} from '../test-support/loopback-server.js';
import {
  createDiditClient,
  type DiditApiError,
  DiditConnectionError,
  DiditError,
  DiditNotFoundError,
} from './index.js';

const server = serversClosedAfterEach();
const BASE = 'https://verification.didit.me';
const TARGET = `POST ${BASE}/v3/session/${SESSION_ID}/share/`;

/** What undici throws: `TypeError: fetch failed`, the system error (with its code) as `cause`. */
const undiciFailure = (code: string, message = `${code} from the socket`) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });
const throwing = (error: unknown) =>
  (async () => {
    throw error;
  }) as typeof fetch;
const shareFailing = (error: unknown) =>
  failure<DiditConnectionError>(
    createDiditClient({ apiKey: API_KEY, baseUrl: BASE, maxRetries: 0, fetch: throwing(error) }).sessions.share(
      SESSION_ID,
      { for_application_id: APP_ID },
    ),
  );
const views = (e: unknown) =>
  [String(e), JSON.stringify(e), inspect(e, { depth: Infinity, showHidden: true })].join('\n');

describe('network errors name the target, the code and a hint', () => {
  it.each([
    ['ENOTFOUND', 'check the host name in baseUrl'],
    ['EAI_AGAIN', 'check the host name in baseUrl'],
    ['CERT_HAS_EXPIRED', "the server's TLS certificate is not trusted"],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', "the server's TLS certificate is not trusted"],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', "the server's TLS certificate is not trusted"],
    ['SELF_SIGNED_CERT_IN_CHAIN', "the server's TLS certificate is not trusted"],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "the server's TLS certificate is not trusted"],
    ['ETIMEDOUT', 'the host did not answer'],
    ['UND_ERR_CONNECT_TIMEOUT', 'the host did not answer'],
    ['ECONNRESET', 'the connection was cut mid-exchange'],
    ['UND_ERR_SOCKET', 'the connection was cut mid-exchange'],
  ])('%s', async (code, hint) => {
    const error = await shareFailing(undiciFailure(code));
    expect(error).toBeInstanceOf(DiditConnectionError);
    expect(error.code).toBe(code);
    expect(
      error.message.startsWith(`share: no response from ${TARGET} (fetch failed: ${code} from the socket): ${hint}`),
    ).toBe(true);
    expect(error.message).toMatch(/; retry later$/);
  });

  it("finds the code inside Node's AggregateError (one error per address tried)", async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:443'), { code: 'ECONNREFUSED' });
    const error = await shareFailing(
      Object.assign(new TypeError('fetch failed'), { cause: new AggregateError([refused, refused]) }),
    );
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toContain(
      '(fetch failed: connect ECONNREFUSED ::1:443): is the server running, is baseUrl right?',
    );
  });

  it('a code the innermost words do not hold is named after them', async () => {
    const error = await shareFailing(
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      }),
    );
    expect(error.message).toContain('(fetch failed: other side closed, UND_ERR_SOCKET): the connection was cut');
  });

  it("a cause's megabyte of words is quoted bounded", async () => {
    const error = await shareFailing(undiciFailure('ECONNRESET', 'x'.repeat(1 << 20)));
    expect(error.message.length).toBeLessThan(600);
  });

  it('a cause chain that loops, or whose toString throws, still gives a DiditConnectionError', async () => {
    const loop: Error & { cause?: unknown } = new Error('loops');
    loop.cause = loop;
    const hostile = {
      toString: () => {
        throw new Error('no');
      },
    };
    for (const cause of [loop, hostile, Object.assign(new Error('x'), { cause: hostile })]) {
      const error = await shareFailing(cause);
      expect(error).toBeInstanceOf(DiditConnectionError);
      expect(views(error).length).toBeGreaterThan(0);
    }
  });

  it('without a code: the cause message, no hint, and import says it may have landed', async () => {
    const error = await failure<DiditConnectionError>(
      createDiditClient({
        apiKey: API_KEY,
        baseUrl: BASE,
        fetch: throwing(new Error(`odd failure with ${API_KEY}`)),
      }).sessions.importShared({
        share_token: TOKEN,
        workflow_id: WORKFLOW_ID,
      }),
    );
    expect(error.code).toBeUndefined();
    expect(error.message).toBe(
      `importShared: no response from POST ${BASE}/v3/session/import-shared/ (odd failure with ***); it may have landed: check before retrying`,
    );
    expect(views(error)).not.toContain(API_KEY);
  });
});

describe('baseUrl with a path', () => {
  it.each(['/v3', '/v3/', '/v2', '/api/v3/session'])('refuses %s at construction: the client adds /v3/…', (path) => {
    expect(() => createDiditClient({ apiKey: API_KEY, baseUrl: `${BASE}${path}` })).toThrow(
      `baseUrl must not include the API path (${path}): use the origin, e.g. ${BASE}`,
    );
  });

  it('takes any other path as a gateway prefix, and names it when the answer is 404', async () => {
    const s = await server((res) => json(res, 404, { detail: 'Not found.' }));
    const error = await failure<DiditApiError>(
      createDiditClient({ apiKey: API_KEY, baseUrl: `${s.url}/didit/`, maxRetries: 0 }).sessions.share(SESSION_ID, {
        for_application_id: APP_ID,
      }),
    );
    expect(s.seen[0]!.url).toBe(`/didit/v3/session/${SESSION_ID}/share/`);
    expect(error).toBeInstanceOf(DiditNotFoundError);
    expect(error.message).toBe(
      "share: Didit answered 404 (Not found.); check the ids, or baseUrl's path (/didit) if no gateway serves Didit there",
    );
  });

  it('a 404 from a baseUrl without a path does not mention it', async () => {
    const s = await server((res) => json(res, 404, { detail: 'Not found.' }));
    const error = await failure<DiditApiError>(
      clientFor(s, { maxRetries: 0 }).sessions.share(SESSION_ID, {
        for_application_id: APP_ID,
      }),
    );
    expect(error.message).toBe('share: Didit answered 404 (Not found.); check the ids');
  });
});

describe('URLs in errors drop credentials', () => {
  it.each([
    'https://canaryuser:canarypass@verification.didit.me',
    'http://canaryuser@127.0.0.1:4010',
    'http://canaryuser:canarypass@verification.didit.me/v3',
  ])('a baseUrl with credentials (%s) is refused without repeating them', (baseUrl) => {
    const error = (() => {
      try {
        createDiditClient({ apiKey: API_KEY, baseUrl });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DiditError);
    expect(views(error)).not.toMatch(/canaryuser|canarypass/);
  });

  it('a redirect to a URL with credentials names the Location without them', async () => {
    const s = await server((res) =>
      json(
        res,
        302,
        { detail: 'moved to https://canaryuser:canarypass@elsewhere.example/v3/' },
        { location: 'https://canaryuser:canarypass@elsewhere.example/v3/' },
      ),
    );
    const error = await failure<DiditApiError>(
      clientFor(s, { maxRetries: 0 }).sessions.share(SESSION_ID, {
        for_application_id: APP_ID,
      }),
    );
    expect(error.message).toContain('(Location: https://elsewhere.example/v3/)');
    expect(error.headers.location).toBe('https://elsewhere.example/v3/');
    expect(views(error)).not.toMatch(/canaryuser|canarypass/);
  });

  it('a cause that prints a URL with credentials loses them', async () => {
    const error = await shareFailing(
      undiciFailure('ECONNREFUSED', 'connect ECONNREFUSED via http://canaryuser:canarypass@proxy.example:3128'),
    );
    expect(inspect(error, { depth: Infinity })).toContain('via http://proxy.example:3128');
    expect(views(error)).not.toMatch(/canaryuser|canarypass/);
  });
});
