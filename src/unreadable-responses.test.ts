// Responses that arrived but cannot be read (headers over Node's limit, a body not valid in its
// content-encoding, too many encodings, not HTTP at all): said for what they are, never "no response",
// and never sent again (the same request gets the same response; an import may have landed).
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  APP_ID,
  clientFor,
  failure,
  json,
  SESSION_ID,
  serversClosedAfterEach,
  type TestServer,
  TOKEN,
  WORKFLOW_ID,
} from '../test-support/loopback-server.js';
import { DiditApiError, DiditConnectionError, DiditTimeoutError, DiditUnreadableResponseError } from './index.js';

const server = serversClosedAfterEach();
const share = (s: TestServer) =>
  failure<DiditUnreadableResponseError>(clientFor(s).sessions.share(SESSION_ID, { for_application_id: APP_ID }));
const importShared = (s: TestServer) =>
  failure<DiditUnreadableResponseError>(
    clientFor(s).sessions.importShared({ share_token: TOKEN, workflow_id: WORKFLOW_ID }),
  );

const encoded =
  (status: number, encoding: string, body = 'not compressed at all') =>
  (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': encoding });
    res.end(body);
  };

describe('a response that arrived but cannot be read says what arrived, and is not sent again', () => {
  it.each<[string, (res: ServerResponse) => void, string, number | undefined, string | undefined]>([
    [
      'headers over 16 KiB',
      (res) => json(res, 500, { detail: 'x' }, { 'x-padding': 'a'.repeat(20_000) }),
      'its headers were too large',
      undefined,
      'UND_ERR_HEADERS_OVERFLOW',
    ],
    ['a 500 body that is not gzip', encoded(500, 'gzip'), 'its 500 body is not valid gzip', 500, 'Z_DATA_ERROR'],
    ['a 200 body that is not gzip', encoded(200, 'gzip'), 'its 200 body is not valid gzip', 200, 'Z_DATA_ERROR'],
    ['a body that is not deflate', encoded(503, 'deflate'), 'its 503 body is not valid deflate', 503, 'Z_DATA_ERROR'],
    ['a body that is not br', encoded(200, 'br'), 'its 200 body is not valid br', 200, undefined],
    [
      'seven content-encodings',
      encoded(500, 'gzip, gzip, gzip, gzip, gzip, gzip, gzip'),
      'too many content-encodings in response: 7, maximum allowed is 5',
      undefined,
      undefined,
    ],
    [
      'a status line that is not HTTP',
      (res) => res.socket!.end('HTTP/1.1 abc OK\r\n\r\n'),
      'it is not HTTP/1.1 (Response does not match the HTTP/1.1 protocol (Invalid response status))',
      undefined,
      'HPE_INVALID_STATUS',
    ],
  ])('%s', async (_name, handler, words, status, code) => {
    const s = await server(handler);
    const error = await share(s);
    expect(error).toBeInstanceOf(DiditUnreadableResponseError);
    expect(error).not.toBeInstanceOf(DiditConnectionError);
    expect(error.name).toBe('DiditUnreadableResponseError');
    expect(error.message).toContain(`share: a response came from POST ${s.url}/v3/session/${SESSION_ID}/share/ but `);
    expect(error.message).toContain(words);
    expect(error.message).not.toMatch(/no response|fetch failed|terminated/);
    expect(error).toMatchObject({ status, ...(code && { code }) });
    // share is idempotent and retries "no response": a response that arrived is not sent again.
    expect(s.seen).toHaveLength(1);
  });

  it('an import whose response cannot be read may have landed', async () => {
    const s = await server(encoded(201, 'gzip'));
    const error = await importShared(s);
    expect(error).toBeInstanceOf(DiditUnreadableResponseError);
    expect(error.message).toContain('its 201 body is not valid gzip');
    expect(error.message).toContain('it may have landed: check before retrying');
    expect(s.seen).toHaveLength(1);
  });

  it('raw throws it too (as it does a too-large response)', async () => {
    const s = await server(encoded(400, 'gzip'));
    const error = await failure(
      clientFor(s).raw.POST('/v3/session/{sessionId}/share/', {
        params: { path: { sessionId: SESSION_ID } },
        body: { for_application_id: APP_ID },
      }),
    );
    expect(error).toBeInstanceOf(DiditUnreadableResponseError);
  });

  it('a connection cut mid-body is a DiditConnectionError (retried) that says the response was cut off', async () => {
    const s = await server((res) => res.socket!.end('HTTP/1.1 500 OK\r\ncontent-length: 100\r\n\r\n{"de'));
    const error = await failure<DiditConnectionError>(
      clientFor(s, { maxRetries: 1 }).sessions.share(SESSION_ID, { for_application_id: APP_ID }),
    );
    expect(error).toBeInstanceOf(DiditConnectionError);
    expect(error.message).toContain(
      `share: the 500 response from POST ${s.url}/v3/session/${SESSION_ID}/share/ was cut off mid-body (other side closed, UND_ERR_SOCKET): the connection was cut mid-exchange; retry later`,
    );
    expect(s.seen).toHaveLength(2);
  });
});

describe('a response that began but did not finish says so', () => {
  it('a timeout mid-body names the status that came', async () => {
    const s = await server((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"share_token":');
    });
    const error = await failure<DiditTimeoutError>(
      clientFor(s, { timeoutMs: 150, maxRetries: 0 }).sessions.share(SESSION_ID, { for_application_id: APP_ID }),
    );
    expect(error).toBeInstanceOf(DiditTimeoutError);
    expect(error.message).toBe(
      `share: the 200 response from POST ${s.url}/v3/session/${SESSION_ID}/share/ began but did not finish in 150 ms; retry later`,
    );
  });
});

describe('a redirect names its Location, or its absence', () => {
  it('a 3xx without Location does not say "Location: undefined"', async () => {
    const s = await server((res) => json(res, 307, { detail: 'Moved.' }));
    const error = await failure<DiditApiError>(clientFor(s).sessions.share(SESSION_ID, { for_application_id: APP_ID }));
    expect(error).toBeInstanceOf(DiditApiError);
    expect(error.message).not.toContain('undefined');
    expect(error.message).toContain('redirects are not followed: fix baseUrl (no Location header)');
  });

  it('a Location of any length is quoted bounded', async () => {
    const location = `https://elsewhere.example/${'a'.repeat(5000)}`;
    const s = await server((res) => json(res, 301, { detail: 'Moved.' }, { location }));
    const error = await failure<DiditApiError>(clientFor(s).sessions.share(SESSION_ID, { for_application_id: APP_ID }));
    expect(error.message).toContain('(Location: https://elsewhere.example/aaa');
    expect(error.message.length).toBeLessThan(600);
    expect(error.headers.location).toBe(location);
  });
});
