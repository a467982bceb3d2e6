// Test helper (not built): a real node:http server on 127.0.0.1:0 that records every request.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createDiditClient, type DiditClientOptions, type DiditError } from '../src/index.js';
import { API_KEY, APP_ID, SESSION_ID } from './fixtures.js';

// The client tests take their fixtures from here with the server: one import line for both.
export { API_KEY, APP_ID, CLAIMS, IMPORT_OK, SESSION_ID, SHARE_OK, TOKEN, WORKFLOW_ID } from './fixtures.js';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Handler = (res: ServerResponse, seen: Seen, index: number) => void;

export interface TestServer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

export async function serve(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method!, url: req.url!, headers: req.headers, body, at: performance.now() };
      seen.push(entry);
      handler(res, entry, seen.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json', ...headers });
  res.end(text);
}

/** The rejection of `promise`; fails the test if it resolves. */
// biome-ignore lint/suspicious/noExplicitAny: callers name the error class they expect
export const failure = <E = any>(promise: Promise<unknown>): Promise<E> =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as E,
  );

/** A `serve` whose servers are closed after each test of the calling file. */
export function serversClosedAfterEach(): typeof serve {
  let open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.map((s) => s.close()));
    open = [];
  });
  return async (handler) => {
    const s = await serve(handler);
    open.push(s);
    return s;
  };
}

/** The real client pointed at `s`, with the fixtures' key. */
export const clientFor = (s: TestServer, options: DiditClientOptions = {}) =>
  createDiditClient({ apiKey: API_KEY, baseUrl: s.url, ...options });

/** The error a single share attempt (no retries) against `s` ends in. */
export const failedShare = (s: TestServer, validateResponses = false) =>
  failure<DiditError>(
    clientFor(s, { maxRetries: 0, validateResponses }).sessions.share(SESSION_ID, { for_application_id: APP_ID }),
  );
