// The drift check as a nightly job runs it: the same environment and one stateful service night after
// night. The hop (suite/sources.ts) leaves each run a session not imported yet, kept in the state
// file: three runs in a row each verify every check. A lost state, or a service that refuses to share
// an imported copy, ends green with the import checks skipped saying what to do, never failed or passed.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../twin/server.js';
import { type DriftRun, FED_BY_A_FRESH_IMPORT, runDriftIn } from './drift-run.js';
import { boundChecks, numericBounds, OPTIONAL_FIELD_CHECKS } from './suite/coverage.js';
import { loadRunSpec } from './suite/findings.js';

const stateIn = () => join(mkdtempSync(join(tmpdir(), 'didit-share-state-')), 'drift-state.json');
const night = (twin: Twin, statePath: string) => runDriftIn(['--target', 'live', '--state', statePath], twin.env);
const stateOf = (run: DriftRun) => Object.fromEntries(run.report!.checks.map((c) => [c.check, c]));
const NEW_CHECKS = [
  'import.hop',
  'import.business',
  'import.business.hop',
  // Every coverage class of the spec: each bound from both sides, each optional field omitted and sent.
  ...numericBounds(loadRunSpec(undefined)).flatMap((b) => Object.values(boundChecks(b))),
  ...Object.values(OPTIONAL_FIELD_CHECKS).flatMap((c) => [c.omitted, c.sent]),
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('three nights against one twin, the state file kept between them; then a night it was lost', () => {
  let twin: Twin;
  let statePath: string;
  const nights: DriftRun[] = [];
  let lost: DriftRun;
  let stale: DriftRun;
  let afterFirst = '';
  beforeAll(async () => {
    twin = await startTwin();
    statePath = stateIn();
    for (let i = 0; i < 3; i++) {
      nights.push(await night(twin, statePath));
      if (i === 0) afterFirst = readFileSync(statePath, 'utf8');
    }
    lost = await night(twin, stateIn()); // a new path: the cache was not restored
    const older = stateIn();
    writeFileSync(older, afterFirst); // a cache restored from an older run: its sessions were imported since
    stale = await night(twin, older);
  }, 180_000);
  afterAll(() => twin.close());

  it.each([0, 1, 2])('night %i verifies every check, nothing skipped (KYB import and the hop included)', (i) => {
    const run = nights[i]!;
    expect(run.code, run.output).toBe(0);
    expect(run.report!.summary, run.output).toMatchObject({
      failed: 0,
      skipped: 0,
      errored: 0,
      breaking: 0,
      nonBreaking: 0,
    });
    const checks = stateOf(run);
    for (const id of NEW_CHECKS) expect(checks[id]?.state, id).toBe('passed');
  });

  it('imports a session never imported before each night: the copy the last night left', () => {
    const [first, second, third] = nights.map((run) => run.report!.sessions!);
    expect(first!.used).toEqual([
      { kind: 'user', sessionId: twin.env.DIDIT_SESSION_ID, from: 'configured' },
      { kind: 'business', sessionId: twin.env.DIDIT_BUSINESS_SESSION_ID, from: 'configured' },
    ]);
    for (const [before, after] of [
      [first!, second!],
      [second!, third!],
    ] as const) {
      const left = before.created.filter((c) => c.in === 'source').map(({ kind, sessionId }) => ({ kind, sessionId }));
      expect(after.used).toEqual(left.map((l) => ({ ...l, from: 'state' })));
    }
    // Per night: the partner's import and the hop back, for KYC and for KYB; nothing else is imported.
    for (const ledger of [first!, second!, third!]) expect(ledger.imports).toBe(4);
    expect(nights[2]!.output).toMatch(/sessions {2}used user [0-9a-f-]{36} \(from the state file\)/);
    // The job summary (the markdown report) says the same.
    expect(readFileSync(join(nights[2]!.reportDir, 'drift-report.md'), 'utf8')).toMatch(
      /^Sessions: used user [0-9a-f-]{36} \(from the state file\), business .*; 4 imports made$/m,
    );
  });

  it('keeps ids only in the state file: never a key or a token', () => {
    const text = readFileSync(statePath, 'utf8');
    const state = JSON.parse(text) as { fresh: Record<string, string> };
    expect(Object.keys(state.fresh).sort()).toEqual(['business', 'user']);
    for (const id of Object.values(state.fresh)) expect(id).toMatch(UUID);
    for (const [name, value] of Object.entries(twin.env).filter(([n]) => n.endsWith('API_KEY')))
      expect(text, name).not.toContain(value);
    expect(text).not.toMatch(/eyJ/);
  });

  it('ends a night whose state was lost with exit 0, the import checks skipped naming what to do', () => {
    expect(lost.code, lost.output).toBe(0);
    expect(lost.report!.summary).toMatchObject({ failed: 0, breaking: 0 });
    const skipped = lost.report!.checks.filter((c) => c.state === 'skipped');
    expect(skipped.map((c) => c.check).sort()).toEqual(FED_BY_A_FRESH_IMPORT);
    for (const id of ['import.success', 'import.copy', 'import.business']) {
      const reason = skipped.find((c) => c.check === id)!.reason!;
      expect(reason, id).toMatch(/no state file at .*drift-state\.json/);
      expect(reason, id).toMatch(/Restore the state file the last run left/);
      expect(reason, id).toMatch(
        id === 'import.business'
          ? /point DIDIT_BUSINESS_SESSION_ID at a session the partner has not imported yet/
          : /point DIDIT_SESSION_ID at a session the partner has not imported yet/,
      );
    }
    expect(lost.report!.sessions).toEqual({ used: [], created: [], imports: 0 });
  });

  it('skips the same way from an older state whose sessions were imported since, saying so', () => {
    expect(stale.code, stale.output).toBe(0);
    expect(stale.report!.summary).toMatchObject({ failed: 0, breaking: 0, skipped: 10 });
    const reason = stateOf(stale)['import.copy']!.reason!;
    expect(reason).toMatch(
      /the state's session [0-9a-f-]{36} was already imported \(an earlier run kept it, then did not hop\)/,
    );
    expect(reason).toMatch(/point DIDIT_SESSION_ID at a session the partner has not imported yet/);
  });
});

describe('a state file whose sessions the service no longer has (deleted, or of another sandbox)', () => {
  it('falls back to the configured sessions, says so, and verifies every check', async () => {
    const twin = await startTwin();
    const statePath = stateIn();
    writeFileSync(statePath, JSON.stringify({ version: 1, fresh: { user: randomUUID(), business: randomUUID() } }));
    const run = await night(twin, statePath);
    await twin.close();
    expect(run.code, run.output).toBe(0);
    expect(run.report!.summary).toMatchObject({ failed: 0, skipped: 0, breaking: 0 });
    expect(run.report!.sessions!.used.map((u) => u.from)).toEqual(['configured', 'configured']);
    expect(run.report!.findings).toContainEqual(
      expect.objectContaining({
        check: 'import.success',
        severity: 'info',
        message: expect.stringMatching(
          /^imported DIDIT_SESSION_ID instead: the state's session .* could not be shared/,
        ),
      }),
    );
  });
});

describe('a service that refuses to share an imported copy (an account or product rule)', () => {
  let run: DriftRun;
  beforeAll(async () => {
    const twin = await startTwin({ shareCopies: false });
    run = await night(twin, stateIn());
    await twin.close();
  }, 120_000);

  it('says plainly the hop could not be made, skips what it would have fed, and is not drift', () => {
    expect(run.code, run.output).toBe(0);
    expect(run.report!.summary).toMatchObject({ failed: 0, breaking: 0, nonBreaking: 0 });
    const checks = stateOf(run);
    expect(checks['import.hop']).toMatchObject({
      state: 'skipped',
      reason: expect.stringMatching(
        /^could not hop: the service refused to share the partner's imported copy .* an account or product rule, not drift/,
      ),
    });
    for (const id of ['import.business.hop', 'import.trust-review-kept', 'import.vendor-data-sent'])
      expect(checks[id]?.state, id).toBe('skipped');
    // What the first import feeds is still verified.
    for (const id of ['import.success', 'import.copy', 'import.business', 'import.rejects.replay'])
      expect(checks[id]?.state, id).toBe('passed');
    expect(run.report!.sessions?.imports).toBe(2);
  });
});
