import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  APP_ID,
  clientFor,
  failedShare,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
} from '../test-support/loopback-server.js';
import {
  DiditApiError,
  DiditAuthenticationError,
  DiditBadRequestError,
  DiditConnectionError,
  DiditError,
  DiditNotFoundError,
  DiditPermissionDeniedError,
  DiditRateLimitError,
  DiditResponseValidationError,
  DiditServerError,
  DiditTimeoutError,
  DiditValidationError,
} from './index.js';

const server = serversClosedAfterEach();
const share = failedShare;

describe('each error status becomes its class, with status, parsed body, headers and request id', () => {
  const fieldErrors = { ttl_in_seconds: ['Ensure this value is greater than or equal to 60.'] };
  it.each<[number, unknown, typeof DiditApiError, string]>([
    [
      400,
      { detail: 'Only finished sessions (Approved, Declined, In Review) can be shared.' },
      DiditBadRequestError,
      'Only finished sessions',
    ],
    [400, fieldErrors, DiditBadRequestError, 'ttl_in_seconds: Ensure this value'],
    [401, { detail: 'Authentication credentials were not provided.' }, DiditAuthenticationError, 'check the API key'],
    [
      403,
      { detail: 'You do not have permission to perform this action.' },
      DiditPermissionDeniedError,
      "check the key's rights",
    ],
    [404, { detail: 'Not found.' }, DiditNotFoundError, 'check the ids'],
    [429, { detail: 'Request was throttled.' }, DiditRateLimitError, 'retry later'],
    [500, { detail: 'Server error.' }, DiditServerError, 'retry later'],
    [503, { detail: 'Unavailable.' }, DiditServerError, 'retry later'],
    [409, { detail: 'Conflict.' }, DiditApiError, 'Conflict.'],
  ])('%i %j', async (status, body, Class, text) => {
    const s = await server((res) => json(res, status, body, { 'x-request-id': 'req-123' }));
    const error = (await share(s)) as DiditApiError;
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(DiditError);
    expect(error.constructor).toBe(Class);
    expect(error.name).toBe(Class.name);
    expect(error).toMatchObject({ status, body, requestId: 'req-123' });
    expect(error.headers['content-type']).toBe('application/json');
    expect(error.message).toContain(`share: Didit answered ${status}`);
    expect(error.message).toContain(text);
  });

  it('a 502 HTML page does not crash parsing', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>';
    const s = await server((res) => json(res, 502, html));
    const error = (await share(s)) as DiditServerError;
    expect(error).toBeInstanceOf(DiditServerError);
    expect(error.body).toBe(html);
    expect(error.message).toBe('share: Didit answered 502 (not JSON); retry later');
    expect(error.requestId).toBeUndefined();
  });

  it.each([
    [
      'empty with content-length 0',
      (res: import('node:http').ServerResponse) => {
        res.writeHead(500, { 'content-length': '0' });
        res.end();
      },
    ],
    [
      'empty, chunked',
      (res: import('node:http').ServerResponse) => {
        res.writeHead(500);
        res.end();
      },
    ],
  ])('an %s body does not crash parsing', async (_name, handler) => {
    const s = await server(handler);
    const error = (await share(s)) as DiditServerError;
    expect(error).toBeInstanceOf(DiditServerError);
    expect(error.message).toContain('(empty body)');
  });

  it('429 carries retryAfterMs from delay-seconds and from an HTTP date', async () => {
    const seconds = await server((res) => json(res, 429, { detail: 'Throttled.' }, { 'retry-after': '120' }));
    expect(await share(seconds)).toMatchObject({ name: 'DiditRateLimitError', retryAfterMs: 120_000 });
    const date = new Date(Date.now() + 90_000).toUTCString();
    const dated = await server((res) => json(res, 429, { detail: 'Throttled.' }, { 'retry-after': date }));
    const error = (await share(dated)) as DiditRateLimitError;
    expect(error.retryAfterMs).toBeGreaterThan(85_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('a refused connection is a DiditConnectionError with a cause', async () => {
    const s = await server(() => {});
    await s.close();
    const error = await share(s);
    expect(error).toBeInstanceOf(DiditConnectionError);
    expect(error.name).toBe('DiditConnectionError');
    expect(error.message).toBe(
      `share: no response from POST ${s.url}/v3/session/${SESSION_ID}/share/ (fetch failed: connect ECONNREFUSED ${new URL(s.url).host}): is the server running, is baseUrl right?; retry later`,
    );
    expect((error as DiditConnectionError).code).toBe('ECONNREFUSED');
    expect(inspect(error.cause)).toContain('ECONNREFUSED');
  });
});

describe('validateResponses', () => {
  it('drift in a success body lists JSON pointers, and unknown extra fields are fine', async () => {
    const s = await server((res) => json(res, 200, { share_token: 'not a jwt', session_kind: 'robot', extra: 1 }));
    const error = (await share(s, true)) as DiditResponseValidationError;
    expect(error).toBeInstanceOf(DiditResponseValidationError);
    expect(error.status).toBe(200);
    expect(error.issues.map((i) => i.path).sort()).toEqual(['/for_application_id', '/session_kind', '/share_token']);
    expect(error.message).toContain('/session_kind must be user,business');
    expect(error.message).toContain('/for_application_id is required');
  });

  it('accepts extra fields when the rest matches', async () => {
    const s = await server((res) => json(res, 200, { ...SHARE_OK, new_field: { a: 1 } }));
    expect(
      await clientFor(s, { validateResponses: true }).sessions.share(SESSION_ID, {
        for_application_id: APP_ID,
      }),
    ).toEqual({ ...SHARE_OK, new_field: { a: 1 } });
  });

  it('off by default: a drifted JSON body is returned as it is', async () => {
    const s = await server((res) => json(res, 200, { share_token: 1 }));
    expect(
      await clientFor(s).sessions.share(SESSION_ID, {
        for_application_id: APP_ID,
      }),
    ).toEqual({ share_token: 1 });
  });

  it('a non-JSON success body is an error even when validation is off', async () => {
    const s = await server((res) => json(res, 200, '<html>maintenance</html>'));
    const error = (await share(s)) as DiditResponseValidationError;
    expect(error).toBeInstanceOf(DiditResponseValidationError);
    expect(error.issues).toEqual([{ path: '', rule: 'must be JSON' }]);
  });
});

describe('the hierarchy: explicit constructors, one factory, a status type per class', () => {
  const answer = { body: { detail: 'No.' }, headers: {}, requestId: undefined, retryAfterMs: undefined };

  it('each fixed-status class has its status as a literal type, the others a number', () => {
    expectTypeOf<DiditBadRequestError['status']>().toEqualTypeOf<400>();
    expectTypeOf<DiditAuthenticationError['status']>().toEqualTypeOf<401>();
    expectTypeOf<DiditPermissionDeniedError['status']>().toEqualTypeOf<403>();
    expectTypeOf<DiditNotFoundError['status']>().toEqualTypeOf<404>();
    expectTypeOf<DiditRateLimitError['status']>().toEqualTypeOf<429>();
    expectTypeOf<DiditServerError['status']>().toEqualTypeOf<number>();
    expectTypeOf<DiditApiError['status']>().toEqualTypeOf<number>();
    // Narrowing keeps the literal: a 429 check is a type error once the class says 429.
    const error: unknown = new DiditRateLimitError('m', answer);
    if (error instanceof DiditRateLimitError) expectTypeOf(error.status).toEqualTypeOf<429>();
    if (error instanceof DiditApiError) expectTypeOf(error.status).toEqualTypeOf<number>();
  });

  it('a constructor takes exactly its fields and fixes its status', () => {
    const error = new DiditRateLimitError('m', { ...answer, retryAfterMs: 1000 });
    expect(error).toMatchObject({ name: 'DiditRateLimitError', status: 429, retryAfterMs: 1000, body: answer.body });
    // @ts-expect-error a class with a fixed status takes none
    new DiditNotFoundError('m', { ...answer, status: 500 });
    // @ts-expect-error an answer has a body and headers
    new DiditApiError('m', { status: 409 });
    // @ts-expect-error issues are required
    new DiditValidationError('m', {});
    expect(new DiditTimeoutError('m', { cause: 'late' })).toMatchObject({ cause: 'late', code: undefined });
    expect(new DiditError('m', { cause: 1 }).cause).toBe(1);
  });

  it.each<[number, typeof DiditApiError]>([
    [400, DiditBadRequestError],
    [401, DiditAuthenticationError],
    [403, DiditPermissionDeniedError],
    [404, DiditNotFoundError],
    [429, DiditRateLimitError],
    [500, DiditServerError],
    [599, DiditServerError],
    [409, DiditApiError],
    [302, DiditApiError],
  ])('DiditApiError.generate picks the class of %i', (status, Class) => {
    const error = DiditApiError.generate('share', { ...answer, status });
    expect(error.constructor).toBe(Class);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(new RegExp(`^share: Didit answered ${status} \\(No\\.\\); `));
  });
});
