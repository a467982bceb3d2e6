// The twin's import endpoint over real HTTP: the copy, replays, forged and expired tokens, workflows
// and body validation. Each test starts a twin of its own (imports change its world).
import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fieldsOf } from '../http-kit/exchange.js';
import { IMPORT_PATH } from '../http-kit/paths.js';
import { withTamperedSignature } from '../http-kit/share-token.js';
import { signedWith, signedWithOtherSecret, withTamperedClaims } from '../test-support/jwt.js';
import { envOf, importAs, mintedToken, request, roundTrip, shareAs } from '../test-support/twin-client.js';
import { startTwin, type Twin } from './server.js';

let twin: Twin;
const env = (name: string): string => envOf(twin, name);
const forApp = () => ({ for_application_id: env('DIDIT_FOR_APPLICATION_ID') });

describe('twin: import', () => {
  beforeEach(async () => {
    twin = await startTwin();
  });
  afterEach(() => twin.close());
  /** A token the twin itself would have minted for the partner (its secret), with these claims. */
  const forge = (claims: JWTPayload, exp = Math.floor(Date.now() / 1000) + 600) =>
    signedWith(twin.fixtures.tokenSecret, {
      from_application_id: twin.fixtures.applicationId,
      ...forApp(),
      ...claims,
      exp,
    });

  it('copies the session into the partner application (201, In Review by default)', async () => {
    const { imported } = await roundTrip(twin, { vendor_data: 'partner-user-42' });
    expect(imported.status).toBe(201);
    expect(imported.contentType).toMatch(/^application\/json/);
    expect(fieldsOf(imported)).toMatchObject({
      status: 'In Review',
      workflow_id: env('DIDIT_PARTNER_WORKFLOW_ID'),
      vendor_data: 'partner-user-42',
      session_url: null,
      session_kind: 'user',
    });
    expect(Object.keys(fieldsOf(imported)).sort()).toEqual([
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
    expect(fieldsOf(imported).session_id).not.toBe(env('DIDIT_SESSION_ID'));
    expect(fieldsOf(imported).shared_from_session).toBe(env('DIDIT_SESSION_ID'));
    expect(Number.isInteger(fieldsOf(imported).session_number)).toBe(true);
    expect(fieldsOf((await roundTrip(await restart())).imported).vendor_data).toBeNull();
  });

  it('answers a replay, even with a fresh token for the same session, 403 already imported', async () => {
    const { token } = await roundTrip(twin);
    expect(await importAs(twin, token)).toMatchObject({
      status: 403,
      json: { detail: 'This session has already been imported.' },
    });
    expect((await roundTrip(twin)).imported.status).toBe(403);
  });

  it('keeps the original status with trust_review true', async () => {
    expect(fieldsOf((await roundTrip(twin, { trust_review: true })).imported).status).toBe('Approved');
    const declined = mintedToken(await shareAs(twin, { sessionId: twin.fixtures.declinedSessionId }));
    expect(fieldsOf(await importAs(twin, declined, { trust_review: 'true' })).status).toBe('Declined');
  });

  it('answers 401 for a tampered or expired token and 403 for a token of another application', async () => {
    const token = mintedToken(await shareAs(twin));
    expect(await importAs(twin, withTamperedClaims(token))).toMatchObject({
      status: 401,
      json: { detail: 'Invalid or expired share token.' },
    });
    expect((await importAs(twin, withTamperedSignature(token))).status).toBe(401);
    expect((await importAs(twin, await signedWithOtherSecret(token))).status).toBe(401);
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
    expect(
      fieldsOf(await importAs(twin, await forge({ session_id: randomUUID(), session_kind: 'user' }))).detail,
    ).toMatch(/no longer exists/);
    const kyb = mintedToken(await shareAs(twin, { sessionId: env('DIDIT_BUSINESS_SESSION_ID') }));
    expect(await importAs(twin, kyb)).toMatchObject({ status: 404, json: { detail: 'Workflow not found.' } });
    const token = mintedToken(await shareAs(twin));
    expect((await importAs(twin, token, { workflow_id: twin.fixtures.ownWorkflowId })).status).toBe(404);
    expect(
      fieldsOf(await importAs(twin, kyb, { workflow_id: twin.fixtures.partnerBusinessWorkflowId })).session_kind,
    ).toBe('business');
  });

  it('validates the body (400 field errors) after the key (401) and the privilege (403)', async () => {
    const empty = await request(twin, IMPORT_PATH, {}, { key: env('DIDIT_PARTNER_API_KEY') });
    expect(empty).toMatchObject({
      status: 400,
      json: { share_token: ['This field is required.'], workflow_id: ['This field is required.'] },
    });
    const wrongTypes = await importAs(twin, 'x', { workflow_id: 'nope', trust_review: 'maybe', vendor_data: {} });
    expect(Object.keys(fieldsOf(wrongTypes)).sort()).toEqual(['trust_review', 'vendor_data', 'workflow_id']);
    expect((await request(twin, IMPORT_PATH, {}, {})).status).toBe(401);
    expect((await request(twin, IMPORT_PATH, {}, { key: env('DIDIT_READONLY_API_KEY') })).status).toBe(403);
  });

  it('makes the copy a session of the receiving application: shared back, imported by the source, never by the partner again', async () => {
    const { imported } = await roundTrip(twin);
    const copy = fieldsOf(imported).session_id as string;
    const partnerKey = env('DIDIT_PARTNER_API_KEY');
    // The source application cannot share the partner's copy (404), the partner can (to the source).
    expect((await shareAs(twin, { sessionId: copy })).status).toBe(404);
    const back = await shareAs(twin, {
      sessionId: copy,
      key: partnerKey,
      body: { for_application_id: twin.fixtures.applicationId },
    });
    expect(back.status).toBe(200);
    const hop = await importAs(
      twin,
      mintedToken(back),
      { workflow_id: env('DIDIT_WORKFLOW_ID'), trust_review: true },
      env('DIDIT_API_KEY'),
    );
    expect(hop).toMatchObject({ status: 201, json: { shared_from_session: copy, status: 'In Review' } });
    // The source's copy is a session the partner has never imported: the next round trip's source.
    const next = fieldsOf(hop).session_id as string;
    expect((await importAs(twin, mintedToken(await shareAs(twin, { sessionId: next })))).status).toBe(201);
  });

  it('refuses to share an imported copy when started with shareCopies: false (403), and nothing else', async () => {
    const refusing = await startTwin({ shareCopies: false });
    try {
      const { imported } = await roundTrip(refusing);
      const copy = fieldsOf(imported).session_id as string;
      const back = await shareAs(refusing, {
        sessionId: copy,
        key: envOf(refusing, 'DIDIT_PARTNER_API_KEY'),
        body: { for_application_id: refusing.fixtures.applicationId },
      });
      expect(back).toMatchObject({
        status: 403,
        json: { detail: expect.stringMatching(/imported session cannot be shared/) },
      });
      expect((await shareAs(refusing)).status).toBe(200);
    } finally {
      await refusing.close();
    }
  });

  async function restart(): Promise<Twin> {
    await twin.close();
    twin = await startTwin();
    return twin;
  }
});
