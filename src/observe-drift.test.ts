// What observeDrift leaves alone: any other request's response passes through as the same object, its
// stream unread; and nothing it does can fail the caller. (What it reports: on-drift.test.ts.)
import { describe, expect, it } from 'vitest';
import { SESSION_ID, SHARE_OK } from '../test-support/fixtures.js';
import { type DriftFinding, observeDrift } from './index.js';

const SHARE_URL = `https://verification.didit.me/v3/session/${SESSION_ID}/share/`;
const settled = () => new Promise((resolve) => setTimeout(resolve, 10));

/** A JSON response as a stream that counts its pulls: nothing pulls it before someone reads it. */
function streamed(status: number, chunks: string[]) {
  let pulls = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[pulls++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    },
    { highWaterMark: 0 },
  );
  const response = new Response(body, { status, headers: { 'content-type': 'application/json' } });
  return { response, body, pulls: () => pulls };
}

describe('observeDrift passes every other response through unread', () => {
  it.each<[string, string, RequestInit, number]>([
    ['another service', 'https://api.example.com/v1/stream', { method: 'POST' }, 200],
    ["a Didit path under another prefix's look-alike", 'https://x.example/v3/session/import-shared/more', {}, 200],
    ['a GET of a Didit path', SHARE_URL, { method: 'GET' }, 200],
    ['a refusal (404) of share', SHARE_URL, { method: 'POST' }, 404],
    ['a server error of share', SHARE_URL, { method: 'POST' }, 503],
  ])('%s: the same Response, its stream never pulled', async (_name, url, init, status) => {
    const sent = streamed(status, ['{"a":', '1}']);
    const seen: DriftFinding[] = [];
    const got = await observeDrift((f) => void seen.push(f), { fetch: async () => sent.response })(url, init);
    await settled();
    expect(got).toBe(sent.response);
    expect(got.body).toBe(sent.body);
    expect(sent.pulls()).toBe(0);
    expect(await got.json()).toEqual({ a: 1 }); // still whole for the caller
    expect(seen).toEqual([]);
  });

  it("a success of share is read from a clone (the contrast): the caller's body is still whole", async () => {
    const sent = streamed(200, [
      JSON.stringify(SHARE_OK).slice(0, 20),
      JSON.stringify({ ...SHARE_OK, extra: 1 }).slice(20),
    ]);
    const seen: DriftFinding[] = [];
    const got = await observeDrift((f) => void seen.push(f), { fetch: async () => sent.response })(SHARE_URL, {
      method: 'POST',
    });
    await settled();
    expect(got).toBe(sent.response);
    expect(sent.pulls()).toBeGreaterThan(0);
    expect(await got.json()).toEqual({ ...SHARE_OK, extra: 1 });
    expect(seen.map((f) => f.pointer)).toEqual(['/extra']);
  });
});

describe('observeDrift never fails the caller', () => {
  it("a callback that rejects, a body cut mid-read, a body nested 100 000 deep: the caller's response as it came", async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const cut = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"share_token":'));
        controller.error(new Error('connection reset'));
      },
    });
    const answers = [new Response(deep, { status: 200 }), new Response(cut, { status: 200 })];
    const call = observeDrift(() => Promise.reject(new Error('async callback bug')), {
      fetch: async () => answers.shift()!,
    });
    const first = await call(SHARE_URL, { method: 'POST' });
    expect((await first.text()).length).toBe(200_000);
    const second = await call(SHARE_URL, { method: 'POST' });
    await expect(second.text()).rejects.toThrow('connection reset'); // the caller's own failure, as fetch gave it
    await settled(); // an unhandled rejection here would fail the run
  });

  it("the fetch underneath failing is the caller's failure, unchanged", async () => {
    const failure = new TypeError('fetch failed');
    const call = observeDrift(() => {}, { fetch: () => Promise.reject(failure) });
    await expect(call(SHARE_URL, { method: 'POST' })).rejects.toBe(failure);
  });
});
