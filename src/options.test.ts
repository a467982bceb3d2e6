import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APP_ID,
  clientFor,
  json,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
} from '../test-support/loopback-server.js';
import { createDiditClient, type DiditClientOptions, DiditError } from './index.js';

const server = serversClosedAfterEach();

describe('options', () => {
  const saved = process.env.DIDIT_API_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.DIDIT_API_KEY;
    else process.env.DIDIT_API_KEY = saved;
  });

  it('falls back to DIDIT_API_KEY', async () => {
    process.env.DIDIT_API_KEY = 'env_key_123';
    const s = await server((res) => json(res, 200, SHARE_OK));
    await createDiditClient({ baseUrl: s.url }).sessions.share(SESSION_ID, { for_application_id: APP_ID });
    expect(s.seen[0]!.headers['x-api-key']).toBe('env_key_123');
  });

  it.each<[string, DiditClientOptions, RegExp]>([
    ['no key at all', {}, /set apiKey or DIDIT_API_KEY/],
    ['a key with a newline', { apiKey: 'abc\ndef' }, /printable ASCII/],
    ['a key with a space', { apiKey: 'abc def' }, /printable ASCII/],
    ['http on a public host', { apiKey: 'k', baseUrl: 'http://verification.didit.me' }, /https:/],
    ['http on a host that only starts with 127', { apiKey: 'k', baseUrl: 'http://127.0.0.1.example.com' }, /https:/],
    ['a relative baseUrl', { apiKey: 'k', baseUrl: '/v3' }, /https:/],
    [
      'a baseUrl with user and password',
      { apiKey: 'k', baseUrl: 'https://user:hunter2@verification.didit.me' },
      /must not hold credentials/,
    ],
    ['a baseUrl with a user only', { apiKey: 'k', baseUrl: 'http://user@127.0.0.1:4010' }, /must not hold credentials/],
    ['a negative timeout', { apiKey: 'k', timeoutMs: -1 }, /timeoutMs/],
    ['a timeout setTimeout cannot hold', { apiKey: 'k', timeoutMs: 2 ** 31 }, /timeoutMs <= 2147483647/],
    ['an infinite timeout', { apiKey: 'k', timeoutMs: Infinity }, /timeoutMs <= 2147483647/],
    ['fractional retries', { apiKey: 'k', maxRetries: 1.5 }, /maxRetries/],
  ])('refuses %s at construction', (_name, options, message) => {
    delete process.env.DIDIT_API_KEY;
    expect(() => createDiditClient(options)).toThrow(DiditError);
    expect(() => createDiditClient(options)).toThrow(message);
  });

  it('a baseUrl with credentials is refused without repeating the password', () => {
    const error = (() => {
      try {
        createDiditClient({ apiKey: 'k', baseUrl: 'https://user:hunter2@verification.didit.me' });
      } catch (e) {
        return e as DiditError;
      }
    })();
    expect(error).toBeInstanceOf(DiditError);
    expect(JSON.stringify(error) + String(error) + inspect(error)).not.toContain('hunter2');
  });

  it('accepts the largest timeout setTimeout can hold, and refuses a larger one per call', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const c = clientFor(s, { timeoutMs: 2_147_483_647 });
    expect(await c.sessions.share(SESSION_ID, { for_application_id: APP_ID })).toEqual(SHARE_OK);
    const error = await c.sessions
      .share(SESSION_ID, { for_application_id: APP_ID }, { timeoutMs: 2 ** 31 })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditError);
    expect(error.message).toContain('timeoutMs <= 2147483647');
    expect(s.seen).toHaveLength(1);
  });

  it.each(['https://verification.didit.me', 'http://localhost:4010', 'http://127.0.0.2:1', 'http://[::1]:8080'])(
    'accepts baseUrl %s',
    (baseUrl) => {
      expect(createDiditClient({ apiKey: 'k', baseUrl }).sessions.share).toBeTypeOf('function');
    },
  );
});
