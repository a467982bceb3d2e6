// The twin speaks each dialect of Didit's pages (keyless 401 or 403, import 200 or 201, the
// decision payload), so the drift check's handling of unsettled facts is tested offline.
import { describe, expect, it } from 'vitest';
import { startTwin } from './server.js';
import { fieldsOf } from '../test-support/exchange.js';
import { IMPORT_PATH, envOf, request, roundTrip, shareAs } from '../test-support/twin-client.js';

describe("twin: dialects (what Didit's pages disagree on)", () => {
  it.each([
    ['classic', 401, 201, false],
    ['current', 403, 200, true],
  ] as const)('%s: keyless %i, import %i, decision payload %s', async (dialect, keyless, imported, decision) => {
    const t = await startTwin({ dialect });
    try {
      expect((await shareAs(t, { key: undefined })).status).toBe(keyless);
      expect((await request(t, IMPORT_PATH, {})).status).toBe(keyless);
      expect((await shareAs(t, { key: 'sk_test_wrong' })).status).toBe(401);
      const { imported: answer } = await roundTrip(t);
      expect(answer.status).toBe(imported);
      expect(fieldsOf(answer).shared_from_session).toBe(envOf(t, 'DIDIT_SESSION_ID'));
      expect('liveness_checks' in fieldsOf(answer)).toBe(decision);
    } finally {
      await t.close();
    }
  });

  it('refuses an unknown dialect', async () => {
    await expect(startTwin({ dialect: 'legacy' as never })).rejects.toThrow(/Unknown twin dialect/);
  });
});
