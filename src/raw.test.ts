// `raw` is openapi-fetch on diditFetch, and so is any client a user builds on diditFetch: each case
// runs against both, so they cannot drift apart. diditFetch's own contract (both call forms, what it
// refuses) closes the file.
import { inspect } from 'node:util';
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import type { paths } from '../generated/schema.js';
import {
  API_KEY,
  APP_ID,
  clientFor,
  IMPORT_OK,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
  type TestServer,
  TOKEN,
  WORKFLOW_ID,
} from '../test-support/loopback-server.js';
import {
  createDiditClient,
  DiditConnectionError,
  DiditError,
  type DiditFetchOptions,
  DiditResponseTooLargeError,
  DiditTimeoutError,
  diditFetch,
} from './index.js';

const server = serversClosedAfterEach();
const SHARE = '/v3/session/{sessionId}/share/' as const;
const IMPORT = '/v3/session/import-shared/' as const;
const share = { params: { path: { sessionId: SESSION_ID } }, body: { for_application_id: APP_ID } };
const importBody = { body: { share_token: TOKEN, workflow_id: WORKFLOW_ID } };

// What both clients take: the options diditFetch and the client share.
type Limits = Pick<DiditFetchOptions, 'timeoutMs' | 'maxResponseBytes' | 'fetch'>;
const CLIENTS: [string, (base: string, options?: Limits) => ReturnType<typeof createClient<paths>>][] = [
  ['raw', (baseUrl, options) => createDiditClient({ apiKey: API_KEY, baseUrl, ...options }).raw],
  [
    "a user's own openapi-fetch client on diditFetch",
    (baseUrl, options) => createClient<paths>({ baseUrl, fetch: diditFetch({ apiKey: API_KEY, ...options }) }),
  ],
];

describe.each(CLIENTS)('%s', (_name, make) => {
  const on = (s: TestServer, options?: Limits) => make(s.url, options);

  it('answers { data, error, response } with the key sent, any status, never retried', async () => {
    const s = await server((res, _seen, i) =>
      i ? json(res, 201, IMPORT_OK) : json(res, 404, { detail: 'Not found.' }),
    );
    const refused = await on(s).POST(SHARE, share);
    expect([refused.data, refused.error, refused.response.status]).toEqual([undefined, { detail: 'Not found.' }, 404]);
    const imported = await on(s).POST(IMPORT, importBody);
    expect([imported.data, imported.error, imported.response.status]).toEqual([IMPORT_OK, undefined, 201]);
    expect(s.seen.map((r) => [r.method, r.url, r.headers['x-api-key']])).toEqual([
      ['POST', `/v3/session/${SESSION_ID}/share/`, API_KEY],
      ['POST', IMPORT, API_KEY],
    ]);
    expect(JSON.parse(s.seen[1]!.body)).toEqual(importBody.body);
  });

  it('does not follow a redirect: the 3xx is the response, and the other origin never sees the key', async () => {
    const other = await server((res) => json(res, 200, SHARE_OK));
    const s = await server((res) => {
      res.writeHead(307, { location: `${other.url}${IMPORT}` });
      res.end();
    });
    const { response } = await on(s).POST(IMPORT, importBody);
    expect([response.status, response.headers.get('location')]).toEqual([307, `${other.url}${IMPORT}`]);
    expect(other.seen).toHaveLength(0);
  });

  it('a response over maxResponseBytes is DiditResponseTooLargeError, the body never read whole', async () => {
    const s = await server((res) => json(res, 200, { ...SHARE_OK, pad: 'x'.repeat(2000) }));
    const error = await on(s, { maxResponseBytes: 1000 })
      .POST(SHARE, share)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditResponseTooLargeError);
    expect(error).toMatchObject({ status: 200, limitBytes: 1000 });
    expect(error.message).toMatch(/^share: the 200 answer of POST http:\/\/127\.0\.0\.1:\d+\/v3\/session\/.+ is over/);
  });

  it('a response within maxResponseBytes is handed back whole, its url kept', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const { data, response } = await on(s, { maxResponseBytes: 1000 }).POST(SHARE, share);
    expect(data).toEqual(SHARE_OK);
    expect(response.url).toBe(`${s.url}/v3/session/${SESSION_ID}/share/`);
  });

  it('a non-JSON error body is its text', async () => {
    const s = await server((res) => json(res, 502, '<html>bad gateway</html>'));
    const { error, response } = await on(s).POST(IMPORT, importBody);
    expect([error, response.status]).toEqual(['<html>bad gateway</html>', 502]);
    expect(s.seen).toHaveLength(1);
  });

  it('hangs no longer than timeoutMs: DiditTimeoutError, naming the call', async () => {
    // A fetch that never answers: only the timeout can end the call (timed to the ms in timing.test.ts).
    let calls = 0;
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_, reject) => {
        calls++;
        init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason));
      });
    const base = 'https://verification.didit.me';
    const error = await make(base, { fetch: hanging, timeoutMs: 20 })
      .POST(SHARE, share)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditTimeoutError);
    expect(error.message).toBe(
      `share: no response from POST ${base}/v3/session/${SESSION_ID}/share/ in 20 ms; retry later`,
    );
    expect(calls).toBe(1);
  });

  it("a per-call AbortSignal.timeout is the client's DiditTimeoutError; another abort is its reason", async () => {
    const s = await server(() => {}); // never answers
    const timedOut = await on(s)
      .POST(IMPORT, { ...importBody, signal: AbortSignal.timeout(20) })
      .catch((e) => e);
    expect(timedOut).toBeInstanceOf(DiditTimeoutError);
    expect(timedOut.message).toMatch(/^importShared: no response from .+ before the call's signal timed out; it may/);
    const controller = new AbortController();
    const reason = new Error('user left');
    const pending = on(s).POST(IMPORT, { ...importBody, signal: controller.signal });
    controller.abort(reason);
    expect(await pending.catch((e) => e)).toBe(reason);
  });

  it('no response to an import is a redacted DiditConnectionError that says it may have landed', async () => {
    const s = await server((res) => res.socket!.destroy());
    const echoing: typeof fetch = () => Promise.reject(new TypeError(`fetch failed for ${API_KEY} and ${TOKEN}`));
    const error = await on(s, { fetch: echoing })
      .POST(IMPORT, importBody)
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditConnectionError);
    expect(error.message).toContain('may have landed');
    expect(error.message + inspect(error)).not.toContain(API_KEY);
    expect(error.message + inspect(error)).not.toContain(TOKEN);
  });
});

describe("raw is openapi-fetch's client", () => {
  it('use() middleware sees a raw.POST and a raw.GET, may add a header, and eject() removes it', async () => {
    const s = await server((res, seen) => (seen.method === 'POST' ? json(res, 200, SHARE_OK) : json(res, 405, {})));
    const { raw } = clientFor(s);
    const seen: string[] = [];
    const tracing = {
      onRequest({ request, schemaPath }: { request: Request; schemaPath: string }) {
        seen.push(`${request.method} ${schemaPath}`);
        request.headers.set('x-trace-id', 'trace-1');
      },
      onResponse({ response }: { response: Response }) {
        seen.push(String(response.status));
      },
    };
    raw.use(tracing);
    await raw.POST(SHARE, share);
    // @ts-expect-error the spec documents no GET; middleware sees one all the same
    await raw.GET(IMPORT);
    raw.eject(tracing);
    await raw.POST(SHARE, share);
    expect(seen).toEqual([`POST ${SHARE}`, '200', `GET ${IMPORT}`, '405']);
    expect(s.seen.map((r) => [r.method, r.headers['x-trace-id'], r.headers['x-api-key']])).toEqual([
      ['POST', 'trace-1', API_KEY],
      ['GET', 'trace-1', API_KEY],
      ['POST', undefined, API_KEY],
    ]);
  });

  it("types each path's parameters and body from the spec", async () => {
    const s = await server((res) => json(res, 201, IMPORT_OK));
    const { raw } = clientFor(s);
    // @ts-expect-error share needs its sessionId
    await raw.POST(SHARE, { body: { for_application_id: APP_ID } }).catch(() => {});
    // @ts-expect-error import's body needs a workflow_id
    await raw.POST(IMPORT, { body: { share_token: TOKEN } }).catch(() => {});
    const { data } = await raw.POST(IMPORT, importBody);
    expect(data?.session_id).toBe(IMPORT_OK.session_id);
  });
});

describe('diditFetch', () => {
  it('takes fetch(url, init) as well as fetch(request), adding the key and refusing redirects', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const calls: [RequestInfo | URL, RequestInit | undefined][] = [];
    const spy: typeof fetch = (input, init) => {
      calls.push([input, init]);
      return fetch(input, init);
    };
    const call = diditFetch({ apiKey: API_KEY, fetch: spy });
    const url = `${s.url}/v3/session/${SESSION_ID}/share/`;
    const init = { method: 'POST', body: JSON.stringify(share.body), headers: { 'content-type': 'application/json' } };
    const answers = [await call(url, init), await call(new URL(url), init), await call(new Request(url, init))];
    expect(await Promise.all(answers.map((r) => r.json()))).toEqual([SHARE_OK, SHARE_OK, SHARE_OK]);
    expect(s.seen.map((r) => [r.method, r.headers['x-api-key'], r.headers['content-type'], r.body])).toEqual(
      Array(3).fill(['POST', API_KEY, 'application/json', init.body]),
    );
    expect(calls.map(([, sent]) => sent?.redirect)).toEqual(['manual', 'manual', 'manual']);
    expect(calls[2]![0]).toBeInstanceOf(Request); // passed on in the form it came
  });

  it.each([
    [
      'http: to a public host',
      'http://verification.didit.me/v3/session/import-shared/',
      /not to http:\/\/verification/,
    ],
    [
      'http: to a host that only starts with 127',
      'http://127.0.0.1.example.com/v3/',
      /not to http:\/\/127\.0\.0\.1\.example/,
    ],
    ['credentials in the URL', 'https://user:hunter2@verification.didit.me/v3/', /without user:password@/],
    ['a relative URL', '/v3/session/import-shared/', /not to a relative URL/],
  ])('refuses %s before sending the key', async (_name, url, message) => {
    let sent = 0;
    const call = diditFetch({ apiKey: API_KEY, fetch: () => Promise.resolve(new Response(String(++sent))) });
    const error = await call(url, { method: 'POST' }).catch((e) => e);
    expect(error).toBeInstanceOf(DiditError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('hunter2');
    expect(sent).toBe(0);
  });

  it('refuses options that cannot work, as the client does', () => {
    expect(() => diditFetch({ apiKey: 'a key' })).toThrow(/printable ASCII/);
    expect(() => diditFetch({ apiKey: API_KEY, maxResponseBytes: 0 })).toThrow(/maxResponseBytes an integer > 0/);
  });
});
