// The twin itself, over real HTTP: documented successes, every documented error, the order of
// checks, import semantics, and that each catalogued mutant changes what it names and nothing else.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KNOCK_ONS, PROBES } from '../test-support/mutant-probes.js';
import { MUTANTS, MUTANT_IDS, type MutantId } from './mutants.js';
import { startTwin, type Twin } from './server.js';
import {
  IMPORT_PATH,
  envOf,
  importAs,
  jwtPart,
  roundTrip,
  send,
  shareAs,
  sharePath,
  tamper,
  tokenOf,
} from '../test-support/twin-client.js';

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
      'DIDIT_PARTNER_API_KEY',
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
    expect(Object.keys(res.body).sort()).toEqual(['for_application_id', 'session_kind', 'share_token']);
    expect(res.body).toMatchObject({ ...forApp(), session_kind: 'user' });
    const token = tokenOf(res.body);
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
    const claims = jwtPart(tokenOf((await shareAs(twin)).body), 1);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    const kyb = await shareAs(twin, { sessionId: env('DIDIT_BUSINESS_SESSION_ID') });
    expect(kyb.body.session_kind).toBe('business');
    expect(jwtPart(tokenOf(kyb.body), 1).session_kind).toBe('business');
  });

  it('shares every finished status and refuses unfinished ones (400 detail)', async () => {
    const f = twin.fixtures;
    for (const id of [f.declinedSessionId, f.inReviewSessionId])
      expect((await shareAs(twin, { sessionId: id })).status).toBe(200);
    for (const id of [env('DIDIT_UNFINISHED_SESSION_ID'), f.notStartedSessionId]) {
      const res = await shareAs(twin, { sessionId: id });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/finished/);
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
    if (field) expect((res.body[field] as string[])[0]).toContain(message);
  });

  it('refuses a soft-deleted target and the calling application itself (400 field errors)', async () => {
    const deleted = await shareAs(twin, { body: { for_application_id: twin.fixtures.softDeletedApplicationId } });
    expect(deleted).toMatchObject({ status: 400, body: { for_application_id: ['Application not found.'] } });
    const own = await shareAs(twin, { body: { for_application_id: twin.fixtures.applicationId } });
    expect(own).toMatchObject({
      status: 400,
      body: { for_application_id: ['You cannot share a session with your own application.'] },
    });
  });

  it('answers 401 / 403 / 404 as DRF would', async () => {
    expect(await shareAs(twin, { key: undefined })).toMatchObject({
      status: 401,
      body: { detail: 'Authentication credentials were not provided.' },
    });
    expect((await shareAs(twin, { key: 'nope' })).status).toBe(401);
    expect(await shareAs(twin, { key: env('DIDIT_READONLY_API_KEY') })).toMatchObject({ status: 403 });
    expect(await shareAs(twin, { sessionId: randomUUID() })).toMatchObject({
      status: 404,
      body: { detail: 'Not found.' },
    });
    expect(await shareAs(twin, { sessionId: twin.fixtures.partnerSessionId })).toMatchObject({
      status: 404,
      body: { detail: 'Not found.' },
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
    expect((await shareAs(twin, { body: invalid, sessionId: env('DIDIT_UNFINISHED_SESSION_ID') })).body).toHaveProperty(
      'ttl_in_seconds',
    );
  });

  it('redirects a path without its trailing slash (301) and refuses non-JSON bodies', async () => {
    const path = sharePath(env('DIDIT_SESSION_ID'));
    const redirected = await send(twin, path.slice(0, -1), forApp(), { key: env('DIDIT_API_KEY') });
    expect(redirected.status).toBe(301);
    expect(redirected.headers.get('location')).toBe(path);
    expect((await send(twin, path, null, { key: env('DIDIT_API_KEY'), method: 'GET' })).status).toBe(405);
    expect(
      (await send(twin, path, null, { key: env('DIDIT_API_KEY'), raw: 'x', contentType: 'text/plain' })).status,
    ).toBe(415);
    expect((await send(twin, path, null, { key: env('DIDIT_API_KEY'), raw: '{' })).body.detail).toMatch(
      /JSON parse error/,
    );
  });
});

describe('twin: import', () => {
  beforeEach(async () => {
    twin = await startTwin();
  });
  afterEach(() => twin.close());
  const forge = (claims: Record<string, unknown>, exp = Math.floor(Date.now() / 1000) + 600) =>
    new SignJWT({ from_application_id: twin.fixtures.applicationId, ...forApp(), ...claims, exp })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(twin.fixtures.tokenSecret);

  it('copies the session into the partner application (201, In Review by default)', async () => {
    const { imported } = await roundTrip(twin, { vendor_data: 'partner-user-42' });
    expect(imported.status).toBe(201);
    expect(imported.contentType).toMatch(/^application\/json/);
    expect(imported.body).toMatchObject({
      status: 'In Review',
      workflow_id: env('DIDIT_PARTNER_WORKFLOW_ID'),
      vendor_data: 'partner-user-42',
      session_url: null,
      session_kind: 'user',
    });
    expect(Object.keys(imported.body).sort()).toEqual([
      'created_at',
      'expires_at',
      'session_id',
      'session_kind',
      'session_number',
      'session_url',
      'shared_from_session',
      'status',
      'vendor_data',
      'workflow_id',
    ]);
    expect(imported.body.session_id).not.toBe(env('DIDIT_SESSION_ID'));
    expect(imported.body.shared_from_session).toBe(env('DIDIT_SESSION_ID'));
    expect(Number.isInteger(imported.body.session_number)).toBe(true);
    expect((await roundTrip(await restart())).imported.body.vendor_data).toBeNull();
  });

  it('answers a replay, even with a fresh token for the same session, 403 already imported', async () => {
    const { token } = await roundTrip(twin);
    expect(await importAs(twin, token)).toMatchObject({
      status: 403,
      body: { detail: 'This session has already been imported.' },
    });
    expect((await roundTrip(twin)).imported.status).toBe(403);
  });

  it('keeps the original status with trust_review true', async () => {
    expect((await roundTrip(twin, { trust_review: true })).imported.body.status).toBe('Approved');
    const declined = tokenOf((await shareAs(twin, { sessionId: twin.fixtures.declinedSessionId })).body);
    expect((await importAs(twin, declined, { trust_review: 'true' })).body.status).toBe('Declined');
  });

  it('answers 401 for a tampered or expired token and 403 for a token of another application', async () => {
    const token = tokenOf((await shareAs(twin)).body);
    expect(await importAs(twin, tamper(token))).toMatchObject({
      status: 401,
      body: { detail: 'Invalid or expired share token.' },
    });
    const expired = await forge(
      { session_id: env('DIDIT_SESSION_ID'), session_kind: 'user' },
      Math.floor(Date.now() / 1000) - 1,
    );
    expect((await importAs(twin, expired)).status).toBe(401);
    expect((await importAs(twin, 'not.a.token')).status).toBe(401);
    expect((await importAs(twin, token, {}, env('DIDIT_API_KEY'))).status).toBe(403);
    expect((await importAs(twin, token)).status).toBe(201);
  });

  it('treats a legacy token without session_kind as user', async () => {
    expect((await importAs(twin, await forge({ session_id: env('DIDIT_SESSION_ID') }))).status).toBe(201);
    const kyb = await forge({ session_id: env('DIDIT_BUSINESS_SESSION_ID') });
    expect((await importAs(twin, kyb, { workflow_id: twin.fixtures.partnerBusinessWorkflowId })).status).toBe(404);
  });

  it('answers 404 for a session gone and for a workflow outside the caller or of the other kind', async () => {
    expect((await importAs(twin, await forge({ session_id: randomUUID(), session_kind: 'user' }))).body.detail).toMatch(
      /no longer exists/,
    );
    const kyb = tokenOf((await shareAs(twin, { sessionId: env('DIDIT_BUSINESS_SESSION_ID') })).body);
    expect(await importAs(twin, kyb)).toMatchObject({ status: 404, body: { detail: 'Workflow not found.' } });
    const token = tokenOf((await shareAs(twin)).body);
    expect((await importAs(twin, token, { workflow_id: twin.fixtures.ownWorkflowId })).status).toBe(404);
    expect(
      (await importAs(twin, kyb, { workflow_id: twin.fixtures.partnerBusinessWorkflowId })).body.session_kind,
    ).toBe('business');
  });

  it('validates the body (400 field errors) after the key (401) and the privilege (403)', async () => {
    const empty = await send(twin, IMPORT_PATH, {}, { key: env('DIDIT_PARTNER_API_KEY') });
    expect(empty).toMatchObject({
      status: 400,
      body: { share_token: ['This field is required.'], workflow_id: ['This field is required.'] },
    });
    const wrongTypes = await importAs(twin, 'x', { workflow_id: 'nope', trust_review: 'maybe', vendor_data: {} });
    expect(Object.keys(wrongTypes.body).sort()).toEqual(['trust_review', 'vendor_data', 'workflow_id']);
    expect((await send(twin, IMPORT_PATH, {}, {})).status).toBe(401);
    expect((await send(twin, IMPORT_PATH, {}, { key: env('DIDIT_READONLY_API_KEY') })).status).toBe(403);
  });

  async function restart(): Promise<Twin> {
    await twin.close();
    twin = await startTwin();
    return twin;
  }
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

describe('twin: mutants', () => {
  const observe = async (mutant?: MutantId) =>
    Object.fromEntries(
      await Promise.all(
        MUTANT_IDS.map(async (probe) => {
          const t = await startTwin(mutant === undefined ? {} : { mutant });
          try {
            return [probe, await PROBES[probe](t)] as const;
          } finally {
            await t.close();
          }
        }),
      ),
    );
  let baseline: Record<string, unknown>;
  beforeAll(async () => {
    baseline = await observe();
  });

  it('has a catalogue of at least 15 well-formed mutants in every category', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(MUTANT_IDS).size).toBe(MUTANTS.length);
    expect(new Set(MUTANTS.map((m) => m.category))).toEqual(new Set(['schema', 'token', 'rule', 'auth', 'import']));
    for (const m of MUTANTS) {
      expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(m.description.length * m.expect.length).toBeGreaterThan(0);
    }
    const byFinding = MUTANTS.filter((m) => !('outcome' in m));
    expect(byFinding.filter((m) => m.expectedSeverity === 'non-breaking').map((m) => m.id)).toEqual([
      'share-adds-undocumented-field',
    ]);
    expect(byFinding.filter((m) => m.expectedSeverity === 'info').map((m) => m.id)).toEqual([
      'share-error-body-reshaped',
      'auth-body-checked-before-key',
    ]);
    expect(MUTANTS.filter((m) => 'outcome' in m).map((m) => m.id)).toEqual([
      'import-refused-for-balance',
      'import-payment-required',
      'import-workflow-checked-first',
    ]);
  });

  it('refuses an unknown mutant', async () => {
    await expect(startTwin({ mutant: 'no-such-mutant' })).rejects.toThrow(/Unknown twin mutant/);
  });

  it.each(MUTANT_IDS)('%s changes what it names, and nothing else', async (id) => {
    const mutated = await observe(id);
    expect(mutated[id], `probe ${id}`).not.toEqual(baseline[id]);
    const changed = MUTANT_IDS.filter((probe) => JSON.stringify(mutated[probe]) !== JSON.stringify(baseline[probe]));
    expect(changed.sort()).toEqual([id, ...(KNOCK_ONS[id] ?? [])].sort());
  });
});
