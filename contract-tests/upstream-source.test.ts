// npm run upstream where the document comes from: Didit's published address (a loopback server for
// it), and what cannot be read or compared (exit 2, never a verdict). One run of the npm script as a
// process of its own; the rest in-process (upstream-run.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { json, serve } from '../test-support/loopback-server.js';
import { excerpt, FIXTURE, ROOT, refBomb, upstream } from './upstream-run.js';

describe("npm run upstream -- URL (a loopback server for Didit's published address)", () => {
  it('exits 0 on the excerpt served as JSON, following a redirect (no key is ever sent)', async () => {
    const body = readFileSync(FIXTURE, 'utf8');
    const server = await serve((res, { url }) =>
      url === '/openapi-25.json'
        ? res.writeHead(200, { 'content-type': 'application/json' }).end(body)
        : res.writeHead(301, { location: '/openapi-25.json' }).end(),
    );
    try {
      const run = await upstream(`${server.url}/moved.json`);
      expect(run.code, run.output).toBe(0);
      expect(server.seen.every((s) => s.headers['x-api-key'] === undefined)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it.each<[string, (res: ServerResponse) => void, RegExp]>([
    [
      'a 404 page',
      (res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'),
      /answered HTTP 404/,
    ],
    [
      'an HTML page',
      (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>'),
      /not an OpenAPI 3 document/,
    ],
    ['JSON that is not OpenAPI', (res) => json(res, 200, { swagger: '2.0', paths: {} }), /not an OpenAPI 3 document/],
    [
      'a document past --max-bytes',
      (res) => json(res, 200, { openapi: '3.0.0', paths: {}, pad: 'x'.repeat(4096) }),
      /larger than 1024 bytes/,
    ],
  ])('exits 2 on %s, writing why in the report', async (_what, respond, why) => {
    const server = await serve((res) => respond(res));
    try {
      const run = await upstream(`${server.url}/openapi-25.json`, '--max-bytes', '1024');
      expect(run.code, run.output).toBe(2);
      expect(run.report.incomplete).toMatch(why);
      expect(run.markdown).toMatch(/could not compare/);
    } finally {
      await server.close();
    }
  });

  it('never writes the password of a URL that carries one', async () => {
    const server = await serve((res) => json(res, 200, excerpt()));
    try {
      const run = await upstream(server.url.replace('http://', 'http://reader:s3cret-pass@'));
      expect(`${run.output}${JSON.stringify(run.report)}${run.markdown}`).not.toContain('s3cret-pass');
      expect(run.code, run.output).toBe(2); // fetch refuses a URL with credentials: said, not sent
      expect(run.report.source).toMatch(/^http:\/\/(\*\*\*@)?127\.0\.0\.1:\d+\/$/);
    } finally {
      await server.close();
    }
  });

  it.each<[string, (res: ServerResponse) => void, RegExp]>([
    ['never answers', () => {}, /no answer within 200 ms/],
    [
      'stops mid-document',
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"openapi":'),
      /stopped sending the document \(no whole document within 200 ms\)/,
    ],
  ])('exits 2 when the server %s (--timeout-ms)', async (_what, respond, why) => {
    const server = await serve((res) => respond(res));
    try {
      const run = await upstream(`${server.url}/openapi-25.json`, '--timeout-ms', '200');
      expect(run.code, run.output).toBe(2);
      expect(run.report.incomplete).toMatch(why);
    } finally {
      await server.close();
    }
  });
});

describe('exit 2 when there is nothing to compare (never a verdict)', () => {
  it('a file that does not exist, through the npm script in a process of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'didit-share-upstream-'));
    const result = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'contract-tests/upstream.ts', join(dir, 'missing.json'), '--report-dir', dir],
      { cwd: ROOT },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing\.json does not exist or cannot be read/);
    expect(JSON.parse(readFileSync(join(dir, 'upstream-report.json'), 'utf8')).incomplete).toMatch(/does not exist/);
  });

  it.each([
    [
      'a document nested past any OpenAPI document',
      `{"openapi":"3.0.0","paths":{},"x":${'['.repeat(300)}${']'.repeat(300)}}`,
      /nests deeper/,
    ],
    ['text that is neither JSON nor YAML', '{ "openapi": "3.0.0", ', /neither JSON nor YAML/],
    ['an OpenAPI document without paths', '{"openapi":"3.1.0"}', /has no paths/],
    [
      'refs that expand exponentially (each schema naming the next twice, 40 deep)',
      JSON.stringify(refBomb(40)),
      /expands past 200000 nodes once its \$refs are resolved/,
    ],
  ])('%s', async (_what, text, why) => {
    const path = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-bad-')), 'doc.json');
    writeFileSync(path, text);
    const run = await upstream(path);
    expect(run.code).toBe(2);
    expect(run.report.incomplete).toMatch(why);
  });
});
