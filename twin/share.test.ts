// The twin's share endpoint over real HTTP: documented successes, every documented error, the order
// of checks, and its rate limit.
import { randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsOf } from '../http-kit/exchange.js';
import { sharePath } from '../http-kit/paths.js';
import { decodeToken } from '../http-kit/share-token.js';
import { envOf, mintedToken, request, shareAs } from '../test-support/twin-client.js';
import { startTwin, type Twin } from './server.js';

let twin: Twin;
const env = (name: string): string => envOf(twin, name);
const forApp = () => ({ for_application_id: env('DIDIT_FOR_APPLICATION_ID') });

describe('twin: share', () => {
  beforeAll(async () => {
    twin = await startTwin();
  });
  afterAll(() => twin.close());

  it('exposes exactly the drift-check environment', () => {
    expect(Object.keys(twin.env).sort()).toEqual([
      'DIDIT_API_KEY',
      'DIDIT_BASE_URL',
      'DIDIT_BUSINESS_SESSION_ID',
      'DIDIT_FOR_APPLICATION_ID',
      'DIDIT_KYB_WORKFLOW_ID',
      'DIDIT_PARTNER_API_KEY',
      'DIDIT_PARTNER_KYB_WORKFLOW_ID',
      'DIDIT_PARTNER_READONLY_API_KEY',
      'DIDIT_PARTNER_WORKFLOW_ID',
      'DIDIT_READONLY_API_KEY',
      'DIDIT_SESSION_ID',
      'DIDIT_UNFINISHED_SESSION_ID',
      'DIDIT_WORKFLOW_ID',
    ]);
    expect(twin.env.DIDIT_BASE_URL).toBe(twin.baseUrl);
  });

  it('mints a verifiable HS256 token whose claims match the request (200)', async () => {
    const res = await shareAs(twin, { body: { ...forApp(), ttl_in_seconds: 7200 } });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(Object.keys(fieldsOf(res)).sort()).toEqual(['for_application_id', 'session_kind', 'share_token']);
    expect(fieldsOf(res)).toMatchObject({ ...forApp(), session_kind: 'user' });
    const token = mintedToken(res);
    const { payload, protectedHeader } = await jwtVerify(token, twin.fixtures.tokenSecret, { algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.keys(payload)).toEqual([
      'session_id',
      'session_kind',
      'from_application_id',
      'for_application_id',
      'iat',
      'exp',
    ]);
    expect(payload).toMatchObject({
      session_id: env('DIDIT_SESSION_ID'),
      session_kind: 'user',
      ...forApp(),
      from_application_id: twin.fixtures.applicationId,
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(7200);
    expect(Math.abs(Number(payload.iat) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('defaults the TTL to 3600 and shares KYB sessions as business', async () => {
    const claims = decodeToken(mintedToken(await shareAs(twin)))!.claims;
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    const kyb = await shareAs(twin, { sessionId: env('DIDIT_BUSINESS_SESSION_ID') });
    expect(fieldsOf(kyb).session_kind).toBe('business');
    expect(decodeToken(mintedToken(kyb))!.claims.session_kind).toBe('business');
  });

  it('shares every finished status and refuses unfinished ones (400 detail)', async () => {
    const f = twin.fixtures;
    for (const id of [f.declinedSessionId, f.inReviewSessionId])
      expect((await shareAs(twin, { sessionId: id })).status).toBe(200);
    for (const id of [env('DIDIT_UNFINISHED_SESSION_ID'), f.notStartedSessionId]) {
      const res = await shareAs(twin, { sessionId: id });
      expect(res.status).toBe(400);
      expect(fieldsOf(res).detail).toMatch(/finished/);
    }
  });

  it.each([
    [{ ttl_in_seconds: 60 }, 200],
    [{ ttl_in_seconds: 86400 }, 200],
    [{ ttl_in_seconds: '90' }, 200],
    [{ ttl_in_seconds: 90.0 }, 200],
    [{ ttl_in_seconds: 59 }, 400, 'ttl_in_seconds', 'greater than or equal to 60'],
    [{ ttl_in_seconds: 86401 }, 400, 'ttl_in_seconds', 'less than or equal to 86400'],
    [{ ttl_in_seconds: 90.5 }, 400, 'ttl_in_seconds', 'valid integer'],
    [{ ttl_in_seconds: '90.5' }, 400, 'ttl_in_seconds', 'valid integer'],
    [{ ttl_in_seconds: true }, 400, 'ttl_in_seconds', 'valid integer'],
    [{ ttl_in_seconds: null }, 400, 'ttl_in_seconds', 'may not be null'],
    [{ for_application_id: undefined }, 400, 'for_application_id', 'required'],
    [{ for_application_id: 'not-a-uuid' }, 400, 'for_application_id', 'valid UUID'],
    [{ for_application_id: randomUUID() }, 400, 'for_application_id', 'not found'],
  ])('share body %j → %i', async (patch, status, field?: string, message?: string) => {
    const res = await shareAs(twin, { body: { ...forApp(), ...patch } });
    expect(res.status).toBe(status);
    if (field) expect((fieldsOf(res)[field] as string[])[0]).toContain(message);
  });

  it('refuses a soft-deleted target and the calling application itself (400 field errors)', async () => {
    const deleted = await shareAs(twin, { body: { for_application_id: twin.fixtures.softDeletedApplicationId } });
    expect(deleted).toMatchObject({ status: 400, json: { for_application_id: ['Application not found.'] } });
    const own = await shareAs(twin, { body: { for_application_id: twin.fixtures.applicationId } });
    expect(own).toMatchObject({
      status: 400,
      json: { for_application_id: ['You cannot share a session with your own application.'] },
    });
  });

  it('answers 401 / 403 / 404 as DRF would', async () => {
    expect(await shareAs(twin, { key: undefined })).toMatchObject({
      status: 401,
      json: { detail: 'Authentication credentials were not provided.' },
    });
    expect((await shareAs(twin, { key: 'nope' })).status).toBe(401);
    expect(await shareAs(twin, { key: env('DIDIT_READONLY_API_KEY') })).toMatchObject({ status: 403 });
    expect(await shareAs(twin, { sessionId: randomUUID() })).toMatchObject({
      status: 404,
      json: { detail: 'Not found.' },
    });
    expect(await shareAs(twin, { sessionId: twin.fixtures.partnerSessionId })).toMatchObject({
      status: 404,
      json: { detail: 'Not found.' },
    });
    const noRoute = await shareAs(twin, { sessionId: 'not-a-uuid' });
    expect(noRoute.status).toBe(404);
    expect(noRoute.contentType).toMatch(/^text\/html/);
  });

  it('checks the key first, then the privilege, then the session, then the body', async () => {
    const invalid = { ttl_in_seconds: 'soon' };
    expect((await shareAs(twin, { key: undefined, body: invalid, sessionId: randomUUID() })).status).toBe(401);
    expect(
      (await shareAs(twin, { key: env('DIDIT_READONLY_API_KEY'), body: invalid, sessionId: randomUUID() })).status,
    ).toBe(403);
    expect((await shareAs(twin, { body: invalid, sessionId: randomUUID() })).status).toBe(404);
    expect(
      fieldsOf(await shareAs(twin, { body: invalid, sessionId: env('DIDIT_UNFINISHED_SESSION_ID') })),
    ).toHaveProperty('ttl_in_seconds');
  });

  it('redirects a path without its trailing slash (301) and refuses non-JSON bodies', async () => {
    const path = sharePath(env('DIDIT_SESSION_ID'));
    const redirected = await request(twin, path.slice(0, -1), forApp(), { key: env('DIDIT_API_KEY') });
    expect(redirected.status).toBe(301);
    expect(redirected.headers.get('location')).toBe(path);
    expect((await request(twin, path, null, { key: env('DIDIT_API_KEY'), method: 'GET' })).status).toBe(405);
    expect(
      (await request(twin, path, null, { key: env('DIDIT_API_KEY'), raw: 'x', contentType: 'text/plain' })).status,
    ).toBe(415);
    expect(fieldsOf(await request(twin, path, null, { key: env('DIDIT_API_KEY'), raw: '{' })).detail).toMatch(
      /JSON parse error/,
    );
  });
});

describe('twin: rate limit', () => {
  it('answers 429 with the documented headers once a key exceeds its window', async () => {
    const limited = await startTwin({ rateLimit: { limit: 2, windowSeconds: 60 } });
    try {
      for (let i = 0; i < 2; i++) expect((await shareAs(limited)).status).toBe(200);
      const throttled = await shareAs(limited);
      expect(throttled.status).toBe(429);
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) {
        expect(throttled.headers.get(h)).toMatch(/^\d+$/);
      }
      expect((await shareAs(limited, { key: envOf(limited, 'DIDIT_READONLY_API_KEY') })).status).toBe(403);
    } finally {
      await limited.close();
    }
  });
});
