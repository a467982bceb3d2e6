// Test helper (not built): a real node:http server on 127.0.0.1:0 that records every request.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createDiditClient, type DiditError } from '../src/index.js';

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

export const SESSION_ID = '11111111-2222-3333-4444-555555555555';
export const APP_ID = 'a5f3bca2-46e2-411e-90ef-a580900a57ee';
export const WORKFLOW_ID = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
export const API_KEY = 'test_key_5fd1c2a7e9b04b1c8e3f';

/** Builds an unsigned JWT-shaped token with these claims (the client never verifies signatures). */
export function makeToken(claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJlX25vdF9jaGVja2Vk`;
}

export const CLAIMS = {
  session_id: SESSION_ID,
  session_kind: 'user',
  from_application_id: 'dbd20e34-42e9-4f2c-ba91-cf0762016f64',
  for_application_id: APP_ID,
  iat: 1764000000,
  exp: 1764007200,
};
export const TOKEN = makeToken(CLAIMS);

export const SHARE_OK = { share_token: TOKEN, for_application_id: APP_ID, session_kind: 'user' };
export const IMPORT_OK = {
  session_id: '7d3c2b1a-0f9e-4d8c-b7a6-958473625140',
  session_number: 1042,
  session_url: null,
  status: 'In Review',
  workflow_id: WORKFLOW_ID,
  vendor_data: 'partner-user-42',
  created_at: '2025-11-24T16:05:00Z',
  expires_at: '2025-12-01T16:05:00Z',
  session_kind: 'user',
  shared_from_session: SESSION_ID,
};

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

/** The error a single share attempt (no retries) against `s` ends in. */
export const failedShare = (s: TestServer, validateResponses = false) =>
  failure<DiditError>(
    createDiditClient({ apiKey: API_KEY, baseUrl: s.url, maxRetries: 0, validateResponses }).sessions.share(
      SESSION_ID,
      { for_application_id: APP_ID },
    ),
  );
