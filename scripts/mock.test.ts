// `npm run mock` as a user runs it: the source document's curl example (base URL swapped) gets the
// spec's example back; a missing key gets the 401 example; a TTL of 30 the 400 example.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForPrism } from '../contract-tests/targets/prism.js';
import { loadSpec } from './lib/spec.js';
import { firstExample } from './lib/spec-examples.js';
import { sourceDocument } from './fixtures/source-document.js';

const spec = loadSpec();

describe('npm run mock', () => {
  // detached: npm starts a shell that starts Prism; the group is killed as a whole.
  const port = freePort();
  const child = port.then((p) =>
    spawn('npm', ['run', '--silent', 'mock'], { env: { ...process.env, PORT: String(p) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }),
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

  it.each([
    ["the source document's request", 200, sourceDocument.request, undefined],
    ['no x-api-key', 401, sourceDocument.request, {}],
    ['ttl_in_seconds 30', 400, { ...sourceDocument.request, ttl_in_seconds: 30 }, undefined],
  ] as const)('%s gets the %i example', async (_what, status, body, headers) => {
    const response = await post(body, headers);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(firstExample(spec, 'shareSession', status));
  });
});
