import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createDiditClient,
  DiditConnectionError,
  DiditResponseTooLargeError,
  DiditTimeoutError,
  DiditValidationError,
  type DiditClientOptions,
} from './index.js';
import {
  API_KEY,
  APP_ID,
  IMPORT_OK,
  SESSION_ID,
  SHARE_OK,
  TOKEN,
  WORKFLOW_ID,
  json,
  serversClosedAfterEach,
  type TestServer,
} from '../test-support/loopback-server.js';

const server = serversClosedAfterEach();
const client = (s: TestServer, options: DiditClientOptions = {}) =>
  createDiditClient({ apiKey: API_KEY, baseUrl: s.url, ...options });

describe('happy path', () => {
  it('share POSTs the body with the key to the trailing-slash path and returns the typed body', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const minted = await client(s, { validateResponses: true }).sessions.share(SESSION_ID, {
      for_application_id: APP_ID,
      ttl_in_seconds: 7200,
    });
    expect(minted).toEqual(SHARE_OK);
    expect(s.seen).toHaveLength(1);
    const [req] = s.seen;
    expect(req).toMatchObject({ method: 'POST', url: `/v3/session/${SESSION_ID}/share/` });
    expect(req!.headers['x-api-key']).toBe(API_KEY);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.body)).toEqual({ for_application_id: APP_ID, ttl_in_seconds: 7200 });
  });

  it('importShared POSTs to /v3/session/import-shared/ and accepts the 201 body', async () => {
    const s = await server((res) => json(res, 201, IMPORT_OK));
    const body = { share_token: TOKEN, workflow_id: WORKFLOW_ID, vendor_data: 'partner-user-42', trust_review: false };
    const copy = await client(s, { validateResponses: true }).sessions.importShared(body);
    expect(copy).toEqual(IMPORT_OK);
    expect(s.seen[0]).toMatchObject({ method: 'POST', url: '/v3/session/import-shared/' });
    expect(JSON.parse(s.seen[0]!.body)).toEqual(body);
  });

  it('baseUrl with a trailing slash still yields single-slash paths', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    await createDiditClient({ apiKey: API_KEY, baseUrl: `${s.url}/` }).sessions.share(SESSION_ID, {
      for_application_id: APP_ID,
    });
    expect(s.seen[0]!.url).toBe(`/v3/session/${SESSION_ID}/share/`);
  });

  it('raw answers { data, error, response } with the key sent', async () => {
    const s = await server((res) => json(res, 404, { detail: 'Not found.' }));
    const { data, error, response } = await client(s).raw.POST('/v3/session/{sessionId}/share/', {
      params: { path: { sessionId: SESSION_ID } },
      body: { for_application_id: APP_ID },
    });
    expect([data, error, response.status]).toEqual([undefined, { detail: 'Not found.' }, 404]);
    expect(s.seen[0]!.headers['x-api-key']).toBe(API_KEY);
  });

  it('raw parses a success body into data, and types its path parameters and body from the spec', async () => {
    const s = await server((res) => json(res, 201, IMPORT_OK));
    const { data, error, response } = await client(s).raw.POST('/v3/session/import-shared/', {
      body: { share_token: TOKEN, workflow_id: WORKFLOW_ID },
    });
    expect([data, error, response.status]).toEqual([IMPORT_OK, undefined, 201]);
    const raw = client(s).raw;
    // @ts-expect-error share needs its sessionId
    await raw.POST('/v3/session/{sessionId}/share/', { body: { for_application_id: APP_ID } }).catch(() => {});
    // @ts-expect-error import takes no path parameters, and its body needs a workflow_id
    await raw.POST('/v3/session/import-shared/', { body: { share_token: TOKEN } }).catch(() => {});
  });

  it('sessions.* hand fetch (url: string, init) with everything the request needs', async () => {
    // fetch(url, init) is called directly (no Request built per call): pins what fetch receives.
    const s = await server((res) => json(res, 200, SHARE_OK));
    const calls: [unknown, RequestInit | undefined][] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      calls.push([input, init]);
      return fetch(input, init);
    };
    const body = { for_application_id: APP_ID, ttl_in_seconds: 600 };
    await client(s, { fetch: fetchSpy }).sessions.share(SESSION_ID, body);
    expect(calls).toHaveLength(1);
    const [url, init] = calls[0]!;
    expect(url).toBe(`${s.url}/v3/session/${SESSION_ID}/share/`);
    expect(init).toMatchObject({ method: 'POST', redirect: 'manual' });
    const headers = new Headers(init!.headers);
    expect(headers.get('x-api-key')).toBe(API_KEY);
    expect(headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(String(init!.body))).toEqual(body);
    expect(init!.signal).toBeInstanceOf(AbortSignal);
  });

  it('uses the injected fetch', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const calls: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    await client(s, { fetch: fetchSpy }).sessions.share(SESSION_ID, { for_application_id: APP_ID });
    expect(calls).toEqual([`${s.url}/v3/session/${SESSION_ID}/share/`]);
  });
});

describe('request validation: invalid input throws DiditValidationError and sends nothing', () => {
  const share = { for_application_id: APP_ID, ttl_in_seconds: 3600 };
  const imp = { share_token: TOKEN, workflow_id: WORKFLOW_ID };
  const cases: [string, (c: ReturnType<typeof createDiditClient>) => Promise<unknown>, string, string][] = [
    ['path traversal as sessionId', (c) => c.sessions.share('../../x', share), 'sessionId', 'must be uuid'],
    [
      "sessionId as a urn:uuid: (ajv-formats takes it, Didit's route does not)",
      (c) => c.sessions.share(`urn:uuid:${SESSION_ID}`, share),
      'sessionId',
      'must be uuid',
    ],
    ['sessionId not a string', (c) => c.sessions.share(42 as never, share), 'sessionId', 'must be uuid'],
    ['sessionId missing', (c) => c.sessions.share(undefined as never, share), 'sessionId', 'must be uuid'],
    [
      'for_application_id missing',
      (c) => c.sessions.share(SESSION_ID, {} as never),
      'for_application_id',
      'is required',
    ],
    [
      'for_application_id not a uuid',
      (c) => c.sessions.share(SESSION_ID, { for_application_id: 'app-1' }),
      'for_application_id',
      'must be uuid',
    ],
    [
      'for_application_id a number',
      (c) => c.sessions.share(SESSION_ID, { for_application_id: 7 as never }),
      'for_application_id',
      'must be string',
    ],
    [
      'ttl below 60',
      (c) => c.sessions.share(SESSION_ID, { ...share, ttl_in_seconds: 59 }),
      'ttl_in_seconds',
      'must be >= 60',
    ],
    [
      'ttl above 86400',
      (c) => c.sessions.share(SESSION_ID, { ...share, ttl_in_seconds: 86401 }),
      'ttl_in_seconds',
      'must be <= 86400',
    ],
    [
      'ttl not an integer',
      (c) => c.sessions.share(SESSION_ID, { ...share, ttl_in_seconds: 60.5 }),
      'ttl_in_seconds',
      'must be integer',
    ],
    [
      'ttl a string',
      (c) => c.sessions.share(SESSION_ID, { ...share, ttl_in_seconds: '3600' as never }),
      'ttl_in_seconds',
      'must be integer',
    ],
    ['share body not an object', (c) => c.sessions.share(SESSION_ID, null as never), 'body', 'must be object'],
    [
      'share_token missing',
      (c) => c.sessions.importShared({ workflow_id: WORKFLOW_ID } as never),
      'share_token',
      'is required',
    ],
    [
      'share_token not three base64url parts',
      (c) => c.sessions.importShared({ ...imp, share_token: 'a.b' }),
      'share_token',
      'must match',
    ],
    [
      'workflow_id missing',
      (c) => c.sessions.importShared({ share_token: TOKEN } as never),
      'workflow_id',
      'is required',
    ],
    [
      'workflow_id not a uuid',
      (c) => c.sessions.importShared({ ...imp, workflow_id: 'wf' }),
      'workflow_id',
      'must be uuid',
    ],
    [
      'vendor_data not a string',
      (c) => c.sessions.importShared({ ...imp, vendor_data: 1 as never }),
      'vendor_data',
      'must be string',
    ],
    [
      'trust_review not a boolean',
      (c) => c.sessions.importShared({ ...imp, trust_review: 'yes' as never }),
      'trust_review',
      'must be boolean',
    ],
  ];
  it.each(cases)('%s', async (_name, call, path, rule) => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const error = await call(client(s)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiditValidationError);
    const issue = (error as DiditValidationError).issues.find((i) => i.path === path);
    expect(issue?.rule).toContain(rule);
    expect((error as Error).message).toContain(`${path} ${issue!.rule}`);
    expect((error as Error).message).toContain('invalid input, not sent');
    expect(s.seen).toHaveLength(0);
  });

  it('lists every broken rule at once', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const error = (await client(s)
      .sessions.share('x', { for_application_id: 'y', ttl_in_seconds: 1.5 })
      .catch((e) => e)) as DiditValidationError;
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'for_application_id',
      'sessionId',
      'ttl_in_seconds',
      'ttl_in_seconds',
    ]);
  });
});

describe('redirects', () => {
  it('a 301 to another origin is an error and the other origin never sees the key', async () => {
    const other = await server((res) => json(res, 200, SHARE_OK));
    const s = await server((res, req) => {
      res.writeHead(301, { location: `${other.url}${req.url}` });
      res.end();
    });
    const error = await client(s)
      .sessions.share(SESSION_ID, { for_application_id: APP_ID })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'DiditApiError', status: 301 });
    expect(error.message).toContain('redirects are not followed');
    expect(error.message).toContain(other.url);
    expect(s.seen).toHaveLength(1); // a 3xx is not retried
    expect(other.seen.filter((r) => r.headers['x-api-key'])).toEqual([]);
    expect(other.seen).toHaveLength(0);
  });

  it('the raw client does not follow redirects either', async () => {
    const other = await server((res) => json(res, 200, SHARE_OK));
    const s = await server((res) => {
      res.writeHead(307, { location: `${other.url}/v3/session/import-shared/` });
      res.end();
    });
    const { response } = await client(s).raw.POST('/v3/session/import-shared/', {
      body: { share_token: TOKEN, workflow_id: WORKFLOW_ID },
    });
    expect(response.status).toBe(307);
    expect(other.seen).toHaveLength(0);
  });
});

// Timeouts and waits are timed under fake timers in timing.test.ts; here, against a real server.
describe('cancellation', () => {
  it("the caller's signal aborts the call with its reason and stops retries", async () => {
    const controller = new AbortController();
    const reason = new Error('user left');
    // Aborted once the request has arrived (and is left unanswered), whatever the machine's speed.
    const s = await server(() => controller.abort(reason));
    const error = await client(s)
      .sessions.share(SESSION_ID, { for_application_id: APP_ID }, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBe(reason);
    expect(s.seen).toHaveLength(1);
  });
});

describe('raw runs through the same transport', () => {
  it('a hanging answer times out with DiditTimeoutError, naming the call', async () => {
    // A fetch that never answers: only the timeout can end the call (timed to the ms in timing.test.ts).
    let calls = 0;
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_, reject) => {
        calls++;
        init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason));
      });
    const base = 'https://verification.didit.me';
    const error = await createDiditClient({ apiKey: API_KEY, baseUrl: base, fetch: hanging, timeoutMs: 20 })
      .raw.POST('/v3/session/{sessionId}/share/', {
        params: { path: { sessionId: SESSION_ID } },
        body: { for_application_id: APP_ID },
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditTimeoutError);
    expect(error.message).toBe(
      `share: no response from POST ${base}/v3/session/${SESSION_ID}/share/ in 20 ms; retry later`,
    );
    expect(calls).toBe(1);
  });

  it('no answer to an import is a redacted DiditConnectionError that says it may have landed', async () => {
    const s = await server((res) => res.socket!.destroy());
    const fetchEchoing: typeof fetch = () => Promise.reject(new TypeError(`fetch failed for ${API_KEY} and ${TOKEN}`));
    const error = await client(s, { fetch: fetchEchoing })
      .raw.POST('/v3/session/import-shared/', { body: { share_token: TOKEN, workflow_id: WORKFLOW_ID } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditConnectionError);
    expect(error.message).toContain('may have landed');
    expect(error.message + inspect(error)).not.toContain(API_KEY);
    expect(error.message + inspect(error)).not.toContain(TOKEN);
  });

  it('an answer over maxResponseBytes is DiditResponseTooLargeError', async () => {
    const s = await server((res) => json(res, 200, { ...SHARE_OK, pad: 'x'.repeat(2000) }));
    const error = await client(s, { maxResponseBytes: 1000 })
      .raw.POST('/v3/session/import-shared/', { body: { share_token: TOKEN, workflow_id: WORKFLOW_ID } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditResponseTooLargeError);
    expect(error).toMatchObject({ status: 200, limitBytes: 1000 });
  });

  it('a non-JSON error body is its text', async () => {
    const s = await server((res) => json(res, 502, '<html>bad gateway</html>'));
    const { error, response } = await client(s).raw.POST('/v3/session/import-shared/', {
      body: { share_token: TOKEN, workflow_id: WORKFLOW_ID },
    });
    expect([error, response.status]).toEqual(['<html>bad gateway</html>', 502]);
    expect(s.seen).toHaveLength(1); // never retried
  });
});
