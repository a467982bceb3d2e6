// `npm run mock` as a user runs it: the source document's curl example (base URL swapped) gets the
// spec's example back. An invalid request gets an error that
// names what was wrong (scripts/mock-errors.ts), never the spec's first 400 example whatever it says.
// Last, SIGTERM to npm's pid stops it: exit 0, Prism gone, the port free (the rest of the mock's
// lifecycle is mock-lifecycle.slow.test.ts).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForPrism } from '../spec-kit/prism.js';
import { createSpecAjv, loadSpec, schemaRef } from '../spec-kit/spec.js';
import { firstExample } from '../spec-kit/spec-examples.js';
import { WORKFLOW_ID } from '../test-support/fixtures.js';
import { sourceDocument } from './fixtures/source-document.js';
import { answers, gone, portIsFree, prismPidIn } from './mock-probes.js';

const spec = loadSpec();

describe('npm run mock', () => {
  // detached: its own process group, killed as a whole after a failure (the last test stops npm alone).
  const port = freePort();
  const child = port.then((p) =>
    spawn('npm', ['run', '--silent', 'mock'], {
      env: { ...process.env, PORT: String(p) },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const exited = child.then((c) => once(c, 'exit') as Promise<[number | null, NodeJS.Signals | null]>);
  let baseUrl = '';
  let prismPid: number | undefined;
  beforeAll(async () => {
    const ready = waitForPrism(await child);
    baseUrl = await ready.baseUrl;
    // The pid is on the line after the ready line, which may come in a later chunk.
    let stopped = false;
    void exited.then(() => (stopped = true));
    while ((prismPid = prismPidIn(ready.output())) === undefined && !stopped) await sleep(20);
  });
  afterAll(async () => {
    const c = await child;
    if (c.exitCode !== null || c.signalCode !== null) return;
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

  it("SIGTERM to npm run mock's pid stops Prism and frees the port", async () => {
    expect(prismPid, "the mock names Prism's pid").toBeTypeOf('number');
    expect(await answers(await port)).toBe(true);
    (await child).kill('SIGTERM');
    const [code] = await exited;
    expect(code, 'a requested stop exits 0').toBe(0);
    expect(await gone(prismPid!), `Prism (pid ${prismPid}) still runs`).toBe(true);
    expect(await portIsFree(await port)).toBe(true);
  });
});
