import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  APP_ID,
  clientFor,
  failedShare,
  failure,
  IMPORT_OK,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
  TOKEN,
  WORKFLOW_ID,
} from '../test-support/loopback-server.js';
import {
  createDiditClient,
  DiditApiError,
  DiditAuthenticationError,
  DiditBadRequestError,
  DiditConnectionError,
  DiditResponseValidationError,
} from './index.js';

const server = serversClosedAfterEach();
const share = failedShare;

describe('secrets never appear in an error', () => {
  // The server echoes the key and the token back in its body and headers, the worst case.
  const leaks = (error: unknown) => {
    const views = [
      (error as Error).message,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: Infinity, showHidden: true }),
    ];
    return views.filter((view) => view.includes(API_KEY) || view.includes(TOKEN) || view.includes(TOKEN.slice(0, 40)));
  };

  it.each([400, 401, 403, 404, 429, 500])('%i echoing the key and the token', async (status) => {
    const s = await server((res, req) =>
      json(
        res,
        status,
        {
          detail: `bad key ${req.headers['x-api-key']} for ${JSON.parse(req.body).share_token}`,
          share_token: [JSON.parse(req.body).share_token],
        },
        {
          'x-echo-key': String(req.headers['x-api-key']),
        },
      ),
    );
    const error = await failure<DiditApiError>(
      clientFor(s, { maxRetries: 0 }).sessions.importShared({
        share_token: TOKEN,
        workflow_id: WORKFLOW_ID,
      }),
    );
    expect(error).toBeInstanceOf(DiditApiError);
    expect(leaks(error)).toEqual([]);
    expect(error.headers['x-echo-key']).toBe('***');
    expect(error.message).toContain(`bad key *** for ${TOKEN.slice(0, 10)}…`);
  });

  // Header names arrive lower-cased: a key or a token echoed into one is found whatever its case.
  it('a key and the token echoed into header names are redacted there too', async () => {
    const s = await server((res, req) => {
      const key = String(req.headers['x-api-key']);
      const token = JSON.parse(req.body).share_token as string;
      json(
        res,
        400,
        { detail: 'No.' },
        { [`x-echo-${key}`]: '1', [`x-${key.toUpperCase()}-b`]: '2', [`x-t-${token}`]: '3' },
      );
    });
    const error = await failure<DiditApiError>(
      clientFor(s, { maxRetries: 0 }).sessions.importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID }),
    );
    expect(error.headers).toMatchObject({ 'x-echo-***': '1', 'x-***-b': '2' });
    const lower = [API_KEY, TOKEN, TOKEN.slice(0, 40)].map((secret) => secret.toLowerCase());
    expect(leaks(error)).toEqual([]);
    for (const view of [JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })])
      expect(lower.filter((secret) => view.toLowerCase().includes(secret))).toEqual([]);
  });

  it('a drifted success body holding a token is redacted too', async () => {
    const s = await server((res) => json(res, 201, { ...IMPORT_OK, session_number: 'x', echoed: TOKEN }));
    const error = await failure<DiditResponseValidationError>(
      clientFor(s, { validateResponses: true }).sessions.importShared({
        share_token: TOKEN,
        workflow_id: WORKFLOW_ID,
      }),
    );
    expect(error.issues).toEqual([{ path: '/session_number', rule: 'must be integer' }]);
    expect(leaks(error)).toEqual([]);
  });

  it('a fetch that fails holding the request (and its key) leaks nothing through cause', async () => {
    const leakyFetch = (async (_input: unknown, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      throw Object.assign(new Error(`boom with ${headers.get('x-api-key')}`), {
        request: { headers: init?.headers },
        cause: new Error(`inner ${headers.get('x-api-key')}`),
      });
    }) as typeof fetch;
    const error = await failure<DiditConnectionError>(
      createDiditClient({
        apiKey: API_KEY,
        baseUrl: 'http://127.0.0.1:9',
        maxRetries: 0,
        fetch: leakyFetch,
      }).sessions.importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID }),
    );
    expect(error).toBeInstanceOf(DiditConnectionError);
    expect(error.message).toContain('boom with ***');
    expect(inspect(error, { depth: Infinity })).toContain('inner ***');
    expect(leaks(error)).toEqual([]);
  });

  // Under validateResponses a drifted share_token lands in the error's body; for share, the only
  // secret the client knows is the key, so the token must be recognised by where it sits.
  it.each([
    ['an opaque token', 'opaque-share-token-0123456789abcdef'],
    ['a two-part token', 'c2hhcmVfdG9rZW5fcGFydF9vbmU.c2lnbmF0dXJlX3BhcnRfdHdv'],
  ])('a drifted share response holding %s keeps only its first 10 characters', async (_name, token) => {
    const s = await server((res) =>
      json(res, 200, { ...SHARE_OK, share_token: token, nested: [{ accessToken: token }] }),
    );
    const error = (await share(s, true)) as DiditResponseValidationError;
    expect(error).toBeInstanceOf(DiditResponseValidationError);
    expect(error.issues.map((i) => i.path)).toEqual(['/share_token']);
    expect(error.body).toMatchObject({
      share_token: `${token.slice(0, 10)}…`,
      nested: [{ accessToken: `${token.slice(0, 10)}…` }],
    });
    for (const view of [
      error.message,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: Infinity, showHidden: true }),
    ]) {
      expect(view).not.toContain(token.slice(0, 11));
    }
  });

  // By position, whatever the shape: a DRF message under share_token is cut like a token would be
  // (the field and the status still say what was refused).
  it('every string below a token key keeps at most 10 characters; a short one is hidden whole', async () => {
    const token = 'tok_0123456789abcdef';
    const s = await server((res) =>
      json(res, 400, {
        token: 'tiny',
        share_token: [token, { value: token, deeper: [[token]] }],
        detail: ['Invalid or expired share token.'],
      }),
    );
    const error = (await share(s)) as DiditApiError;
    const cut = `${token.slice(0, 10)}…`;
    expect(error.body).toEqual({
      token: '***',
      share_token: [cut, { value: cut, deeper: [[cut]] }],
      detail: ['Invalid or expired share token.'],
    });
    expect(error.message).toContain('share_token: tok_012345…');
    expect(JSON.stringify(error) + inspect(error, { depth: Infinity })).not.toContain(token.slice(0, 11));
  });

  it('an API key with quotes, backslashes and braces is still redacted, and errors stay DiditErrors', async () => {
    const apiKey = 'a"b\\c:1}';
    const s = await server((res, req) =>
      json(
        res,
        401,
        { detail: `bad key ${req.headers['x-api-key']}`, [String(req.headers['x-api-key'])]: 'as a key' },
        { 'x-echo': String(req.headers['x-api-key']) },
      ),
    );
    const error = await failure<DiditApiError>(
      createDiditClient({ apiKey, baseUrl: s.url, maxRetries: 0 }).sessions.share(SESSION_ID, {
        for_application_id: APP_ID,
      }),
    );
    expect(error).toBeInstanceOf(DiditAuthenticationError);
    expect(s.seen[0]!.headers['x-api-key']).toBe(apiKey);
    expect(error.body).toEqual({ detail: 'bad key ***', '***': 'as a key' });
    expect(error.headers['x-echo']).toBe('***');
    for (const view of [
      error.message,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: Infinity, showHidden: true }),
    ]) {
      expect(view).not.toContain('b\\c');
    }
  });

  it('cookies and credential headers are not kept', async () => {
    const s = await server((res) =>
      json(
        res,
        403,
        { detail: 'No.' },
        {
          'set-cookie': 'sessionid=s3cr3t; HttpOnly',
          authorization: 'Bearer abc',
          'x-api-key': 'k',
          'x-request-id': 'req-1',
        },
      ),
    );
    const error = (await share(s)) as DiditApiError;
    expect(error.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'req-1' });
    for (const name of ['set-cookie', 'authorization', 'x-api-key']) expect(error.headers).not.toHaveProperty(name);
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });

  it('a deeply nested body does not overflow the error factory', async () => {
    const s = await server((res) =>
      json(res, 400, '['.repeat(20_000) + ']'.repeat(20_000), { 'content-type': 'application/json' }),
    );
    const error = (await share(s)) as DiditApiError;
    expect(error).toBeInstanceOf(DiditBadRequestError);
  });

  it('the client object does not expose the key', () => {
    const didit = createDiditClient({ apiKey: API_KEY });
    expect(inspect(didit, { depth: Infinity, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(didit)).not.toContain(API_KEY);
  });
});
