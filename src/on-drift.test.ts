// onDrift: every deviation of a success body from the spec, one call each, worded as the drift
// check's findings and redacted; validateResponses decides only whether a breaking one also throws.
// observeDrift, under any client, reports the very same findings (observe-drift.test.ts: what it leaves alone).
import createClient from 'openapi-fetch';
import { describe, expect, it, vi } from 'vitest';
import type { paths } from '../generated/schema.js';
import { UNDOCUMENTED_IMPORT_FIELD, UNDOCUMENTED_SHARE_FIELD } from '../test-support/fixtures.js';
import { withClaims } from '../test-support/jwt.js';
import {
  API_KEY,
  APP_ID,
  IMPORT_OK,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
  TOKEN,
  WORKFLOW_ID,
} from '../test-support/loopback-server.js';
import { createDiditClient, DiditResponseValidationError, type DriftFinding, observeDrift } from './index.js';

const server = serversClosedAfterEach();
type Op = 'share' | 'importShared';

/** Calls `op` against a server answering `body`; what it returned or threw, and what onDrift saw meanwhile. */
async function drifted(
  op: Op,
  body: unknown,
  options: { validateResponses?: boolean; onDrift?: 'throw' | 'reject' } = {},
) {
  const s = await server((res) => json(res, op === 'share' ? 200 : 201, body));
  const seen: DriftFinding[] = [];
  const client = createDiditClient({
    apiKey: API_KEY,
    baseUrl: s.url,
    maxRetries: 0,
    validateResponses: options.validateResponses,
    onDrift: (finding) => {
      seen.push(finding);
      if (options.onDrift === 'throw') throw new Error('callback bug');
      if (options.onDrift === 'reject') return Promise.reject(new Error('async callback bug')) as never;
    },
  });
  const call =
    op === 'share'
      ? client.sessions.share(SESSION_ID, { for_application_id: APP_ID })
      : client.sessions.importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID });
  const outcome: { returned?: unknown; thrown?: unknown; seenBefore: number } = await call.then(
    (returned) => ({ returned, seenBefore: seen.length }),
    (thrown: unknown) => ({ thrown, seenBefore: seen.length }),
  );
  return { ...outcome, seen };
}

const { session_kind: _, ...shareWithoutKind } = SHARE_OK;
const { expires_at: __, ...importWithoutExpiry } = IMPORT_OK;
const added = (operation: DriftFinding['operation'], schema: string, pointer: string): DriftFinding => ({
  operation,
  severity: 'non-breaking',
  pointer,
  message: `${schema}: undocumented field ${pointer} (an addition the spec does not describe)`,
});
const broken = (operation: DriftFinding['operation'], pointer: string, message: string): DriftFinding => ({
  operation,
  severity: 'breaking',
  pointer,
  message,
});

const CASES: [string, Op, unknown, DriftFinding[]][] = [
  [
    'share: an added field',
    'share',
    { ...SHARE_OK, [UNDOCUMENTED_SHARE_FIELD]: 'soon' },
    [added('shareSession', 'ShareSessionResponse', `/${UNDOCUMENTED_SHARE_FIELD}`)],
  ],
  [
    'share: a missing field',
    'share',
    shareWithoutKind,
    [
      broken(
        'shareSession',
        '/session_kind',
        "ShareSessionResponse: missing field at /session_kind (must have required property 'session_kind')",
      ),
    ],
  ],
  [
    'share: a mistyped field',
    'share',
    { ...SHARE_OK, for_application_id: 7 },
    [
      broken(
        'shareSession',
        '/for_application_id',
        'ShareSessionResponse: changed type at /for_application_id (must be string)',
      ),
    ],
  ],
  [
    'share: an unknown enum value and a nested addition (not descended: the field names no fields)',
    'share',
    { ...SHARE_OK, session_kind: 'robot', [UNDOCUMENTED_SHARE_FIELD]: { a: 1 } },
    [
      broken(
        'shareSession',
        '/session_kind',
        'ShareSessionResponse: unknown enum value at /session_kind (must be equal to one of the allowed values)',
      ),
      added('shareSession', 'ShareSessionResponse', `/${UNDOCUMENTED_SHARE_FIELD}`),
    ],
  ],
  [
    'import: an added field',
    'importShared',
    { ...IMPORT_OK, [UNDOCUMENTED_IMPORT_FIELD]: 0.2 },
    [added('importSharedSession', 'ImportSharedSessionResponse', `/${UNDOCUMENTED_IMPORT_FIELD}`)],
  ],
  [
    'import: a missing field, a mistyped one and a changed format, each once',
    'importShared',
    { ...importWithoutExpiry, session_number: '1042', created_at: 'yesterday' },
    [
      broken(
        'importSharedSession',
        '/expires_at',
        "ImportSharedSessionResponse: missing field at /expires_at (must have required property 'expires_at')",
      ),
      broken(
        'importSharedSession',
        '/session_number',
        'ImportSharedSessionResponse: changed type at /session_number (must be integer)',
      ),
      broken(
        'importSharedSession',
        '/created_at',
        'ImportSharedSessionResponse: format changed at /created_at (must match format "date-time")',
      ),
    ],
  ],
  [
    'import: the documented body, decision payload fields included',
    'importShared',
    { ...IMPORT_OK, features: [], metadata: null },
    [],
  ],
];

describe('onDrift reports each deviation once, worded as the drift report', () => {
  it.each(CASES)('%s', async (_name, op, body, expected) => {
    const { returned, seen } = await drifted(op, body);
    expect(returned).toEqual(body); // validateResponses off: the body is still returned
    expect(seen).toEqual(expected);
  });

  it.each(CASES)('validateResponses: true — %s', async (_name, op, body, expected) => {
    const { returned, thrown, seen, seenBefore } = await drifted(op, body, { validateResponses: true });
    expect(seen).toEqual(expected);
    if (expected.some((f) => f.severity === 'breaking')) {
      expect(thrown).toBeInstanceOf(DiditResponseValidationError);
      expect(seenBefore).toBe(expected.length); // onDrift saw every finding before the call failed
    } else expect(returned).toEqual(body);
  });

  it.each(['throw', 'reject'] as const)('a callback that %ss does not break the call', async (how) => {
    const body = { ...shareWithoutKind, [UNDOCUMENTED_SHARE_FIELD]: 1 };
    const ok = await drifted('share', body, { onDrift: how });
    expect([ok.returned, ok.seen.length]).toEqual([body, 2]);
    const strict = await drifted('share', body, { onDrift: how, validateResponses: true });
    expect(strict.thrown).toBeInstanceOf(DiditResponseValidationError);
  });

  it('a success body that is not JSON is one breaking finding, and still an error', async () => {
    const { thrown, seen } = await drifted('share', '<html>maintenance</html>');
    expect(thrown).toBeInstanceOf(DiditResponseValidationError);
    expect(seen).toEqual([broken('shareSession', '/', 'expected a JSON body, got content-type "text/html"')]);
  });

  it('no finding shows the key or a whole token, whatever field name carries them', async () => {
    const otherJwt = withClaims({ sub: 'someone-else' });
    const share = await drifted('share', { ...SHARE_OK, [API_KEY]: 1, [otherJwt]: 2, sk_live_abcdefghijklmnop: 3 });
    const imported = await drifted('importShared', { ...IMPORT_OK, [TOKEN]: 1, nested: { [API_KEY]: 2 } });
    const text = JSON.stringify([share.seen, imported.seen]);
    expect(share.seen).toHaveLength(3);
    expect(imported.seen).toHaveLength(2);
    for (const secret of [API_KEY, TOKEN, otherJwt, 'abcdefghijklmnop']) expect(text).not.toContain(secret);
    expect(share.seen[0]!.pointer).toBe('/***');
  });
});

// Under openapi-fetch (its custom fetch gets a Request), and as a plain fetch(request), as an SDK calls it.
const VIAS = ['under openapi-fetch', 'as fetch(request)'] as const;

/** What `op` answered through observeDrift against a server answering `body`, and every finding it reported. */
async function observed(via: (typeof VIAS)[number], op: Op, body: unknown, expected: number, onDrift?: 'throw') {
  const s = await server((res) => json(res, op === 'share' ? 200 : 201, body));
  const seen: DriftFinding[] = [];
  const fetch = observeDrift((finding) => {
    seen.push(finding);
    if (onDrift === 'throw') throw new Error('callback bug');
  });
  const [path, params, sent] =
    op === 'share'
      ? ([
          '/v3/session/{sessionId}/share/',
          { path: { sessionId: SESSION_ID } },
          { for_application_id: APP_ID },
        ] as const)
      : (['/v3/session/import-shared/', undefined, { share_token: TOKEN, workflow_id: WORKFLOW_ID }] as const);
  let returned: unknown;
  if (via === 'under openapi-fetch') {
    const client = createClient<paths>({ baseUrl: s.url, headers: { 'x-api-key': API_KEY }, fetch });
    // openapi-fetch itself throws on a 2xx that is not JSON unless asked for text.
    const parseAs = typeof body === 'string' ? 'text' : 'json';
    const answer = await client.POST(path as '/v3/session/import-shared/', { params, body: sent, parseAs } as never);
    returned = answer.data ?? answer.error;
  } else {
    const url = `${s.url}${path.replace('{sessionId}', SESSION_ID)}`;
    const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
    const text = await (await fetch(new Request(url, { method: 'POST', headers, body: JSON.stringify(sent) }))).text();
    returned = text.startsWith('<') ? text : JSON.parse(text);
  }
  // Findings come once the clone is read, after the call returned: wait for them, then for any more.
  await vi.waitFor(() => expect(seen).toHaveLength(expected));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { returned, seen };
}

describe.each(VIAS)('observeDrift %s reports what onDrift reports', (via) => {
  it.each(CASES)('%s', async (_name, op, body, expected) => {
    const { returned, seen } = await observed(via, op, body, expected.length);
    expect(returned).toEqual(body); // the caller's answer, untouched
    expect(seen).toEqual(expected);
  });

  it('a success body that is not JSON is one breaking finding; a callback that throws never reaches the caller', async () => {
    const { returned, seen } = await observed(via, 'share', '<html>maintenance</html>', 1, 'throw');
    expect(returned).toBe('<html>maintenance</html>');
    expect(seen).toEqual([broken('shareSession', '/', 'expected a JSON body, got content-type "text/html"')]);
  });

  it('no finding shows the key or a whole token', async () => {
    const otherJwt = withClaims({ sub: 'someone-else' });
    const share = await observed(via, 'share', { ...SHARE_OK, [API_KEY]: 1, [otherJwt]: 2 }, 2);
    const imported = await observed(via, 'importShared', { ...IMPORT_OK, [TOKEN]: 1 }, 1);
    const text = JSON.stringify([share.seen, imported.seen]);
    for (const secret of [API_KEY, TOKEN, otherJwt]) expect(text).not.toContain(secret);
    expect(share.seen[0]!.pointer).toBe('/***');
  });
});
