// npm run upstream as its users run it: the spec against Didit's OpenAPI document (the excerpt of the
// reference folder, vendored in fixtures/), a copy of it edited the way Didit might edit its own,
// documents served over loopback, and what cannot be compared (exit 2). In-process (runUpstreamCli),
// but one run of the npm script as a process of its own.
import { execFile } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { json, serve } from '../test-support/loopback-server.js';
import { runUpstreamCli } from './upstream.js';
import type { UpstreamReport } from './upstream-report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = join(ROOT, 'contract-tests/fixtures/didit-openapi-25-share-excerpt.json');
const REFERENCE = join(ROOT, '../shared/reference/didit-openapi-25-share-excerpt.json');
// biome-ignore lint/suspicious/noExplicitAny: a JSON document the tests edit in place, as Didit might
type Doc = Record<string, any>;
const excerpt = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Doc;

interface UpstreamRun {
  code: number;
  output: string;
  report: UpstreamReport;
  markdown: string;
}

async function upstream(...args: string[]): Promise<UpstreamRun> {
  const dir = mkdtempSync(join(tmpdir(), 'didit-share-upstream-'));
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const code = await runUpstreamCli([...args, '--report-dir', dir], { log, error: log });
  return {
    code,
    output: lines.join('\n'),
    report: JSON.parse(readFileSync(join(dir, 'upstream-report.json'), 'utf8')) as UpstreamReport,
    markdown: readFileSync(join(dir, 'upstream-report.md'), 'utf8'),
  };
}

/** A copy of the excerpt, edited, in a file of its own. */
function edited(edit: (doc: Doc) => void, name = 'openapi.json'): string {
  const doc = excerpt();
  edit(doc);
  const path = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-doc-')), name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

/** The excerpt with share's 200 schema a chain of schemas, each naming the next twice: 2^depth nodes resolved. */
function refBomb(depth: number): Doc {
  const doc = excerpt();
  const schemas: Doc = { [`S${depth}`]: { type: 'string' } };
  for (let i = 0; i < depth; i++) {
    const next = { $ref: `#/components/schemas/S${i + 1}` };
    schemas[`S${i}`] = { type: 'object', properties: { a: next, b: next } };
  }
  doc.components.schemas = schemas;
  doc.paths[SHARE].post.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/S0' };
  return doc;
}

const SHARE = '/v3/session/{sessionId}/share/';
const IMPORT = '/v3/session/import-shared/';
const shareBody = (doc: Doc) => doc.paths[SHARE].post.requestBody.content['application/json'].schema.properties;

describe("npm run upstream against the excerpt of Didit's OpenAPI document", () => {
  it.skipIf(!existsSync(REFERENCE))('the fixture is the reference copy verbatim', () => {
    expect(readFileSync(FIXTURE, 'utf8')).toBe(readFileSync(REFERENCE, 'utf8'));
  });

  it('exits 0: every disagreement is already an unsettled fact or an assumption, the rest non-breaking', async () => {
    const run = await upstream(FIXTURE);
    expect(run.code, run.output).toBe(0);
    expect(run.report.summary.breaking).toBe(0);
    const facts = new Set(run.report.differences.map((d) => d.fact).filter(Boolean));
    expect([...facts]).toEqual(
      expect.arrayContaining(['import-trust-review-required', 'import-success-status', 'import-keyless-status']),
    );
    expect(run.report.differences).toContainEqual(
      expect.objectContaining({
        severity: 'info',
        where: 'importSharedSession request body: trust_review',
        what: 'now required',
        fact: 'import-trust-review-required',
      }),
    );
    expect(run.report.document).toEqual({ title: 'Didit Verification API', version: '3.0.0', openapi: '3.0.0' });
    expect(run.markdown).toMatch(/^## Didit's OpenAPI document vs the spec: ✅ nothing breaking/);
  });

  it('exits 1 naming the field when Didit lowers the TTL maximum', async () => {
    const run = await upstream(edited((doc) => void (shareBody(doc).ttl_in_seconds.maximum = 43200)));
    expect(run.code, run.output).toBe(1);
    const breaking = run.report.differences.filter((d) => d.severity === 'breaking');
    expect(breaking).toEqual([
      expect.objectContaining({ where: 'shareSession request body: ttl_in_seconds', what: 'maximum 86400 → 43200' }),
    ]);
    expect(run.output).toMatch(/✗ breaking: shareSession request body: ttl_in_seconds — maximum 86400 → 43200/);
    expect(run.markdown).toMatch(/❌ 1 breaking difference/);
  });

  it.each<[string, (doc: Doc) => void, RegExp]>([
    [
      'a new required request field',
      (doc) => {
        const schema = doc.paths[SHARE].post.requestBody.content['application/json'].schema;
        schema.properties.purpose = { type: 'string' };
        schema.required.push('purpose');
      },
      /^shareSession request body: purpose — added, required$/,
    ],
    [
      'a response enum value',
      (doc) => {
        doc.paths[SHARE].post.responses['200'].content['application/json'].schema.properties.session_kind.enum.push(
          'group',
        );
      },
      /^shareSession response 200: session_kind — enum \+"group"$/,
    ],
    [
      'another security scheme',
      (doc) => void (doc.paths[IMPORT].post.security = [{ SessionTokenAuth: [] }]),
      /^importSharedSession security — changed$/,
    ],
    ['the operation gone', (doc) => void delete doc.paths[IMPORT], /^importSharedSession — operation removed$/],
  ])('exits 1 on %s', async (_what, edit, named) => {
    const run = await upstream(edited(edit));
    expect(run.code, run.output).toBe(1);
    expect(
      run.report.differences.filter((d) => d.severity === 'breaking').map((d) => `${d.where} — ${d.what}`),
    ).toEqual([expect.stringMatching(named)]);
  });

  it('holds a settled fact: the document contradicting what a live run settled is breaking', async () => {
    const spec = readFileSync(SPEC_PATH, 'utf8').replace(
      /( {2}import-success-status:\n)/,
      "$1    settled: { value: 200, on: '2026-12-01', evidence: 'POST /v3/session/import-shared/ → 200' }\n",
    );
    const specPath = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-spec-')), 'openapi.yaml');
    writeFileSync(specPath, spec);
    const run = await upstream(FIXTURE, '--spec', specPath);
    expect(run.code, run.output).toBe(1);
    expect(run.report.differences.filter((d) => d.severity === 'breaking')).toEqual([
      expect.objectContaining({
        where: 'importSharedSession response 200',
        fact: 'import-success-status',
        why: expect.stringMatching(/^contradicts import-success-status, settled on 200/),
      }),
    ]);
  });

  it('holds a calibrated assumption: the document contradicting what a live run confirmed (x-observed) is breaking', async () => {
    const spec = readFileSync(SPEC_PATH, 'utf8').replace(
      /( {4}ShareSessionResponse:\n {6}type: object\n {6}description: [^\n]*\n) {6}x-assumption: true\n/,
      "$1      x-observed: { verdict: confirmed, on: '2026-12-01', evidence: 'POST /v3/session/<uuid>/share/ → 200' }\n",
    );
    expect(spec).toContain('x-observed: { verdict: confirmed');
    const specPath = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-spec-')), 'openapi.yaml');
    writeFileSync(specPath, spec);
    const run = await upstream(FIXTURE, '--spec', specPath);
    expect(run.code, run.output).toBe(1);
    const breaking = run.report.differences.filter((d) => d.severity === 'breaking');
    expect(breaking.map((d) => d.where)).toEqual([
      'shareSession response 200: share_token',
      'shareSession response 200: for_application_id',
      'shareSession response 200: session_kind',
    ]);
    for (const d of breaking) expect(d.why).toMatch(/^contradicts what a live run confirmed \(x-observed\)/);
  });

  it('reads YAML as well as JSON', async () => {
    const { stringify } = await import('yaml');
    const path = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-yaml-')), 'openapi.yaml');
    writeFileSync(path, stringify(excerpt()));
    expect((await upstream(path)).code).toBe(0);
  });
});

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
  ])('exits 2 on %s, writing why in the report', async (_what, answer, why) => {
    const server = await serve((res) => answer(res));
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
  ])('exits 2 when the server %s (--timeout-ms)', async (_what, answer, why) => {
    const server = await serve((res) => answer(res));
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
