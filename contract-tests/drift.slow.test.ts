// The drift check as its users run it: green on Prism and on the behavioural twin (twice in a row),
// exit 2 when it cannot run, secrets kept out of everything it writes. The default Prism run and one
// exit 2 (missing variables) run the CLI in a process of its own; the rest run the same CLI function in
// this process, each call a run of its own (drift-run.ts).
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../spec-kit/prism.js';
import { json, serve } from '../test-support/loopback-server.js';
import { startTwin, type Twin } from '../twin/server.js';
import { type DriftRun, FED_BY_A_FRESH_IMPORT, runDrift, runDriftIn } from './drift-run.js';

/** The least a live run needs: a target, a key, and ids nobody has (the run ends before they matter). */
const liveEnv = (baseUrl: string, key: string) => ({
  DIDIT_BASE_URL: baseUrl,
  DIDIT_API_KEY: key,
  DIDIT_SESSION_ID: crypto.randomUUID(),
  DIDIT_FOR_APPLICATION_ID: crypto.randomUUID(),
});

const everything = (run: DriftRun) =>
  [
    run.output,
    ...['drift-report.json', 'drift-report.md', 'junit.xml'].map((f) => readFileSync(join(run.reportDir, f), 'utf8')),
  ].join('\n');

describe('npm run drift (target prism, the default)', () => {
  let run: DriftRun;
  beforeAll(async () => {
    run = await runDrift([]);
  });

  it('exits 0 with no breaking finding', () => {
    expect(run.code, run.output).toBe(0);
    expect(run.report?.summary.breaking).toBe(0);
  });

  it('writes the report with its documented shape', () => {
    expect(run.report).toMatchObject({
      target: 'prism',
      baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      findings: [],
    });
    const { summary } = run.report!;
    expect(summary.checks).toBe(summary.passed + summary.skipped);
    expect(summary.passed).toBeGreaterThan(10);
  });

  it('reports what needs a live target as skipped, saying so', () => {
    const skipped = run.report!.checks.filter((c) => c.state === 'skipped');
    expect(skipped.map((c) => c.check)).toEqual(expect.arrayContaining(['share.token.ttl', 'import.rejects.replay']));
    for (const c of skipped) expect(c.reason).toMatch(/needs a live target/);
  });

  it('prints progress and a summary table', () => {
    expect(run.output).toMatch(/✓ share\.success/);
    expect(run.output).toMatch(/checks\s+\d+: \d+ passed, 0 failed, \d+ skipped, 0 errored/);
    expect(run.output).toMatch(/findings\s+0: 0 breaking, 0 non-breaking, 0 info/);
    expect(readFileSync(join(run.reportDir, 'junit.xml'), 'utf8')).toMatch(
      /<testcase classname="shareSession" name="share\.success" time="\d+(\.\d{1,3})?"/,
    );
  });
});

// Each dialect of Didit's sources (keyless 401 or 403, import 201 or 200, the decision payload, and
// Didit's OpenAPI document's refusals and V2 answer) is a service the spec's unsettled facts allow:
// green, twice, with the chosen candidates reported as info.
describe.each([
  ['classic', 401, 401, 201],
  ['current', 403, 403, 200],
  ['openapi', 401, 403, 201],
] as const)(
  'npm run drift -- --target live, against the twin (%s dialect)',
  (dialect, shareKeyless, importKeyless, importStatus) => {
    let twin: Twin;
    let first: DriftRun;
    let second: DriftRun;
    beforeAll(async () => {
      twin = await startTwin({ dialect });
      first = await runDriftIn(['--target', 'live'], twin.env);
      second = await runDriftIn(['--target', 'live'], twin.env);
    }, 120_000);
    afterAll(() => twin.close());

    it('passes every check, none skipped (the twin provides every variable)', () => {
      expect(first.code, first.output).toBe(0);
      expect(first.report!.summary).toMatchObject({ breaking: 0, nonBreaking: 0, skipped: 0 });
    });

    it('reports which candidate of each unsettled fact the service chose, naming its source', () => {
      const messages = first.report!.findings.map((f) => `${f.severity} ${f.message}`);
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            new RegExp(
              `^info share-keyless-status: the service chose ${shareKeyless}, confirming https://docs\\.didit\\.me/`,
            ),
          ),
          expect.stringMatching(
            new RegExp(
              `^info import-success-status: the service chose ${importStatus}, confirming ${importStatus === 201 ? 'https://docs\\.didit\\.me/openapi-25\\.json' : 'third party'}`,
            ),
          ),
          expect.stringMatching(
            `^info import-trust-review-required: the service chose ${dialect === 'openapi' ? 'required' : 'optional'}`,
          ),
        ]),
      );
      expect(first.report!.calibration).toContainEqual(
        expect.objectContaining({ kind: 'fact', fact: 'import-keyless-status', value: String(importKeyless) }),
      );
    });

    it('stays green on a second run: "already imported" is the documented outcome', () => {
      expect(second.code, second.output).toBe(0);
      expect(second.report!.findings.filter((f) => f.severity !== 'info')).toEqual([]);
      expect(second.report!.findings).toContainEqual(
        expect.objectContaining({
          check: 'import.success',
          severity: 'info',
          message: expect.stringMatching(/already imported/),
        }),
      );
      // What the 403 leaves unverified is counted as skipped, not passed.
      const skipped = second.report!.checks.filter((c) => c.state === 'skipped').map((c) => c.check);
      expect(skipped).toEqual(FED_BY_A_FRESH_IMPORT);
    });

    it('never writes or prints an API key or a whole share token', () => {
      const text = everything(first) + everything(second);
      for (const [name, value] of Object.entries(twin.env).filter(([n]) => n.endsWith('API_KEY'))) {
        expect(text, name).not.toContain(value);
      }
      expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]{20,}/);
    });

    it('runs through prism proxy --errors as well (--target proxy)', async () => {
      const run = await runDriftIn(['--target', 'proxy'], twin.env);
      expect(run.code, run.output).toBe(0);
      expect(run.report).toMatchObject({ target: 'proxy', baseUrl: twin.baseUrl });
    });
  },
);

describe('throttling and secrets', () => {
  it('reports skipped checks with the variable that would enable them', async () => {
    const twin = await startTwin();
    const { DIDIT_READONLY_API_KEY: _readonly, DIDIT_PARTNER_API_KEY: _partner, ...env } = twin.env;
    const run = await runDriftIn(['--target', 'live'], env);
    await twin.close();
    expect(run.code, run.output).toBe(0);
    const reasons = Object.fromEntries(run.report!.checks.map((c) => [c.check, c.reason]));
    expect(reasons['share.rejects.key-without-privilege']).toBe('set DIDIT_READONLY_API_KEY to enable');
    expect(reasons['import.success']).toBe('set DIDIT_PARTNER_API_KEY to enable');
  });

  it('waits out a short 429 (Retry-After) and stays green', async () => {
    const twin = await startTwin({ rateLimit: { limit: 8, windowSeconds: 1 } });
    const run = await runDriftIn(['--target', 'live'], twin.env);
    await twin.close();
    expect(run.code, run.output).toBe(0);
  });

  // A service drifted to echo the caller's key and to mint opaque tokens: both land in findings.
  // Redaction by position: whatever shape the token drifted to, every string below `share_token` is cut.
  it.each([
    ['an opaque string', (token: string) => token],
    ['an array', (token: string) => [token]],
    ['an object', (token: string) => ({ value: token, parts: [token] })],
  ])('keeps an echoed key and a token drifted to %s out of every report and line it prints', async (_shape, shape) => {
    const key = 'sk_test_drift_leak_0123456789';
    const token = 'opaque-share-token-abcdefghijklmnopqrstuvwxyz';
    const server = await serve((res, { url }) =>
      json(res, url.includes('import') ? 201 : 200, {
        share_token: shape(token),
        for_application_id: key,
        session_kind: 'user',
        detail: `key ${key}`,
      }),
    );
    const run = await runDriftIn(['--target', 'live'], liveEnv(server.url, key));
    await server.close();
    expect(run.code, run.output).toBe(1);
    const text = everything(run);
    expect(text).toContain('/share_token'); // the findings are there...
    expect(text).not.toContain(key); // ...without the key
    expect(text).not.toContain(token.slice(0, 11)); // ...and with at most a 10-character prefix of the token
  });
});

describe('exit 2 when the check cannot run (never reported as drift)', () => {
  it('names the missing variables', async () => {
    const run = await runDrift(['--target', 'live'], { DIDIT_API_KEY: 'k' });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/needs DIDIT_SESSION_ID, DIDIT_FOR_APPLICATION_ID/);
    // Even the earliest exit 2 leaves a report saying why (replacing any earlier "no breaking drift").
    expect(run.report?.incomplete).toMatch(/needs DIDIT_SESSION_ID/);
    expect(run.report?.checks).toEqual([]);
  });

  it('when the target is unreachable', async () => {
    const port = await freePort();
    const run = await runDriftIn(['--target', 'live'], liveEnv(`http://127.0.0.1:${port}`, 'secret-key-1234'));
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/unreachable/);
    expect(run.output).not.toContain('secret-key-1234');
  });

  // Reachable at the first probe (HEAD), failing on every POST of the suite.
  it.each([
    ['drops every connection', (res: ServerResponse) => res.socket?.destroy()],
    [
      'answers 503',
      (res: ServerResponse) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>'),
    ],
  ])('when the target %s mid-run', async (_what, fail) => {
    const server = await serve((res, { method }) => (method === 'HEAD' ? res.end() : fail(res)));
    const run = await runDriftIn(['--target', 'live'], liveEnv(server.url, 'secret-key-1234'));
    await server.close();
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(/stopped answering|service is failing/);
    // The partial report is still written (for the nightly artifact), saying why it is incomplete.
    expect(run.report?.incomplete).toMatch(/stopped answering/);
    expect(readFileSync(join(run.reportDir, 'drift-report.md'), 'utf8')).toMatch(/could not complete/);
  });

  it('when the key stays rate-limited (429 beyond what it waits for)', async () => {
    const twin = await startTwin({ rateLimit: { limit: 1, windowSeconds: 120 } });
    const run = await runDriftIn(['--target', 'live'], twin.env);
    await twin.close();
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(/rate-limited \(429/);
    expect(run.report?.summary.breaking).toBe(0);
  });

  // The process exits with what the CLI's function returns (drift.ts), shown above by a process: in-process here.
  it('for an unknown target', async () => {
    expect((await runDriftIn(['--target', 'staging'])).code).toBe(2);
  });
});
