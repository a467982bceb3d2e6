// The client refuses invalid input before sending: each case throws DiditValidationError naming the
// parameter and the rule, and the server sees no request.
import { describe, expect, it } from 'vitest';
import {
  APP_ID,
  clientFor,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
  TOKEN,
  WORKFLOW_ID,
} from '../test-support/loopback-server.js';
import { type createDiditClient, DiditValidationError } from './index.js';

const server = serversClosedAfterEach();

describe('request validation: invalid input throws DiditValidationError and sends nothing', () => {
  const share = { for_application_id: APP_ID, ttl_in_seconds: 3600 };
  const imp = { share_token: TOKEN, workflow_id: WORKFLOW_ID };
  const cases: [string, (c: ReturnType<typeof createDiditClient>) => Promise<unknown>, string, string][] = [
    ['path traversal as sessionId', (c) => c.sessions.share('../../x', share), 'sessionId', 'must be uuid'],
    [
      "sessionId as a urn:uuid: (ajv-formats takes it, Didit's route does not)",
      (c) => c.sessions.share(`urn:uuid:${SESSION_ID}`, share),
      'sessionId',
      'must be uuid',
    ],
    ['sessionId not a string', (c) => c.sessions.share(42 as never, share), 'sessionId', 'must be uuid'],
    ['sessionId missing', (c) => c.sessions.share(undefined as never, share), 'sessionId', 'must be uuid'],
    [
      'for_application_id missing',
      (c) => c.sessions.share(SESSION_ID, {} as never),
      'for_application_id',
      'is required',
    ],
    [
      'for_application_id not a uuid',
      (c) => c.sessions.share(SESSION_ID, { for_application_id: 'app-1' }),
      'for_application_id',
      'must be uuid',
    ],
    [
      'for_application_id a number',
      (c) => c.sessions.share(SESSION_ID, { for_application_id: 7 as never }),
      'for_application_id',
      'must be string',
    ],
    [
      'ttl below 60',
      (c) => c.sessions.share(SESSION_ID, { ...share, ttl_in_seconds: 59 }),
      'ttl_in_seconds',
      'must be >= 60',
    ],
    [
      'ttl above 86400',
      (c) => c.sessions.share(SESSION_ID, { ...share, ttl_in_seconds: 86401 }),
      'ttl_in_seconds',
      'must be <= 86400',
    ],
    [
      'ttl not an integer',
      (c) => c.sessions.share(SESSION_ID, { ...share, ttl_in_seconds: 60.5 }),
      'ttl_in_seconds',
      'must be integer',
    ],
    [
      'ttl a string',
      (c) => c.sessions.share(SESSION_ID, { ...share, ttl_in_seconds: '3600' as never }),
      'ttl_in_seconds',
      'must be integer',
    ],
    ['share body not an object', (c) => c.sessions.share(SESSION_ID, null as never), 'body', 'must be object'],
    [
      'share_token missing',
      (c) => c.sessions.importShared({ workflow_id: WORKFLOW_ID } as never),
      'share_token',
      'is required',
    ],
    [
      'share_token not three base64url parts',
      (c) => c.sessions.importShared({ ...imp, share_token: 'a.b' }),
      'share_token',
      'must match',
    ],
    [
      'workflow_id missing',
      (c) => c.sessions.importShared({ share_token: TOKEN } as never),
      'workflow_id',
      'is required',
    ],
    [
      'workflow_id not a uuid',
      (c) => c.sessions.importShared({ ...imp, workflow_id: 'wf' }),
      'workflow_id',
      'must be uuid',
    ],
    [
      'vendor_data not a string',
      (c) => c.sessions.importShared({ ...imp, vendor_data: 1 as never }),
      'vendor_data',
      'must be string',
    ],
    [
      'trust_review not a boolean',
      (c) => c.sessions.importShared({ ...imp, trust_review: 'yes' as never }),
      'trust_review',
      'must be boolean',
    ],
  ];
  it.each(cases)('%s', async (_name, call, path, rule) => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const error = await call(clientFor(s)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiditValidationError);
    const issue = (error as DiditValidationError).issues.find((i) => i.path === path);
    expect(issue?.rule).toContain(rule);
    expect((error as Error).message).toContain(`${path} ${issue!.rule}`);
    expect((error as Error).message).toContain('invalid input, not sent');
    expect(s.seen).toHaveLength(0);
  });

  it('lists every broken rule at once', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const error = (await clientFor(s)
      .sessions.share('x', { for_application_id: 'y', ttl_in_seconds: 1.5 })
      .catch((e) => e)) as DiditValidationError;
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'for_application_id',
      'sessionId',
      'ttl_in_seconds',
      'ttl_in_seconds',
    ]);
  });
});
