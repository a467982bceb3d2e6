// onDrift (the client, in production) and the drift report (the suite) word a deviation the same way:
// for each drifted body, the client's findings are the suite's, field for field (shape, pointer, message).
import { describe, expect, it } from 'vitest';
import { createDiditClient, type DriftFinding } from '../src/index.js';
import {
  API_KEY,
  APP_ID,
  IMPORT_OK,
  SESSION_ID,
  SHARE_OK,
  TOKEN,
  UNDOCUMENTED_IMPORT_FIELD,
  UNDOCUMENTED_SHARE_FIELD,
  WORKFLOW_ID,
} from '../test-support/fixtures.js';
import { bodyFindings, loadRunSpec } from './suite/findings.js';

const spec = loadRunSpec(undefined);
const { session_kind: _kind, ...shareWithoutKind } = SHARE_OK;
const { status: _status, ...importWithoutStatus } = IMPORT_OK as Record<string, unknown>;

const CASES = [
  ['shareSession', 'ShareSessionResponse', 'an added field', { ...SHARE_OK, [UNDOCUMENTED_SHARE_FIELD]: 1 }],
  // A name every object inherits is still a field the spec does not document.
  ['shareSession', 'ShareSessionResponse', 'an added field named constructor', JSON.parse('{"constructor":1}')],
  ['shareSession', 'ShareSessionResponse', 'a missing field', shareWithoutKind],
  ['shareSession', 'ShareSessionResponse', 'a mistyped field', { ...SHARE_OK, for_application_id: 7 }],
  ['shareSession', 'ShareSessionResponse', 'an unknown enum value', { ...SHARE_OK, session_kind: 'company' }],
  [
    'importSharedSession',
    'ImportSharedSessionResponse',
    'a missing field and an added one',
    { ...importWithoutStatus, [UNDOCUMENTED_IMPORT_FIELD]: true },
  ],
] as const;

/** What onDrift reports for `body` as the answer to `operation`, through the real client and a fake fetch. */
async function clientFindings(operation: string, body: unknown): Promise<DriftFinding[]> {
  const seen: DriftFinding[] = [];
  const fetch = async () =>
    new Response(JSON.stringify(body), {
      status: operation === 'shareSession' ? 200 : 201,
      headers: { 'content-type': 'application/json' },
    });
  const { sessions } = createDiditClient({ apiKey: API_KEY, fetch, maxRetries: 0, onDrift: (f) => void seen.push(f) });
  if (operation === 'shareSession') await sessions.share(SESSION_ID, { for_application_id: APP_ID });
  else await sessions.importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID });
  return seen;
}

describe('onDrift words a deviation as the drift report does', () => {
  it.each(CASES)('%s: %s (%s)', async (operation, schema, _what, body) => {
    const report = bodyFindings(spec, schema, body).map(({ severity, pointer, message }) => ({
      operation,
      severity,
      pointer,
      message,
    }));
    expect(report.length).toBeGreaterThan(0);
    expect(await clientFindings(operation, body)).toEqual(report);
  });
});
