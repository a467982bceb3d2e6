// Only an answer the service itself wrote feeds a verdict. Loopback servers play what may stand in
// front of the API (a CDN's, a WAF's, a proxy's HTML page; redirects without a usable Location) and
// a service whose answers are hostile (a JSON-typed body that does not parse, 100k-level nesting in
// every field the suite reads): each run ends as it must, and what a finding says comes from the body.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { json, type Seen, serve } from '../test-support/loopback-server.js';
import { runDriftIn } from './drift-run.js';

const KEY = `sk_test_${'edge'.repeat(8)}`;
const env = (baseUrl: string, extra: Record<string, string> = {}) => ({
  DIDIT_BASE_URL: baseUrl,
  DIDIT_API_KEY: KEY,
  DIDIT_SESSION_ID: crypto.randomUUID(),
  DIDIT_FOR_APPLICATION_ID: crypto.randomUUID(),
  ...extra,
});

async function against(
  handler: (res: ServerResponse, seen: Seen) => void,
  extra?: Record<string, string>,
  args: string[] = [],
) {
  const server = await serve((res, seen) => (seen.method === 'HEAD' ? res.end() : handler(res, seen)));
  try {
    return await runDriftIn(['--target', 'live', ...args], env(server.url, extra));
  } finally {
    await server.close();
  }
}

const html = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><title>${title}</title></head><body>${body}</body></html>`;

// Pages as the edges send them (status, headers, the words that misled the refusal reader).
const PAGES: Array<[string, number, Record<string, string>, string, RegExp]> = [
  [
    "Cloudflare's block page",
    403,
    { server: 'cloudflare', 'cf-ray': '8f1e2d3c4b5a6978-FRA' },
    html('Attention Required! | Cloudflare', '<h1>Sorry, you have been blocked</h1><p>Your IP: 203.0.113.9</p>'),
    /HTTP 403 with an HTML page titled "Attention Required! \| Cloudflare" \(server: cloudflare, cf-ray: 8f1e2d3c4b5a6978-FRA\)/,
  ],
  [
    "Akamai's Access Denied",
    403,
    { server: 'AkamaiGHost', 'x-akamai-request-id': '1a2b3c' },
    '<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>You don\'t have permission to access "http&#58;&#47;&#47;x" on this server.</BODY></HTML>',
    /HTTP 403 with an HTML page titled "Access Denied" \(server: AkamaiGHost, x-akamai-request-id: 1a2b3c\)/,
  ],
  [
    "nginx's 403",
    403,
    { server: 'nginx/1.25.3' },
    html('403 Forbidden', '<center><h1>403 Forbidden</h1></center><hr><center>nginx</center>'),
    /HTTP 403 with an HTML page titled "403 Forbidden" \(server: nginx\/1\.25\.3\)/,
  ],
  [
    'a bare HTML 401 from a proxy that signs nothing',
    401,
    {},
    html('Unauthorized', '<h1>401</h1>'),
    /HTTP 401 with an HTML page titled "Unauthorized" where the service answers JSON/,
  ],
];

describe('an HTML page from in front of the API is named, never judged (exit 2)', () => {
  it.each(PAGES)('%s', async (_what, status, headers, page, named) => {
    const run = await against((res) => res.writeHead(status, { 'content-type': 'text/html', ...headers }).end(page));
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(named);
    expect(run.report?.incomplete).toMatch(/a proxy, CDN or firewall in front of the API sent it, not the service/);
    // Not read as an account state of the service's ("IP allowlist", "lacks write:sessions"), nor as drift.
    expect(run.report?.incomplete).not.toMatch(/allowlist|write:sessions/);
    expect(run.report?.summary.breaking).toBe(0);
  });

  it('calibrate against the nginx page: exit 2, the spec unchanged', async () => {
    const specPath = join(mkdtempSync(join(tmpdir(), 'didit-share-edge-')), 'openapi.yaml');
    copyFileSync(SPEC_PATH, specPath);
    const before = readFileSync(specPath, 'utf8');
    const server = await serve((res) =>
      res.writeHead(403, { 'content-type': 'text/html', server: 'nginx' }).end(PAGES[2]![3]),
    );
    const run = await runDriftIn(['--spec', specPath], env(server.url), { cli: 'calibrate' });
    await server.close();
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(/calibration could not run \(the spec is unchanged\)/);
    expect(readFileSync(specPath, 'utf8')).toBe(before);
  });
});

describe('every 3xx takes the redirect path, whatever its Location (exit 2, the key sent nowhere else)', () => {
  it.each([
    ['none', undefined, /redirected \(302\) without a Location: set DIDIT_BASE_URL to the API's origin/],
    [
      'one that does not parse',
      'http://[::1',
      /redirected \(302\) to a Location that is not a URL \("http:\/\/\[::1"\)/,
    ],
    [
      'a relative one',
      '/elsewhere/v3/',
      /redirected \(302\) to http:\/\/127\.0\.0\.1:\d+\/elsewhere\/v3\/: set DIDIT_BASE_URL to http:\/\/127\.0\.0\.1:\d+/,
    ],
  ])('Location: %s', async (_what, location, said) => {
    const run = await against((res) => res.writeHead(302, location === undefined ? {} : { location }).end());
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(said);
    expect(run.report?.summary.breaking).toBe(0);
  });
});

const SHARE_OK = (seen: Seen) => ({
  share_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiMSJ9.c2ln',
  for_application_id: (JSON.parse(seen.body) as { for_application_id?: string }).for_application_id ?? null,
  session_kind: 'user',
});

describe('what a finding says comes from the body', () => {
  it('a wrong status quotes the redacted body excerpt', async () => {
    const run = await against((res, seen) => {
      const body = JSON.parse(seen.body) as { ttl_in_seconds?: number };
      if (body.ttl_in_seconds !== undefined && body.ttl_in_seconds < 60)
        return json(res, 403, { detail: `Refused by policy, key ${KEY}` });
      json(res, 200, SHARE_OK(seen));
    });
    const finding = run.report?.findings.find((f) => f.check === 'share.rejects.ttl-below-minimum');
    expect(finding?.message, run.output).toMatch(
      /expected HTTP 400, got 403 \(the body: \{"detail":"Refused by policy, key \*\*\*"\}\)/,
    );
    expect(JSON.stringify(run.report)).not.toContain(KEY);
  });

  it('a JSON-typed body that does not parse is said so', async () => {
    const run = await against((res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"share_token": "eyJ'),
    );
    expect(run.code, run.output).toBe(1);
    const finding = run.report?.findings.find((f) => f.check === 'share.success' && f.kind === 'content-type');
    expect(finding?.message).toBe('expected a JSON body, got one that does not parse');
  });
});

// 100k levels: what JSON.parse still reads and a recursive stringify or walk does not survive.
const DEEP = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('100k-level nesting in any field the suite reads ends in findings, not a crashed suite', () => {
  const partner = { DIDIT_PARTNER_API_KEY: `${KEY}-partner`, DIDIT_PARTNER_WORKFLOW_ID: crypto.randomUUID() };
  it.each([
    [
      'for_application_id',
      (seen: Seen) =>
        `{"share_token":"${SHARE_OK(seen).share_token}","session_kind":"user","for_application_id":${DEEP}}`,
      '/for_application_id',
    ],
    [
      'a claim of the token',
      () =>
        `{"share_token":"${b64('{"alg":"HS256"}')}.${b64(`{"session_id":${DEEP}}`)}.c2ln","session_kind":"user","for_application_id":null}`,
      '/share_token/session_id',
    ],
    [
      "the token header's alg",
      () =>
        `{"share_token":"${b64(`{"alg":${DEEP}}`)}.${b64('{"iat":1}')}.c2ln","session_kind":"user","for_application_id":null}`,
      '/share_token/alg',
    ],
  ])('%s', async (_field, shareBody, pointer) => {
    const run = await against((res, seen) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(shareBody(seen)),
    );
    expect(run.report?.incomplete, run.output).toBeUndefined();
    expect(run.code, run.output).toBe(1);
    expect(run.report?.findings.map((f) => f.pointer)).toContain(pointer);
  });

  it.each([
    ['status', '/status'],
    ['vendor_data', undefined],
  ])("the import answer's %s", async (field, pointer) => {
    const run = await against(
      (res, seen) =>
        seen.url.includes('import-shared')
          ? res
              .writeHead(201, { 'content-type': 'application/json' })
              .end(`{"session_id":"${crypto.randomUUID()}","${field}":${DEEP}}`)
          : json(res, 200, SHARE_OK(seen)),
      partner,
    );
    expect(run.report?.incomplete, run.output).toBeUndefined();
    expect(run.code, run.output).toBe(1);
    const import_ = run.report!.findings.filter((f) => f.operation === 'importSharedSession');
    expect(import_.length).toBeGreaterThan(0);
    if (pointer) expect(import_.map((f) => f.pointer)).toContain(pointer);
    expect(JSON.stringify(run.report).length).toBeLessThan(500_000);
  });
});

describe('the deadline bounds every wait, probes included', () => {
  it('a reachability probe that gets no answer ends at the deadline, said so, not "unreachable"', async () => {
    let fire = () => {};
    // The deadline fires once the probe (HEAD) is in flight: the run is waiting on it, never answered.
    const server = await serve((_res, seen) => (seen.method === 'HEAD' ? fire() : undefined));
    const run = await runDriftIn(['--target', 'live', '--deadline', '4'], env(server.url), {
      deadlineClock: (f) => {
        fire = f;
        return () => {};
      },
    });
    await server.close();
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(
      /deadline \(4 s, --deadline\) passed.*\(while probing http:\/\/127\.0\.0\.1:\d+\)/,
    );
    expect(run.report?.incomplete).not.toMatch(/unreachable/);
  });
});
