// npm run calibrate as its users run it: against a twin of one dialect it pins every unsettled fact
// and records the assumptions it saw, in place (comments kept); the calibrated spec then holds the
// service to them, so the other dialect is breaking drift. The runs go through the CLIs' functions in
// this process, each a run of its own (drift.slow.test.ts runs a CLI in a process of its own).
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec, SPEC_PATH } from '../spec-kit/spec.js';
import { unsettledFacts } from '../spec-kit/unsettled.js';
import { startTwin, type Twin } from '../twin/server.js';
import { type DriftRun, runDriftIn } from './drift-run.js';

const calibrate = (specPath: string, env: Record<string, string>) =>
  runDriftIn(['--spec', specPath], env, { cli: 'calibrate' });

describe('npm run calibrate against the classic dialect', () => {
  const specPath = join(mkdtempSync(join(tmpdir(), 'didit-share-calibrate-')), 'openapi.yaml');
  let twin: Twin;
  let run: DriftRun;
  beforeAll(async () => {
    copyFileSync(SPEC_PATH, specPath);
    twin = await startTwin({ dialect: 'classic' });
    run = await calibrate(specPath, twin.env);
  }, 120_000);
  afterAll(() => twin.close());

  it('exits 0 and settles every unsettled fact on the candidate the service chose', () => {
    expect(run.code, run.output).toBe(0);
    const settled = Object.fromEntries(unsettledFacts(loadSpec(specPath)).map((f) => [f.id, f.settled?.value]));
    expect(settled).toEqual({
      'share-keyless-status': 401,
      'import-keyless-status': 401,
      'import-success-status': 201,
      'import-trust-review-required': 'optional',
      // null cannot tell "null" from inheriting a source session without vendor_data: never pinned.
      'import-vendor-data-when-omitted': undefined,
      'import-token-refused-status': 401,
      'import-wrong-application-status': 403,
      // No check can delete the original session: never observed.
      'import-original-missing-status': undefined,
      'import-replay-wording': 'already been imported',
      'import-kyc-session-kind': 'present',
      'import-shared-from-session': 'present',
      // The import page's fields only: no feature report to tell the form by.
      'import-feature-reports': undefined,
      'share-unfinished-detail': 'string',
    });
  });

  it('prints one line per edit with its evidence, never a key', () => {
    expect(run.output).toMatch(
      /✓ import-success-status settled: 201 .*\n\s+evidence: POST \/v3\/session\/import-shared\/ → 201 \{/,
    );
    expect(run.output).toMatch(/✓ #\/components\/schemas\/ImportSharedSessionResponse confirmed/);
    // What its own edits mean for consumers (scripts/spec-compare.ts): facts and evidence, documentation only.
    expect(run.output).toMatch(/spec change for consumers: patch\n(\s+patch .+\n?)+/);
    for (const [name, value] of Object.entries(twin.env).filter(([n]) => n.endsWith('API_KEY')))
      expect(run.output, name).not.toContain(value);
  });

  it('edits in place: comments and the untouched text survive; a confirmed assumption drops its flag', () => {
    const text = readFileSync(specPath, 'utf8');
    expect(text).toContain("# Where Didit's own sources disagree: each candidate with its source.");
    expect(text).toContain('      tags: [Sessions]');
    const schema = loadSpec(specPath).components.schemas.ImportSharedSessionResponse!;
    expect(schema['x-assumption']).toBeUndefined();
    expect(schema['x-observed']).toMatchObject({ verdict: 'confirmed', evidence: expect.stringMatching(/^POST /) });
    // The committed spec keeps the evidence's shape, not the account's ids.
    expect(text).not.toContain(twin.env.DIDIT_SESSION_ID);
    expect(text).toMatch(/"session_id":"<uuid>"/);
  });

  it('then holds the service to it: the other dialect is breaking drift, the same one is not', async () => {
    const other = await startTwin({ dialect: 'current' });
    const drifted = await runDriftIn(['--target', 'live', '--spec', specPath], other.env);
    await other.close();
    expect(drifted.code, drifted.output).toBe(1);
    expect(drifted.report!.findings).toContainEqual(
      expect.objectContaining({
        check: 'share.rejects.key-missing',
        severity: 'breaking',
        message: expect.stringMatching(/share-keyless-status: calibrated to 401 on .*now answers 403/),
      }),
    );
    const again = await calibrate(specPath, twin.env);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/nothing left to pin/);
  });

  it('exits 2 and leaves the spec alone when it cannot run', async () => {
    const before = readFileSync(specPath, 'utf8');
    const cannot = await calibrate(specPath, { DIDIT_API_KEY: 'sk_test_only' });
    expect(cannot.code).toBe(2);
    expect(cannot.output).toMatch(/calibration could not run \(the spec is unchanged\)/);
    expect(readFileSync(specPath, 'utf8')).toBe(before);
  });
});

// Calibrated against Didit's OpenAPI document's dialect, the spec then names, for each other dialect,
// exactly the facts on which that service says otherwise: what changed, and nothing else.
describe("npm run calibrate against the openapi dialect (Didit's OpenAPI document), then the other dialects", () => {
  const specPath = join(mkdtempSync(join(tmpdir(), 'didit-share-calibrate-openapi-')), 'openapi.yaml');
  let twin: Twin;
  let run: DriftRun;
  beforeAll(async () => {
    copyFileSync(SPEC_PATH, specPath);
    twin = await startTwin({ dialect: 'openapi' });
    run = await calibrate(specPath, twin.env);
  }, 120_000);
  afterAll(() => twin.close());

  it("settles each fact on Didit's OpenAPI document's candidate", () => {
    expect(run.code, run.output).toBe(0);
    const settled = unsettledFacts(loadSpec(specPath)).filter((f) => f.settled);
    expect(Object.fromEntries(settled.map((f) => [f.id, f.settled!.value]))).toEqual({
      'share-keyless-status': 401,
      'import-keyless-status': 403,
      'import-success-status': 201,
      'import-trust-review-required': 'required',
      'import-token-refused-status': 400,
      'import-wrong-application-status': 400,
      'import-replay-wording': 'already been shared with your application',
      'import-kyc-session-kind': 'absent',
      'import-shared-from-session': 'absent',
      'import-feature-reports': 'singular',
      'share-unfinished-detail': 'array',
    });
    for (const f of settled) expect(f.candidates.find((c) => c.value === f.settled!.value)?.source).toBeTruthy();
  });

  it.each([
    [
      'classic',
      [
        'import-keyless-status',
        'import-kyc-session-kind',
        'import-replay-wording',
        'import-shared-from-session',
        'import-token-refused-status',
        'import-trust-review-required',
        'import-wrong-application-status',
        'share-unfinished-detail',
      ],
    ],
    // Its import answers 200, not the calibrated 201: the checks of the copy then skip (no fresh import to judge).
    [
      'current',
      [
        'import-success-status',
        'import-token-refused-status',
        'import-wrong-application-status',
        'share-keyless-status',
        'share-unfinished-detail',
      ],
    ],
  ] as const)(
    'against the %s dialect: breaking, naming each fact that changed and only those',
    async (dialect, changed) => {
      const other = await startTwin({ dialect });
      const drifted = await runDriftIn(['--target', 'live', '--spec', specPath], other.env);
      await other.close();
      expect(drifted.code, drifted.output).toBe(1);
      const breaking = drifted.report!.findings.filter((f) => f.severity === 'breaking');
      expect(breaking.filter((f) => f.kind !== 'unsettled-fact')).toEqual([]);
      expect([...new Set(breaking.map((f) => f.message.split(':')[0]))].sort()).toEqual(changed);
      for (const f of breaking)
        expect(f.message).toMatch(/: calibrated to .+ on \d{4}-\d{2}-\d{2} \(.+\), the service now answers /);
    },
  );
});
