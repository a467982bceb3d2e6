// The engine under the drift check: its registry holds every listed id once, a check's time limit
// follows the run's limits (a throttle that lifts within them ends in verdicts, not a timeout), a
// hang is cut off by it, and the first check that cannot run stops the rest. Time passes on a
// virtual clock: minutes of Retry-After cost nothing.
import { describe, expect, it } from 'vitest';
import { startTwin } from '../twin/server.js';
import { virtualClock } from './clock.js';
import { runDriftIn } from './drift-run.js';
import { defineSuite, LANES, prepareRun, runSuite } from './engine.js';
import { runCheck, timeLimitMs } from './run-check.js';
import { type Check, check, defineChecks } from './suite/check.js';
import { CHECK_IDS } from './suite/check-ids.js';

const prism = {
  kind: 'prism',
  baseUrl: 'http://127.0.0.1:9',
  upstreamUrl: 'http://127.0.0.1:9',
  variables: {},
} as const;

describe('the registry', () => {
  it('declares every id of suite/check-ids.ts exactly once, across the lanes', () => {
    const { run } = prepareRun({ target: prism });
    const { lanes, errors } = defineSuite(run);
    expect(errors).toEqual([]);
    expect(lanes.length).toBe(Object.keys(LANES).length);
    expect(
      lanes
        .flat()
        .map((c) => c.id)
        .sort(),
    ).toEqual([...CHECK_IDS].sort());
  });

  it('refuses a check declared outside a lane', () => {
    expect(() => check('share.success', { operation: 'shareSession', rule: 'r' }, async () => {})).toThrow(
      /inside defineChecks/,
    );
  });

  it('gives each run its own lane closures', () => {
    const seen: unknown[] = [];
    const lane = defineChecks((run) => {
      seen.push(run);
      check('share.success', { operation: 'shareSession', rule: 'r' }, async () => {});
    });
    const a = prepareRun({ target: prism }).run;
    const b = prepareRun({ target: prism }).run;
    lane(a);
    lane(b);
    expect(seen).toEqual([a, b]);
    expect(a.memo).not.toBe(b.memo);
  });
});

const single = (body: Check['body'], requests?: number): Check => ({
  id: 'share.success',
  options: { operation: 'shareSession', rule: 'r', ...(requests ? { requests } : {}) },
  body,
});

describe("a check's time limit", () => {
  it('follows the request timeout: a longer --request-timeout gives a longer limit', () => {
    const limit = (requestTimeoutMs: number) =>
      timeLimitMs(
        single(async () => {}),
        prepareRun({ target: prism, requestTimeoutMs }).run,
      );
    expect(limit(30_000)).toBeGreaterThan(limit(15_000));
    // The throttle waits the HTTP layer allows (3 × up to 30 s) fit in one request's share of it.
    expect(limit(1)).toBeGreaterThan(4 * 3 * 30_000);
  });

  it('cuts a hanging check off as "could not run", aborting its signal', async () => {
    const clock = virtualClock();
    const { run, stop } = prepareRun({ target: { ...prism, kind: 'live' }, clock });
    let signal: AbortSignal | undefined;
    const hang = single(({ signal: s }) => {
      signal = s;
      return new Promise(() => {});
    });
    const result = runCheck(hang, run, { stop: stop.signal, clock });
    clock.advance(timeLimitMs(hang, run));
    expect(await result).toMatchObject({
      state: 'failed',
      unavailable: expect.stringMatching(/did not finish within/),
    });
    expect(signal?.aborted).toBe(true);
  });

  it('lets a throttle lift after Retry-After 25, three times: real verdicts, no timeout', async () => {
    const twin = await startTwin();
    const clock = virtualClock();
    try {
      // The first of them answers the CLI's reachability probe (HEAD, before the suite): three meet the checks.
      twin.failNext(429, { retryAfter: 25, times: 4 });
      const run = await runDriftIn(['--target', 'live'], twin.env, { clock });
      expect(run.code, run.output).toBe(0);
      expect(run.report?.incomplete).toBeUndefined();
      expect(run.report?.summary).toMatchObject({ checks: CHECK_IDS.length, skipped: 0, breaking: 0 });
      expect(clock.waits.filter((ms) => ms === 25_000)).toHaveLength(3);
    } finally {
      await twin.close();
    }
  });
});

describe('a run that cannot complete', () => {
  it('stops at the first check that cannot run: the rest are "not run", none waits its timeouts', async () => {
    const clock = virtualClock();
    const suite = await runSuite({
      target: { ...prism, kind: 'live', baseUrl: 'http://127.0.0.1:1', upstreamUrl: 'http://127.0.0.1:1' },
      log: () => {},
      clock,
      requestTimeoutMs: 200,
    });
    expect(suite.stopped).toMatch(/stopped answering/);
    // Besides the checks skipped for want of variables (no request), at most the first check of each
    // lane ran; the others are left.
    expect(suite.results.filter((r) => r.state !== 'skipped').length).toBeLessThanOrEqual(Object.keys(LANES).length);
    expect(suite.left.length).toBe(CHECK_IDS.length - suite.results.length);
  });

  it('stops when its signal aborts, before any check starts', async () => {
    const suite = await runSuite({ target: prism, log: () => {}, signal: AbortSignal.abort('stopped by the caller') });
    expect(suite).toMatchObject({ results: [], stopped: 'stopped by the caller' });
    expect(suite.left).toHaveLength(CHECK_IDS.length);
  });
});
