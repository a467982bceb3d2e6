// maxResponseBytes (reads are bounded, whatever the server sends) and many calls on one AbortSignal.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  API_KEY,
  APP_ID,
  clientFor,
  failure,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
  type TestServer,
} from '../test-support/loopback-server.js';
import { createDiditClient, type DiditClientOptions, DiditResponseTooLargeError } from './index.js';

const server = serversClosedAfterEach();
const share = (s: TestServer, options: DiditClientOptions = {}) =>
  clientFor(s, options).sessions.share(SESSION_ID, { for_application_id: APP_ID });

/** Streams `total` bytes chunked (no content-length), honouring backpressure; stops when the client goes. */
function stream(total: number, chunk = 64 * 1024) {
  const sent = { bytes: 0, closed: undefined as Promise<unknown> | undefined };
  const handler = async (res: ServerResponse) => {
    sent.closed = once(res, 'close');
    let gone = false;
    res.on('close', () => (gone = true));
    res.writeHead(200, { 'content-type': 'application/json' });
    const block = Buffer.alloc(chunk, 'a');
    while (!gone && sent.bytes < total) {
      sent.bytes += chunk;
      if (!res.write(block)) await Promise.race([once(res, 'drain'), sent.closed]);
    }
    res.end();
  };
  return { sent, handler };
}

describe('maxResponseBytes', () => {
  it('a content-length over the limit is refused before the body is read, and not retried', async () => {
    const s = await server((res) => json(res, 200, { ...SHARE_OK, padding: 'x'.repeat(2000) }));
    const error = await failure<DiditResponseTooLargeError>(share(s, { maxResponseBytes: 1000 }));
    expect(error).toBeInstanceOf(DiditResponseTooLargeError);
    expect(error).toMatchObject({ status: 200, limitBytes: 1000 });
    expect(error.message).toBe(
      `share: the 200 answer of POST ${s.url}/v3/session/${SESSION_ID}/share/ is over maxResponseBytes (1000); raise that option if it is expected`,
    );
    expect(s.seen).toHaveLength(1);
  });

  it('a chunked answer (no content-length) is cut at the limit; an error status too', async () => {
    const { handler } = stream(10 * 1024, 1024);
    const s = await server((res) => void handler(res));
    await expect(share(s, { maxResponseBytes: 4096 })).rejects.toBeInstanceOf(DiditResponseTooLargeError);
    const s500 = await server((res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      for (let i = 0; i < 8; i++) res.write('e'.repeat(1024));
      res.end();
    });
    await expect(share(s500, { maxResponseBytes: 4096, maxRetries: 3 })).rejects.toMatchObject({
      name: 'DiditResponseTooLargeError',
      status: 500,
    });
    expect(s500.seen).toHaveLength(1);
  });

  // content-length counts the compressed bytes: 8 MiB of zeros gzip to ~8 kB, under any limit.
  it('a gzip bomb is cut at the limit once decompressed, not at its content-length', async () => {
    const bomb = gzipSync(Buffer.alloc(8 << 20));
    const s = await server((res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': bomb.length,
      });
      res.end(bomb);
    });
    const error = await failure<DiditResponseTooLargeError>(share(s, { maxResponseBytes: 64 * 1024 }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(error).toMatchObject({ name: 'DiditResponseTooLargeError', status: 200, limitBytes: 64 * 1024 });
    expect(s.seen).toHaveLength(1);
  });

  it('an answer of exactly maxResponseBytes is read; one byte over is not', async () => {
    const bytes = Buffer.byteLength(JSON.stringify(SHARE_OK));
    const chunked = async (res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(SHARE_OK));
    };
    const s = await server((res) => void chunked(res));
    expect(await share(s, { maxResponseBytes: bytes })).toEqual(SHARE_OK);
    await expect(share(s, { maxResponseBytes: bytes - 1 })).rejects.toBeInstanceOf(DiditResponseTooLargeError);
    const withLength = await server((res) => json(res, 200, SHARE_OK));
    expect(await share(withLength, { maxResponseBytes: bytes })).toEqual(SHARE_OK);
    await expect(share(withLength, { maxResponseBytes: bytes - 1 })).rejects.toBeInstanceOf(DiditResponseTooLargeError);
  });

  it('defaults to 1 MiB: 1 MiB passes the cap, one byte more does not', async () => {
    const body = (n: number) => `${JSON.stringify({ ...SHARE_OK, pad: '' }).slice(0, -2)}${'x'.repeat(n)}"}`;
    const base = Buffer.byteLength(body(0));
    const s = await server((res, _req, i) =>
      json(res, 200, body(1_048_576 - base + i), { 'content-type': 'application/json' }),
    );
    expect(await share(s)).toMatchObject(SHARE_OK);
    await expect(share(s)).rejects.toMatchObject({ name: 'DiditResponseTooLargeError', limitBytes: 1_048_576 });
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const maxResponseBytes of [0, -1, 1.5, NaN])
      expect(() => createDiditClient({ apiKey: API_KEY, maxResponseBytes })).toThrow('maxResponseBytes an integer > 0');
  });

  it('200 MB streamed: rejects, memory stays bounded, and the server stops sending', async () => {
    const total = 200 * 1024 * 1024;
    const { sent, handler } = stream(total);
    const s = await server((res) => void handler(res));
    global.gc?.();
    const before = process.memoryUsage().rss;
    const error = await failure(share(s));
    const growth = process.memoryUsage().rss - before;
    await sent.closed;
    console.log(
      `200 MB stream: RSS grew ${(growth / 2 ** 20).toFixed(1)} MB; the server sent ${(sent.bytes / 2 ** 20).toFixed(1)} MB before the client closed`,
    );
    expect(growth).toBeLessThan(150 * 2 ** 20);
    expect(sent.bytes).toBeLessThan(total / 4);
    expect(error).toBeInstanceOf(DiditResponseTooLargeError);
  });
});

describe('many calls sharing one AbortSignal', () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  afterEach(() => void (warnings.length = 0));

  // Node emits the warning on the next tick: wait for it before looking.
  const ticks = () => new Promise((resolve) => setImmediate(resolve));

  it('50 concurrent calls on one signal emit no MaxListenersExceededWarning', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const c = clientFor(s);
    const { signal } = new AbortController();
    const calls = Array.from({ length: 50 }, () =>
      c.sessions.share(SESSION_ID, { for_application_id: APP_ID }, { signal }),
    );
    expect(await Promise.all(calls)).toHaveLength(50);
    await ticks();
    expect(warnings.map((w) => w.name)).toEqual([]);
    expect(s.seen).toHaveLength(50);
  });

  it('aborting the shared signal still ends every call in flight, and waits between retries', async () => {
    const s = await server((res, _req, i) => i % 2 === 1 && json(res, 503, { detail: 'busy' })); // the rest hang
    const c = clientFor(s);
    const controller = new AbortController();
    const calls = Array.from({ length: 30 }, () =>
      failure(c.sessions.share(SESSION_ID, { for_application_id: APP_ID }, { signal: controller.signal })),
    );
    while (s.seen.length < 30) await ticks();
    controller.abort(new Error('stop'));
    const errors = await Promise.all(calls);
    expect(errors.map((e) => (e as Error).message)).toEqual(Array(30).fill('stop'));
    await ticks();
    expect(warnings).toEqual([]);
  });
});
