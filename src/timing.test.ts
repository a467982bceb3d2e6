// Timeouts, backoff and Retry-After under fake timers and a fake fetch: each wait is checked to the
// millisecond by counting calls, so a loaded machine cannot make these tests pass or fail.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_KEY, APP_ID, failure, SESSION_ID, SHARE_OK, TOKEN, WORKFLOW_ID } from '../test-support/loopback-server.js';
import { createDiditClient, type DiditClientOptions } from './index.js';

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'hang';

/** A fetch answering from `answers` in turn (the last one repeats); `'hang'` waits for the abort. */
function fakeFetch(...answers: Answer[]) {
  const calls: number[] = [];
  const fetch = ((_url: string, init: RequestInit) => {
    const answer = answers[Math.min(calls.length, answers.length - 1)]!;
    calls.push(calls.length);
    if (answer === 'hang')
      return new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    return Promise.resolve(
      new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json', ...answer.headers },
      }),
    );
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const sessions = (fetch: typeof globalThis.fetch, options: DiditClientOptions = {}) =>
  createDiditClient({ apiKey: API_KEY, baseUrl: 'https://verification.didit.me', fetch, ...options }).sessions;
const ok = { status: 200, body: SHARE_OK };

beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('backoff and Retry-After', () => {
  it.each([
    [0, 500],
    [0.999, 375],
  ])(
    'without Retry-After the first retry waits 0.5 s minus up to a quarter (Math.random() = %s: %s ms)',
    async (random, ms) => {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      const { fetch, calls } = fakeFetch({ status: 500, body: { detail: 'Oops.' } }, ok);
      const minted = sessions(fetch).share(SESSION_ID, { for_application_id: APP_ID });
      await vi.advanceTimersByTimeAsync(ms - 1);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toHaveLength(2);
      expect(await minted).toEqual(SHARE_OK);
    },
  );

  it('429 with Retry-After: 1 waits exactly a second', async () => {
    const { fetch, calls } = fakeFetch(
      { status: 429, body: { detail: 'Throttled.' }, headers: { 'retry-after': '1' } },
      ok,
    );
    const minted = sessions(fetch).share(SESSION_ID, { for_application_id: APP_ID });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await minted).toEqual(SHARE_OK);
  });

  it("the caller's signal ends a backoff wait at once, with its reason", async () => {
    const { fetch, calls } = fakeFetch({
      status: 429,
      body: { detail: 'Throttled.' },
      headers: { 'retry-after': '5' },
    });
    const controller = new AbortController();
    const reason = new Error('user left');
    const call = failure(
      sessions(fetch).share(SESSION_ID, { for_application_id: APP_ID }, { signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(vi.getTimerCount()).toBe(0); // the 5 s wait was cleared
    expect(calls).toHaveLength(1);
  });
});

describe('timeouts', () => {
  it('a hanging call times out at exactly timeoutMs', async () => {
    const { fetch } = fakeFetch('hang');
    const call = failure<Error>(
      sessions(fetch, { timeoutMs: 200, maxRetries: 0 }).share(SESSION_ID, { for_application_id: APP_ID }),
    );
    let settled = false;
    void call.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(199);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await call;
    expect(error.name).toBe('DiditTimeoutError');
    expect(error.message).toBe(
      `share: no response from POST https://verification.didit.me/v3/session/${SESSION_ID}/share/ in 200 ms; retry later`,
    );
  });

  it('per-call timeoutMs overrides the client default', async () => {
    const { fetch } = fakeFetch('hang');
    const call = failure<Error>(
      sessions(fetch).share(SESSION_ID, { for_application_id: APP_ID }, { timeoutMs: 100, maxRetries: 0 }),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect((await call).name).toBe('DiditTimeoutError');
  });

  it('timeoutMs applies per attempt: share retries after a timeout', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fetch, calls } = fakeFetch('hang', ok);
    const minted = sessions(fetch, { timeoutMs: 150 }).share(SESSION_ID, { for_application_id: APP_ID });
    await vi.advanceTimersByTimeAsync(150 + 500);
    expect(calls).toHaveLength(2);
    expect(await minted).toEqual(SHARE_OK);
  });

  it('importShared is not retried after a timeout (the first attempt may have landed)', async () => {
    const { fetch, calls } = fakeFetch('hang', { status: 201, body: {} });
    const call = failure<Error>(
      sessions(fetch, { timeoutMs: 150, maxRetries: 2 }).importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID }),
    );
    await vi.advanceTimersByTimeAsync(150);
    const error = await call;
    expect(error.name).toBe('DiditTimeoutError');
    expect(error.message).toContain('may have landed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
  });
});
