// The `didit-share/testing` entry over real HTTP: its named fixtures are what they claim to be, failNext
// answers what it was told and only as often, options reach the twin, and close() frees the port.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiditTwin, MUTANTS, startDiditTwin } from './index.js';
import { MUTANT_IDS } from './mutants.js';

const IMPORT = '/v3/session/import-shared/';
const share = (sessionId: string) => `/v3/session/${sessionId}/share/`;

async function post(twin: DiditTwin, path: string, key: string | undefined, body: unknown) {
  const response = await fetch(twin.baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'x-api-key': key }) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** Shares `sessionId` as the source, for the partner, and returns the token. */
async function tokenFor(twin: DiditTwin, sessionId: string): Promise<string> {
  const minted = await post(twin, share(sessionId), twin.source.apiKey, {
    for_application_id: twin.partner.applicationId,
  });
  expect(minted.status).toBe(200);
  return minted.body.share_token as string;
}

describe('didit-share/testing: the named fixtures', () => {
  let twin: DiditTwin;
  beforeAll(async () => {
    twin = await startDiditTwin();
  });
  afterAll(() => twin.close());

  it('listens on loopback and names distinct ids, fresh on every start', async () => {
    expect(twin.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ids = [...Object.values(twin.source), ...Object.values(twin.partner)];
    expect(new Set(ids).size).toBe(ids.length);
    const other = await startDiditTwin();
    try {
      expect(other.source.apiKey).not.toBe(twin.source.apiKey);
      expect(other.partner.applicationId).not.toBe(twin.partner.applicationId);
    } finally {
      await other.close();
    }
  });

  it('source: a finished KYC and a finished KYB session, an unfinished one, a key without write:sessions', async () => {
    const { source, partner } = twin;
    const forPartner = { for_application_id: partner.applicationId };
    expect((await post(twin, share(source.sessionId), source.apiKey, forPartner)).body.session_kind).toBe('user');
    expect((await post(twin, share(source.businessSessionId), source.apiKey, forPartner)).body.session_kind).toBe(
      'business',
    );
    expect((await post(twin, share(source.unfinishedSessionId), source.apiKey, forPartner)).status).toBe(400);
    expect((await post(twin, share(source.sessionId), source.readonlyApiKey, forPartner)).status).toBe(403);
    // Sharing with the source itself is refused: applicationId is really the key's application.
    const own = await post(twin, share(source.sessionId), source.apiKey, { for_application_id: source.applicationId });
    expect(own.body.for_application_id).toEqual(['You cannot share a session with your own application.']);
  });

  it('partner: imports KYC into workflowId and KYB into businessWorkflowId; the source cannot redeem its token', async () => {
    const { source, partner } = twin;
    const kyc = await tokenFor(twin, source.sessionId);
    const wrong = await post(twin, IMPORT, source.apiKey, { share_token: kyc, workflow_id: source.workflowId });
    expect(wrong).toMatchObject({
      status: 403,
      body: { detail: 'This share token is not intended for your application.' },
    });
    const imported = await post(twin, IMPORT, partner.apiKey, { share_token: kyc, workflow_id: partner.workflowId });
    expect(imported).toMatchObject({
      status: 201,
      body: { status: 'In Review', shared_from_session: source.sessionId },
    });
    const kyb = await tokenFor(twin, source.businessSessionId);
    const business = { share_token: kyb, workflow_id: partner.businessWorkflowId };
    expect((await post(twin, IMPORT, partner.apiKey, business)).body.session_kind).toBe('business');
  });
});

describe('didit-share/testing: failNext', () => {
  let twin: DiditTwin;
  beforeAll(async () => {
    twin = await startDiditTwin();
  });
  afterAll(() => twin.close());
  const shareOnce = () =>
    post(twin, share(twin.source.sessionId), twin.source.apiKey, { for_application_id: twin.partner.applicationId });

  it('answers the status `times` times, then the twin answers again', async () => {
    twin.failNext(503, { times: 2 });
    const first = await shareOnce();
    expect(first).toMatchObject({ status: 503, body: { detail: 'Service temporarily unavailable, try again later.' } });
    expect(first.headers.get('retry-after')).toBeNull();
    expect((await shareOnce()).status).toBe(503);
    expect((await shareOnce()).status).toBe(200);
  });

  it('sends Retry-After when given, with DRF’s throttle message', async () => {
    twin.failNext(429, { retryAfter: 1 });
    const throttled = await shareOnce();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.body.detail).toBe('Request was throttled. Expected available in 1 second.');
    expect((await shareOnce()).status).toBe(200);
  });

  it('queues calls in order and fails any request, before the key is even looked at', async () => {
    twin.failNext(500);
    twin.failNext(404, { retryAfter: 0 });
    expect((await post(twin, IMPORT, undefined, {})).status).toBe(500);
    const second = await post(twin, IMPORT, undefined, {});
    expect([second.status, second.headers.get('retry-after')]).toEqual([404, '0']);
    expect((await post(twin, IMPORT, undefined, {})).status).toBe(401);
  });

  it.each([
    [200, {}, /status must be an HTTP error status/],
    [503.5, {}, /status must be/],
    [503, { times: 0 }, /times must be a whole number/],
    [503, { times: 1.5 }, /times must be/],
    [429, { retryAfter: -1 }, /retryAfter must be a whole number of seconds/],
  ])('refuses failNext(%s, %j) and queues nothing', async (status, options, message) => {
    expect(() => twin.failNext(status, options)).toThrow(message);
    expect((await shareOnce()).status).toBe(200);
  });
});

describe('didit-share/testing: options and close', () => {
  it('lists the catalogue of mutants by id, and starts one of them', async () => {
    expect(MUTANTS.map((m) => m.id)).toEqual(MUTANT_IDS);
    const twin = await startDiditTwin({ mutant: 'auth-readonly-key-can-share', dialect: 'current' });
    try {
      const body = { for_application_id: twin.partner.applicationId };
      expect((await post(twin, share(twin.source.sessionId), twin.source.readonlyApiKey, body)).status).toBe(200);
      expect((await post(twin, IMPORT, undefined, {})).status).toBe(403); // the current dialect: keyless 403
    } finally {
      await twin.close();
    }
  });

  it('refuses an unknown mutant id, naming the known ones', async () => {
    await expect(startDiditTwin({ mutant: 'no-such-mutant' as never })).rejects.toThrow(
      /Unknown twin mutant "no-such-mutant"\. Known: share-drops-session-kind, /,
    );
  });

  it('close() frees the port', async () => {
    const twin = await startDiditTwin();
    const port = Number(new URL(twin.baseUrl).port);
    await twin.close();
    const server = createServer().listen(port, '127.0.0.1');
    await once(server, 'listening');
    await new Promise((resolve) => server.close(resolve));
    await expect(fetch(twin.baseUrl)).rejects.toThrow();
  });
});
