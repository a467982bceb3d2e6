// `npm run mock` as a user runs it: the source document's curl example (base URL swapped) gets the
// spec's example back. An invalid request gets an error that
// names what was wrong (scripts/mock-errors.ts), never the spec's first 400 example whatever it says.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForPrism } from '../spec-kit/prism.js';
import { createSpecAjv, loadSpec, schemaRef } from '../spec-kit/spec.js';
import { firstExample } from '../spec-kit/spec-examples.js';
import { WORKFLOW_ID } from '../test-support/fixtures.js';
import { sourceDocument } from './fixtures/source-document.js';

const spec = loadSpec();

describe('npm run mock', () => {
  // detached: npm starts a shell that starts Prism; the group is killed as a whole.
  const port = freePort();
  const child = port.then((p) =>
    spawn('npm', ['run', '--silent', 'mock'], {
      env: { ...process.env, PORT: String(p) },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let baseUrl = '';
  beforeAll(async () => {
    baseUrl = await waitForPrism(await child).baseUrl;
  });
  afterAll(async () => {
    const c = await child;
    if (c.exitCode !== null) return;
    const exited = once(c, 'exit');
    process.kill(-c.pid!, 'SIGTERM');
    await exited;
  });

  const post = (body: unknown, headers: Record<string, string> = { 'x-api-key': 'YOUR_API_KEY' }) =>
    fetch(`${baseUrl}/v3/session/${sourceDocument.sessionId}/share/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('listens on 127.0.0.1 at PORT', async () => {
    expect(baseUrl).toBe(`http://127.0.0.1:${await port}`);
  });

  it.each([["the source document's request", 200, sourceDocument.request, undefined]] as const)(
    '%s gets the %i example',
    async (_what, status, body, headers) => {
      const response = await post(body, headers);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(firstExample(spec, 'shareSession', status));
    },
  );

  const importShared = (body: unknown, headers: Record<string, string> = { 'x-api-key': 'YOUR_API_KEY' }) =>
    fetch(`${baseUrl}/v3/session/import-shared/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const ajv = createSpecAjv(spec);
  const errorShape = (name: string) => ajv.getSchema(schemaRef(name))!;
  const workflow_id = WORKFLOW_ID;
  const share_token = firstExample(spec, 'shareSession', 200).share_token as string;

  it.each([
    [
      'a malformed session id',
      () =>
        fetch(`${baseUrl}/v3/session/not-a-uuid/share/`, {
          method: 'POST',
          headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
          body: JSON.stringify(sourceDocument.request),
        }),
      400,
      { detail: expect.stringMatching(/sessionid.*uuid/i) },
    ],
    [
      'ttl_in_seconds 30',
      () => post({ ...sourceDocument.request, ttl_in_seconds: 30 }),
      400,
      { ttl_in_seconds: [expect.stringContaining('>= 60')] },
    ],
    [
      'ttl_in_seconds 100000',
      () => post({ ...sourceDocument.request, ttl_in_seconds: 100_000 }),
      400,
      { ttl_in_seconds: [expect.stringContaining('<= 86400')] },
    ],
    [
      'a garbage share token',
      () => importShared({ share_token: 'garbage', workflow_id }),
      400,
      { share_token: [expect.stringContaining('pattern')] },
    ],
    [
      'an import without share_token',
      () => importShared({ workflow_id }),
      400,
      { share_token: ['This field is required.'] },
    ],
    [
      'a share without x-api-key',
      () => post(sourceDocument.request, {}),
      401,
      { detail: 'Authentication credentials were not provided.' },
    ],
    [
      'an import without x-api-key',
      () => importShared({ share_token, workflow_id }, {}),
      401,
      { detail: 'Authentication credentials were not provided.' },
    ],
  ] as const)("%s gets an error naming that problem, in the spec's error shape", async (_what, send, status, body) => {
    const response = await send();
    expect(response.status).toBe(status);
    const json: unknown = await response.json();
    expect(json).toEqual(body);
    const schema = status === 400 ? 'BadRequestError' : 'ErrorDetail';
    expect(errorShape(schema)(json), JSON.stringify(errorShape(schema).errors)).toBe(true);
  });
});
