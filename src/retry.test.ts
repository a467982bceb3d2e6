import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APP_ID,
  clientFor,
  IMPORT_OK,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
  type TestServer,
  TOKEN,
  WORKFLOW_ID,
} from '../test-support/loopback-server.js';
import type { DiditApiError, DiditClientOptions } from './index.js';
import { parseRetryAfter, retryDelay } from './retry.js';

const server = serversClosedAfterEach();
const sessions = (s: TestServer, options: DiditClientOptions = {}) => clientFor(s, options).sessions;
const share = (s: TestServer, options?: DiditClientOptions) =>
  sessions(s, options).share(SESSION_ID, { for_application_id: APP_ID });
const importShared = (s: TestServer, options?: DiditClientOptions) =>
  sessions(s, options).importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID });
const now = { 'retry-after': '0' };

describe('share retries 429, 5xx and network errors', () => {
  it('503 then 200 is retried and succeeds', async () => {
    const s = await server((res, _req, i) =>
      i === 0 ? json(res, 503, { detail: 'Unavailable.' }, now) : json(res, 200, SHARE_OK),
    );
    expect(await share(s)).toEqual(SHARE_OK);
    expect(s.seen).toHaveLength(2);
  });

  // The waits themselves (backoff, Retry-After) are timed to the millisecond in timing.test.ts.
  it('a Retry-After beyond 60 s is not waited for: the 429 is thrown with retryAfterMs', async () => {
    const s = await server((res) => json(res, 429, { detail: 'Throttled.' }, { 'retry-after': '3600' }));
    const error = (await share(s).catch((e) => e)) as DiditApiError;
    expect(error).toMatchObject({ name: 'DiditRateLimitError', retryAfterMs: 3_600_000 });
    expect(s.seen).toHaveLength(1);
  });

  it('a dropped connection is retried', async () => {
    const s = await server((res, _req, i) => (i === 0 ? res.socket!.destroy() : json(res, 200, SHARE_OK)));
    expect(await share(s)).toEqual(SHARE_OK);
    expect(s.seen).toHaveLength(2);
  });

  it.each([0, 1, 2])('gives up after maxRetries = %i', async (maxRetries) => {
    const s = await server((res) => json(res, 502, { detail: 'Bad gateway.' }, now));
    const error = await share(s, { maxRetries }).catch((e) => e);
    expect(error.name).toBe('DiditServerError');
    expect(s.seen).toHaveLength(maxRetries + 1);
  });

  it.each([400, 401, 403, 404, 409])('%i is not retried', async (status) => {
    const s = await server((res) => json(res, status, { detail: 'No.' }, now));
    await share(s).catch(() => {});
    expect(s.seen).toHaveLength(1);
  });
});

describe('importShared retries only 429', () => {
  it('429 then 201 is retried', async () => {
    const s = await server((res, _req, i) =>
      i === 0 ? json(res, 429, { detail: 'Throttled.' }, now) : json(res, 201, IMPORT_OK),
    );
    expect(await importShared(s)).toEqual(IMPORT_OK);
    expect(s.seen).toHaveLength(2);
  });

  it('503 is not retried', async () => {
    const s = await server((res) => json(res, 503, { detail: 'Unavailable.' }, now));
    expect((await importShared(s).catch((e) => e)).name).toBe('DiditServerError');
    expect(s.seen).toHaveLength(1);
  });

  it('a dropped connection is not retried and says the import may have landed', async () => {
    const s = await server((res, _req, i) => (i === 0 ? res.socket!.destroy() : json(res, 201, IMPORT_OK)));
    const error = await importShared(s).catch((e) => e);
    expect(error.name).toBe('DiditConnectionError');
    expect(error.message).toContain('may have landed');
    expect(s.seen).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  const NOW = Date.parse('2025-11-24T16:05:00Z');
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['12', 12_000],
    ['0', 0],
    ['007', 7000],
    ['soon', undefined],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 0],
    ['Mon, 24 Nov 2025 16:05:30 GMT', 30_000],
    // The two obsolete HTTP-date forms a recipient must still accept (RFC 9110 §5.6.7); asctime is UTC.
    ['Monday, 24-Nov-25 16:05:30 GMT', 30_000],
    ['Mon Nov 24 16:06:00 2025', 60_000],
    ['Mon Nov  3 16:06:00 2025', 0],
    // delay-seconds is 1*DIGIT: anything Number() or Date.parse() would read besides is no delay.
    ['-1', undefined],
    ['0x3C', undefined],
    ['1e3', undefined],
    ['1.5', undefined],
    ['+5', undefined],
    ['Infinity', undefined],
    ['2026-01-01', undefined],
    ['Mon, 31 Feb 2025 16:05:30 GMT', undefined],
    ['Mon, 24 Nov 2025 16:05:30 UTC', undefined],
  ])('%j → %j (from Headers and from the value)', (value, expected) => {
    const headers = new Headers(value === undefined ? {} : { 'retry-after': value });
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('a null header value is no Retry-After', () => expect(parseRetryAfter(null)).toBeUndefined());

  it('any text is digits (seconds), an HTTP-date, or no delay; any date written as IMF-fixdate reads back', () => {
    const date = fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const ms = parseRetryAfter(text, NOW);
        if (/^\d+$/.test(text)) expect(ms).toBe(Number(text) * 1000);
        else if (ms !== undefined) expect(text).toMatch(/ GMT$|^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(date, (d) => {
        const at = Math.floor(d.getTime() / 1000) * 1000;
        expect(parseRetryAfter(new Date(at).toUTCString(), NOW)).toBe(Math.max(0, at - NOW));
      }),
    );
  });

  // Headers strip the whitespace around a field value (it is not part of it); a bare value keeps it.
  it.each([' 60', '60 ', '6 0', '\t60'])('the value %j is no delay', (value) =>
    expect(parseRetryAfter(value, NOW)).toBeUndefined(),
  );

  // -1 was "at once" (a date in 2001) and 0x3C a 60 s wait: neither is a delay, so the error carries none.
  it.each(['-1', '0x3C', '1e3'])('a 429 with Retry-After %j carries no retryAfterMs', async (value) => {
    const s = await server((res) => json(res, 429, { detail: 'Throttled.' }, { 'retry-after': value }));
    const error = (await share(s, { maxRetries: 0 }).catch((e) => e)) as DiditApiError;
    expect(error).toMatchObject({ name: 'DiditRateLimitError', retryAfterMs: undefined });
  });
});

describe('retryDelay', () => {
  const base = { status: 503, retryAfterMs: 1000, idempotent: true, n: 0, maxRetries: 2 };
  it.each<[string, Partial<typeof base> & { status?: number | undefined }, number | undefined]>([
    ['a 5xx of an idempotent call waits its Retry-After', {}, 1000],
    ['no answer is retried when idempotent', { status: undefined }, 1000],
    ['a 5xx of an import is not retried', { idempotent: false }, undefined],
    ['no answer to an import is not retried', { idempotent: false, status: undefined }, undefined],
    ['a 429 of an import is', { idempotent: false, status: 429 }, 1000],
    ['a 4xx is not', { status: 409 }, undefined],
    ['the last allowed retry is made', { n: 1 }, 1000],
    ['none past maxRetries', { n: 2 }, undefined],
    ['a Retry-After of exactly 60 s is waited', { retryAfterMs: 60_000 }, 60_000],
    ['one over 60 s is not', { retryAfterMs: 60_001 }, undefined],
  ])('%s', (_name, change, expected) => expect(retryDelay({ ...base, ...change })).toBe(expected));
});
