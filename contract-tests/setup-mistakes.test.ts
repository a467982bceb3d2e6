// A first run with one variable wrong is never drift: the happy path (the documented success with the
// configured inputs) comes first, and when it fails the run ends with exit 2 naming the variable and
// the fix, every check "not run" rather than failed; a variable of the wrong shape is refused before
// anything is sent. The twin plays the misconfigured service (its fixtures hold the ids a wrong
// variable would carry); calibrate against it leaves the spec alone.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { json, serve } from '../test-support/loopback-server.js';
import { startTwin, type Twin } from '../twin/server.js';
import { type DriftRun, runDriftIn } from './drift-run.js';

let twin: Twin;
beforeAll(async () => {
  twin = await startTwin();
});
afterAll(() => twin.close());

const drift = (env: Record<string, string>) => runDriftIn(['--target', 'live'], env);

/** The run could not judge the service: exit 2, no finding, no check failed, and the variable named. */
function expectNotJudged(run: DriftRun, variable: string, fix: RegExp) {
  expect(run.code, run.output).toBe(2);
  expect(run.report?.incomplete, run.output).toMatch(new RegExp(`Fix ${variable}\\b|${variable}`));
  expect(run.report?.incomplete).toMatch(fix);
  expect(run.report?.incomplete).not.toMatch(/correct spec\/openapi\.yaml/);
  expect(run.report?.summary.breaking).toBe(0);
  expect(run.report?.checks.filter((c) => c.state === 'failed')).toEqual([]);
}

// The table, one row each: the variable made wrong, and what the run must name.
const ROWS: Array<[string, (twin: Twin) => Record<string, string>, string, RegExp]> = [
  [
    'DIDIT_API_KEY not a key of the service',
    (t) => ({ ...t.env, DIDIT_API_KEY: 'sk_test_not-a-key-of-this-service' }),
    'DIDIT_API_KEY',
    /does not know this key \(401\)/,
  ],
  [
    'DIDIT_SESSION_ID an unfinished session',
    (t) => ({ ...t.env, DIDIT_SESSION_ID: t.env.DIDIT_UNFINISHED_SESSION_ID! }),
    'DIDIT_SESSION_ID',
    /not finished.*set it to a finished session/,
  ],
  [
    'DIDIT_SESSION_ID a session of no application of the key',
    (t) => ({ ...t.env, DIDIT_SESSION_ID: t.fixtures.partnerSessionId }),
    'DIDIT_SESSION_ID',
    /has no session DIDIT_SESSION_ID \(404\).*scope includes the session/,
  ],
  [
    "DIDIT_FOR_APPLICATION_ID the key's own application",
    (t) => ({ ...t.env, DIDIT_FOR_APPLICATION_ID: t.fixtures.applicationId }),
    'DIDIT_FOR_APPLICATION_ID',
    /is the sharing application itself \(400\)/,
  ],
  [
    'DIDIT_FOR_APPLICATION_ID an application the service does not know',
    (t) => ({ ...t.env, DIDIT_FOR_APPLICATION_ID: crypto.randomUUID() }),
    'DIDIT_FOR_APPLICATION_ID',
    /knows no application/,
  ],
  [
    "DIDIT_PARTNER_API_KEY the source's own key",
    (t) => ({ ...t.env, DIDIT_PARTNER_API_KEY: t.env.DIDIT_API_KEY! }),
    'DIDIT_PARTNER_API_KEY',
    /not intended for the importing application.*DIDIT_API_KEY itself/,
  ],
  [
    'DIDIT_PARTNER_API_KEY not a key of the service',
    (t) => ({ ...t.env, DIDIT_PARTNER_API_KEY: 'sk_test_not-a-partner-key' }),
    'DIDIT_PARTNER_API_KEY',
    /does not know this key \(401\)/,
  ],
  [
    'DIDIT_PARTNER_WORKFLOW_ID a workflow of another application',
    (t) => ({ ...t.env, DIDIT_PARTNER_WORKFLOW_ID: t.env.DIDIT_WORKFLOW_ID! }),
    'DIDIT_PARTNER_WORKFLOW_ID',
    /no such workflow \(404\): set DIDIT_PARTNER_WORKFLOW_ID to/,
  ],
  [
    'DIDIT_PARTNER_KYB_WORKFLOW_ID a workflow of another application (the KYB lane names its own variable)',
    (t) => ({ ...t.env, DIDIT_PARTNER_KYB_WORKFLOW_ID: t.env.DIDIT_KYB_WORKFLOW_ID! }),
    'DIDIT_PARTNER_KYB_WORKFLOW_ID',
    /no such workflow \(404\): set DIDIT_PARTNER_KYB_WORKFLOW_ID to/,
  ],
];

describe('a wrong variable ends the run with exit 2, naming it (the twin plays the service)', () => {
  it.each(ROWS)('%s', async (_what, envOf, variable, fix) => {
    expectNotJudged(await drift(envOf(twin)), variable, fix);
  });

  it('every route 404: DIDIT_BASE_URL', async () => {
    const server = await serve((res) => json(res, 404, { detail: 'Not found.' }));
    const run = await drift({ ...twin.env, DIDIT_BASE_URL: server.url });
    await server.close();
    expectNotJudged(run, 'DIDIT_BASE_URL', /no route of the API answers there \(both operations 404\)/);
  });
});

describe('variables checked for shape before anything is sent', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    server = await serve((res) => res.end());
  });
  afterAll(() => server.close());

  it.each([
    ['DIDIT_SESSION_ID not a UUID', { DIDIT_SESSION_ID: 'sess_123' }, /DIDIT_SESSION_ID is not a UUID/],
    [
      'DIDIT_FOR_APPLICATION_ID not a UUID',
      { DIDIT_FOR_APPLICATION_ID: 'my-partner' },
      /DIDIT_FOR_APPLICATION_ID is not a UUID/,
    ],
    [
      'DIDIT_PARTNER_WORKFLOW_ID not a UUID',
      { DIDIT_PARTNER_WORKFLOW_ID: 'kyc' },
      /DIDIT_PARTNER_WORKFLOW_ID is not a UUID/,
    ],
    [
      'DIDIT_BASE_URL ending in /v3',
      { DIDIT_BASE_URL: '<server>/v3' },
      /without a path \(got the path "\/v3"\).*Set it to http:\/\/127\.0\.0\.1:\d+$/,
    ],
    ['DIDIT_BASE_URL with a query', { DIDIT_BASE_URL: '<server>/?x=1' }, /without a path .*and a query/],
    [
      'DIDIT_BASE_URL plain http to a host that is not loopback',
      { DIDIT_BASE_URL: 'http://didit.example' },
      /plain http: to didit\.example, which is not loopback: the API key would leave in clear\. Set it to https:\/\/didit\.example/,
    ],
  ])('%s', async (_what, wrong, message) => {
    const env = Object.fromEntries(
      Object.entries({ ...twin.env, DIDIT_BASE_URL: server.url, ...wrong }).map(([k, v]) => [
        k,
        v.replace('<server>', server.url),
      ]),
    );
    const before = server.seen.length;
    const run = await drift(env);
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(message);
    expect(run.report?.checks).toEqual([]);
    expect(server.seen.length, 'nothing sent, not even the reachability probe').toBe(before);
  });
});

describe('calibrate writes only what a judged run saw', () => {
  it('with the wrong key: exit 2, the spec unchanged', async () => {
    const specPath = join(mkdtempSync(join(tmpdir(), 'didit-share-setup-')), 'openapi.yaml');
    copyFileSync(SPEC_PATH, specPath);
    const before = readFileSync(specPath, 'utf8');
    const run = await runDriftIn(
      ['--spec', specPath],
      { ...twin.env, DIDIT_API_KEY: 'sk_test_not-a-key-of-this-service' },
      { cli: 'calibrate' },
    );
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(/calibration could not run \(the spec is unchanged\).*DIDIT_API_KEY/s);
    expect(readFileSync(specPath, 'utf8')).toBe(before);
  });
});
