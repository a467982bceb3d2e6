// The twin speaks each dialect of Didit's sources (keyless 401 or 403 per operation, import 200 or
// 201, the decision payload V3 or V2, refusals as the pages or as Didit's OpenAPI document word them),
// so the drift check's handling of unsettled facts is tested offline.
import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../http-kit/exchange.js';
import { IMPORT_PATH } from '../http-kit/paths.js';
import { withTamperedSignature } from '../http-kit/share-token.js';
import { envOf, importAs, request, roundTrip, shareAs } from '../test-support/twin-client.js';
import { startTwin } from './server.js';

describe("twin: dialects (what Didit's sources disagree on)", () => {
  it.each([
    ['classic', 401, 401, 201, 'liveness_checks', true],
    ['current', 403, 403, 200, 'liveness_checks', true],
    ['openapi', 401, 403, 201, 'liveness', false],
  ] as const)(
    '%s: keyless share %i and import %i, import %i, feature reports as %s, session_kind and shared_from_session %s',
    async (dialect, keylessShare, keylessImport, imported, reports, linked) => {
      const t = await startTwin({ dialect });
      try {
        expect((await shareAs(t, { key: undefined })).status).toBe(keylessShare);
        expect((await request(t, IMPORT_PATH, {})).status).toBe(keylessImport);
        expect((await shareAs(t, { key: 'sk_test_wrong' })).status).toBe(401);
        const { imported: exchange } = await roundTrip(t, { trust_review: false });
        expect(exchange.status).toBe(imported);
        const fields = fieldsOf(exchange);
        expect(fields.shared_from_session).toBe(linked ? envOf(t, 'DIDIT_SESSION_ID') : undefined);
        expect('session_kind' in fields).toBe(linked);
        if (dialect !== 'classic') expect(reports in fields).toBe(true);
      } finally {
        await t.close();
      }
    },
  );

  it("openapi: refuses as Didit's OpenAPI document says — 400 under share_token, trust_review required, its words", async () => {
    const t = await startTwin({ dialect: 'openapi' });
    try {
      const { token, imported: omitted } = await roundTrip(t);
      expect([omitted.status, fieldsOf(omitted)]).toEqual([400, { trust_review: ['This field is required.'] }]);
      const tampered = await importAs(t, withTamperedSignature(token), { trust_review: false });
      expect([tampered.status, fieldsOf(tampered)]).toEqual([400, { share_token: ['Invalid share token.'] }]);
      const own = await importAs(t, token, { trust_review: false }, envOf(t, 'DIDIT_API_KEY'));
      expect([own.status, fieldsOf(own).share_token]).toEqual([400, ['This token is not valid for this application.']]);
      expect((await importAs(t, token, { trust_review: false })).status).toBe(201);
      const replay = await importAs(t, token, { trust_review: false });
      expect([replay.status, fieldsOf(replay).detail]).toEqual([
        403,
        'This session has already been shared with your application.',
      ]);
      const unfinished = await shareAs(t, { sessionId: envOf(t, 'DIDIT_UNFINISHED_SESSION_ID') });
      expect([unfinished.status, Array.isArray(fieldsOf(unfinished).detail)]).toEqual([400, true]);
    } finally {
      await t.close();
    }
  });

  it('refuses an unknown dialect', async () => {
    await expect(startTwin({ dialect: 'legacy' as never })).rejects.toThrow(/Unknown twin dialect/);
  });
});
