import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createDiditClient,
  DiditApiError,
  DiditAuthenticationError,
  DiditBadRequestError,
  DiditConnectionError,
  DiditError,
  DiditNotFoundError,
  DiditPermissionDeniedError,
  DiditRateLimitError,
  DiditResponseValidationError,
  DiditServerError,
} from './index.js';
import { API_KEY, APP_ID, IMPORT_OK, SESSION_ID, SHARE_OK, TOKEN, WORKFLOW_ID, failure, json, serversClosedAfterEach, type TestServer } from './test-server.js';

const server = serversClosedAfterEach();
const share = (s: TestServer, validateResponses = false) =>
  failure<DiditError>(createDiditClient({ apiKey: API_KEY, baseUrl: s.url, maxRetries: 0, validateResponses }).sessions.share(SESSION_ID, { for_application_id: APP_ID }));

describe('each error status becomes its class, with status, parsed body, headers and request id', () => {
  const fieldErrors = { ttl_in_seconds: ['Ensure this value is greater than or equal to 60.'] };
  it.each<[number, unknown, typeof DiditApiError, string]>([
    [400, { detail: 'Only finished sessions (Approved, Declined, In Review) can be shared.' }, DiditBadRequestError, 'Only finished sessions'],
    [400, fieldErrors, DiditBadRequestError, 'ttl_in_seconds: Ensure this value'],
    [401, { detail: 'Authentication credentials were not provided.' }, DiditAuthenticationError, 'check the API key'],
    [403, { detail: 'You do not have permission to perform this action.' }, DiditPermissionDeniedError, "check the key's rights"],
    [404, { detail: 'Not found.' }, DiditNotFoundError, 'check the ids'],
    [429, { detail: 'Request was throttled.' }, DiditRateLimitError, 'retry later'],
    [500, { detail: 'Server error.' }, DiditServerError, 'retry later'],
    [503, { detail: 'Unavailable.' }, DiditServerError, 'retry later'],
    [409, { detail: 'Conflict.' }, DiditApiError, 'Conflict.'],
  ])('%i %j', async (status, body, Class, text) => {
    const s = await server((res) => json(res, status, body, { 'x-request-id': 'req-123' }));
    const error = (await share(s)) as DiditApiError;
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(DiditError);
    expect(error.constructor).toBe(Class);
    expect(error.name).toBe(Class.name);
    expect(error).toMatchObject({ status, body, requestId: 'req-123' });
    expect(error.headers['content-type']).toBe('application/json');
    expect(error.message).toContain(`share: Didit answered ${status}`);
    expect(error.message).toContain(text);
  });

  it('a 502 HTML page does not crash parsing', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>';
    const s = await server((res) => json(res, 502, html));
    const error = (await share(s)) as DiditServerError;
    expect(error).toBeInstanceOf(DiditServerError);
    expect(error.body).toBe(html);
    expect(error.message).toBe('share: Didit answered 502 (not JSON); retry later');
    expect(error.requestId).toBeUndefined();
  });

  it.each([
    ['empty with content-length 0', (res: import('node:http').ServerResponse) => { res.writeHead(500, { 'content-length': '0' }); res.end(); }],
    ['empty, chunked', (res: import('node:http').ServerResponse) => { res.writeHead(500); res.end(); }],
  ])('an %s body does not crash parsing', async (_name, handler) => {
    const s = await server(handler);
    const error = (await share(s)) as DiditServerError;
    expect(error).toBeInstanceOf(DiditServerError);
    expect(error.message).toContain('(empty body)');
  });

  it('429 carries retryAfterMs from delay-seconds and from an HTTP date', async () => {
    const seconds = await server((res) => json(res, 429, { detail: 'Throttled.' }, { 'retry-after': '120' }));
    expect(await share(seconds)).toMatchObject({ name: 'DiditRateLimitError', retryAfterMs: 120_000 });
    const date = new Date(Date.now() + 90_000).toUTCString();
    const dated = await server((res) => json(res, 429, { detail: 'Throttled.' }, { 'retry-after': date }));
    const error = (await share(dated)) as DiditRateLimitError;
    expect(error.retryAfterMs).toBeGreaterThan(85_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('a refused connection is a DiditConnectionError with a cause', async () => {
    const s = await server(() => {});
    await s.close();
    const error = await share(s);
    expect(error).toBeInstanceOf(DiditConnectionError);
    expect(error.name).toBe('DiditConnectionError');
    expect(error.message).toMatch(/^share: network error \(fetch failed\); retry later$/);
    expect(inspect(error.cause)).toContain('ECONNREFUSED');
  });
});

describe('validateResponses', () => {
  it('drift in a success body lists JSON pointers, and unknown extra fields are fine', async () => {
    const s = await server((res) => json(res, 200, { share_token: 'not a jwt', session_kind: 'robot', extra: 1 }));
    const error = (await share(s, true)) as DiditResponseValidationError;
    expect(error).toBeInstanceOf(DiditResponseValidationError);
    expect(error.status).toBe(200);
    expect(error.issues.map((i) => i.path).sort()).toEqual(['/for_application_id', '/session_kind', '/share_token']);
    expect(error.message).toContain('/session_kind must be user,business');
    expect(error.message).toContain('/for_application_id is required');
  });

  it('accepts extra fields when the rest matches', async () => {
    const s = await server((res) => json(res, 200, { ...SHARE_OK, new_field: { a: 1 } }));
    expect(await createDiditClient({ apiKey: API_KEY, baseUrl: s.url, validateResponses: true }).sessions.share(SESSION_ID, { for_application_id: APP_ID })).toEqual({ ...SHARE_OK, new_field: { a: 1 } });
  });

  it('off by default: a drifted JSON body is returned as it is', async () => {
    const s = await server((res) => json(res, 200, { share_token: 1 }));
    expect(await createDiditClient({ apiKey: API_KEY, baseUrl: s.url }).sessions.share(SESSION_ID, { for_application_id: APP_ID })).toEqual({ share_token: 1 });
  });

  it('a non-JSON success body is an error even when validation is off', async () => {
    const s = await server((res) => json(res, 200, '<html>maintenance</html>'));
    const error = (await share(s)) as DiditResponseValidationError;
    expect(error).toBeInstanceOf(DiditResponseValidationError);
    expect(error.issues).toEqual([{ path: '', rule: 'must be JSON' }]);
  });
});

describe('secrets never appear in an error', () => {
  // The server echoes the key and the token back in its body and headers, the worst case.
  const leaks = (error: unknown) => {
    const views = [(error as Error).message, String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })];
    return views.filter((view) => view.includes(API_KEY) || view.includes(TOKEN) || view.includes(TOKEN.slice(0, 40)));
  };

  it.each([400, 401, 403, 404, 429, 500])('%i echoing the key and the token', async (status) => {
    const s = await server((res, req) =>
      json(res, status, { detail: `bad key ${req.headers['x-api-key']} for ${JSON.parse(req.body).share_token}`, share_token: [JSON.parse(req.body).share_token] }, {
        'x-echo-key': String(req.headers['x-api-key']),
      }),
    );
    const error = await failure<DiditApiError>(
      createDiditClient({ apiKey: API_KEY, baseUrl: s.url, maxRetries: 0 }).sessions.importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID }),
    );
    expect(error).toBeInstanceOf(DiditApiError);
    expect(leaks(error)).toEqual([]);
    expect(error.headers['x-echo-key']).toBe('***');
    expect(error.message).toContain(`bad key *** for ${TOKEN.slice(0, 10)}…`);
  });

  it('a drifted success body holding a token is redacted too', async () => {
    const s = await server((res) => json(res, 201, { ...IMPORT_OK, session_number: 'x', echoed: TOKEN }));
    const error = await failure<DiditResponseValidationError>(
      createDiditClient({ apiKey: API_KEY, baseUrl: s.url, validateResponses: true }).sessions.importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID }),
    );
    expect(error.issues).toEqual([{ path: '/session_number', rule: 'must be integer' }]);
    expect(leaks(error)).toEqual([]);
  });

  it('a fetch that fails holding the request (and its key) leaks nothing through cause', async () => {
    const leakyFetch = (async (_input: unknown, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      throw Object.assign(new Error(`boom with ${headers.get('x-api-key')}`), { request: { headers: init?.headers }, cause: new Error(`inner ${headers.get('x-api-key')}`) });
    }) as typeof fetch;
    const error = await failure<DiditConnectionError>(
      createDiditClient({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', maxRetries: 0, fetch: leakyFetch }).sessions.importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID }),
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
    const s = await server((res) => json(res, 200, { ...SHARE_OK, share_token: token, nested: [{ accessToken: token }] }));
    const error = (await share(s, true)) as DiditResponseValidationError;
    expect(error).toBeInstanceOf(DiditResponseValidationError);
    expect(error.issues.map((i) => i.path)).toEqual(['/share_token']);
    expect(error.body).toMatchObject({ share_token: `${token.slice(0, 10)}…`, nested: [{ accessToken: `${token.slice(0, 10)}…` }] });
    for (const view of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })]) {
      expect(view).not.toContain(token.slice(0, 11));
    }
  });

  it('a short value under a token key is hidden whole; DRF messages under one are kept', async () => {
    const s = await server((res) => json(res, 400, { token: 'tiny', share_token: ['Invalid or expired share token.'] }));
    const error = (await share(s)) as DiditApiError;
    expect(error.body).toEqual({ token: '***', share_token: ['Invalid or expired share token.'] });
  });

  it('an API key with quotes, backslashes and braces is still redacted, and errors stay DiditErrors', async () => {
    const apiKey = 'a"b\\c:1}';
    const s = await server((res, req) =>
      json(res, 401, { detail: `bad key ${req.headers['x-api-key']}`, [String(req.headers['x-api-key'])]: 'as a key' }, { 'x-echo': String(req.headers['x-api-key']) }),
    );
    const error = await failure<DiditApiError>(createDiditClient({ apiKey, baseUrl: s.url, maxRetries: 0 }).sessions.share(SESSION_ID, { for_application_id: APP_ID }));
    expect(error).toBeInstanceOf(DiditAuthenticationError);
    expect(s.seen[0]!.headers['x-api-key']).toBe(apiKey);
    expect(error.body).toEqual({ detail: 'bad key ***', '***': 'as a key' });
    expect(error.headers['x-echo']).toBe('***');
    for (const view of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })]) {
      expect(view).not.toContain('b\\c');
    }
  });

  it('cookies and credential headers are not kept', async () => {
    const s = await server((res) =>
      json(res, 403, { detail: 'No.' }, { 'set-cookie': 'sessionid=s3cr3t; HttpOnly', authorization: 'Bearer abc', 'x-api-key': 'k', 'x-request-id': 'req-1' }),
    );
    const error = (await share(s)) as DiditApiError;
    expect(error.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'req-1' });
    for (const name of ['set-cookie', 'authorization', 'x-api-key']) expect(error.headers).not.toHaveProperty(name);
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });

  it('a deeply nested body does not overflow the error factory', async () => {
    const s = await server((res) => json(res, 400, '['.repeat(20_000) + ']'.repeat(20_000), { 'content-type': 'application/json' }));
    const error = (await share(s)) as DiditApiError;
    expect(error).toBeInstanceOf(DiditBadRequestError);
  });

  it('the client object does not expose the key', () => {
    const didit = createDiditClient({ apiKey: API_KEY });
    expect(inspect(didit, { depth: Infinity, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(didit)).not.toContain(API_KEY);
  });
});
