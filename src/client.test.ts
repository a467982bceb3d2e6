import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  APP_ID,
  clientFor,
  IMPORT_OK,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
  TOKEN,
  WORKFLOW_ID,
} from '../test-support/loopback-server.js';
import { createDiditClient } from './index.js';

const server = serversClosedAfterEach();

describe('happy path', () => {
  it('share POSTs the body with the key to the trailing-slash path and returns the typed body', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const minted = await clientFor(s, { validateResponses: true }).sessions.share(SESSION_ID, {
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
    const copy = await clientFor(s, { validateResponses: true }).sessions.importShared(body);
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

  it('sessions.* hand fetch (url: string, init) with everything the request needs', async () => {
    // fetch(url, init) is called directly (no Request built per call): pins what fetch receives.
    const s = await server((res) => json(res, 200, SHARE_OK));
    const calls: [unknown, RequestInit | undefined][] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      calls.push([input, init]);
      return fetch(input, init);
    };
    const body = { for_application_id: APP_ID, ttl_in_seconds: 600 };
    await clientFor(s, { fetch: fetchSpy }).sessions.share(SESSION_ID, body);
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
    await clientFor(s, { fetch: fetchSpy }).sessions.share(SESSION_ID, { for_application_id: APP_ID });
    expect(calls).toEqual([`${s.url}/v3/session/${SESSION_ID}/share/`]);
  });
});

describe('redirects', () => {
  it('a 301 to another origin is an error and the other origin never sees the key', async () => {
    const other = await server((res) => json(res, 200, SHARE_OK));
    const s = await server((res, req) => {
      res.writeHead(301, { location: `${other.url}${req.url}` });
      res.end();
    });
    const error = await clientFor(s)
      .sessions.share(SESSION_ID, { for_application_id: APP_ID })
      .catch((e) => e);
    expect(error).toMatchObject({ name: 'DiditApiError', status: 301 });
    expect(error.message).toContain('redirects are not followed');
    expect(error.message).toContain(other.url);
    expect(s.seen).toHaveLength(1); // a 3xx is not retried
    expect(other.seen.filter((r) => r.headers['x-api-key'])).toEqual([]);
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
    const error = await clientFor(s)
      .sessions.share(SESSION_ID, { for_application_id: APP_ID }, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBe(reason);
    expect(s.seen).toHaveLength(1);
  });
});
