// Any JSON value a response holds (keys named like Object's own methods, arrays, nesting 100 000 deep,
// a megabyte of detail) becomes a proper error with a bounded message: the error factory, redaction
// and every formatter read it without calling into it and without recursion it controls.

import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APP_ID,
  clientFor,
  failedShare,
  failure,
  SESSION_ID,
  SHARE_OK,
  serversClosedAfterEach,
} from '../test-support/loopback-server.js';
import { describeIssues } from './errors.js';
import { excerpt } from './excerpt.js';
import {
  DiditApiError,
  DiditBadRequestError,
  DiditResponseValidationError,
  DiditServerError,
  type DriftFinding,
} from './index.js';
import { redact } from './redact.js';

const server = serversClosedAfterEach();
const DEEP = 100_000;
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const deepObject = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;

// JSON text, so `__proto__` is an own key as JSON.parse makes it, not a prototype.
const BODIES: [string, string][] = [
  ['a detail with its own toString', '{"detail":{"toString":1}}'],
  ['a toString key', '{"toString":1,"valueOf":2}'],
  ['a toJSON key', '{"toJSON":1,"detail":"No."}'],
  ['a __proto__ key', '{"__proto__":{"detail":"x","toString":1},"detail":"No."}'],
  ['a constructor key', '{"constructor":{"name":1,"prototype":null},"detail":"No."}'],
  ['an array', '[{"toString":1},"No.",[1]]'],
  ['a number', '42'],
  ['null', 'null'],
  ['false', 'false'],
  ['a nested detail', '{"detail":{"code":"x","message":"No."}}'],
  ['field errors holding objects', '{"for_application_id":[{"toString":1,"code":"invalid"}]}'],
  [`arrays ${DEEP} deep`, deepArray],
  [`objects ${DEEP} deep`, deepObject],
  [`a detail ${DEEP} deep`, `{"detail":${deepObject}}`],
];

const views = (error: unknown) => [
  String(error),
  JSON.stringify(error),
  inspect(error, { depth: Infinity, showHidden: true }),
  (error as Error).message,
];

describe('the error factory takes any JSON value', () => {
  it.each(BODIES)('%s', (_name, text) => {
    for (const status of [302, 400, 409, 500]) {
      const error = DiditApiError.generate('share', { status, body: JSON.parse(text), headers: {} });
      expect(error).toBeInstanceOf(DiditApiError);
      expect(error.message).toMatch(new RegExp(`^share: Didit answered ${status} \\(.+\\); `));
      expect(error.message).not.toContain('[object Object]');
      expect(error.message.length).toBeLessThan(700);
    }
  });

  it('redaction of any of them is bounded and leaves a value every view can print', () => {
    for (const [, text] of BODIES) {
      const redacted = redact(JSON.parse(text), []);
      const error = DiditApiError.generate('share', { status: 400, body: redacted, headers: {} });
      for (const view of views(error)) expect(view.length).toBeGreaterThan(0);
    }
  });

  it('a nested body is quoted as a bounded JSON excerpt, not "[object Object]"', () => {
    const error = DiditApiError.generate('share', {
      status: 400,
      body: { detail: { code: 'x', message: 'No.' }, for_application_id: ['Bad.', { code: 'y' }] },
      headers: {},
    });
    expect(error.message).toBe(
      'share: Didit answered 400 ({"code":"x","message":"No."}; for_application_id: Bad., {"code":"y"}); fix the request',
    );
  });

  it('a megabyte of detail or a 90 000-field body gives a message of bounded length', () => {
    const wide = Object.fromEntries(Array.from({ length: 90_000 }, (_, i) => [`f${i}`, ['Bad.']]));
    for (const body of [{ detail: 'x'.repeat(1 << 20) }, wide, ['y'.repeat(1 << 20)]]) {
      const error = DiditApiError.generate('share', { status: 400, body, headers: {} });
      expect(error.message.length).toBeLessThan(700);
      expect(error.message).toContain('…');
    }
  });

  it('any JSON value with keys named like Object.prototype, any status: a bounded message, every view prints', () => {
    const key = fc.oneof(
      fc.constantFrom('toString', 'valueOf', 'toJSON', '__proto__', 'constructor', 'hasOwnProperty', 'detail'),
      fc.string({ maxLength: 8 }),
    );
    // Object.fromEntries, as JSON.parse does: a `__proto__` entry is an own key.
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 2 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
      ),
    }));
    fc.assert(
      fc.property(value, fc.integer({ min: 300, max: 599 }), (body, status) => {
        const error = DiditApiError.generate('share', { status, body: redact(body, []), headers: {} });
        expect(error).toBeInstanceOf(DiditApiError);
        expect(error.message.length).toBeLessThan(700);
        expect(error.message).not.toContain('[object Object]');
        for (const view of views(error)) expect(view.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('describeIssues names the first issues and counts the rest', () => {
    const issues = Array.from({ length: 1000 }, (_, i) => ({ path: `/f${i}`, rule: 'must be string' }));
    const text = describeIssues(issues);
    expect(text).toMatch(/^\/f0 must be string; \/f1 must be string; .*; and \d+ more issues$/);
    expect(text.length).toBeLessThan(700);
  });
});

describe('excerpt', () => {
  it.each<[unknown, number, string]>([
    [{ a: [1, 'b', null, true] }, 100, '{"a":[1,"b",null,true]}'],
    [{ toString: 1, toJSON: 2 }, 100, '{"toString":1,"toJSON":2}'],
    [[], 100, '[]'],
    ['x'.repeat(50), 10, '"xxxxxxxxx…'],
    [JSON.parse(deepArray), 8, '[[[[[[[[…'],
    // Cut before a surrogate pair, never inside it.
    [['aaaaa😀'], 8, '["aaaaa…'],
  ])('%#', (value, max, expected) => expect(excerpt(value, max)).toBe(expected));

  it('a value whose reading throws is quoted as far as it could be read', () => {
    const hostile = {
      ok: 1,
      get bad(): never {
        throw new Error('no');
      },
    };
    expect(excerpt(hostile, 100)).toBe('{"ok":1,"bad":…');
  });
});

describe('through the client', () => {
  it('a 500 {"detail":{"toString":1}} is a DiditServerError, and share retries it', async () => {
    const s = await server((res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'retry-after': '0' });
      res.end('{"detail":{"toString":1}}');
    });
    const error = await failure<DiditServerError>(
      clientFor(s, { maxRetries: 1 }).sessions.share(SESSION_ID, { for_application_id: APP_ID }),
    );
    expect(error).toBeInstanceOf(DiditServerError);
    expect(error.message).toBe('share: Didit answered 500 ({"toString":1}); retry later');
    expect(s.seen).toHaveLength(2);
  });

  it.each(BODIES.filter(([name]) => name.includes('deep')))('a 400 of %s: every view prints', async (_name, text) => {
    const s = await server((res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(text);
    });
    const error = (await failedShare(s)) as DiditBadRequestError;
    expect(error).toBeInstanceOf(DiditBadRequestError);
    for (const view of views(error)) expect(view).toContain('too deep');
  });

  it('a success body nested 100 000 deep in a documented and an undocumented field: findings made, every view prints', async () => {
    const body = JSON.stringify({ ...SHARE_OK, for_application_id: 0, extra: 0 })
      .replace('"for_application_id":0', `"for_application_id":${deepObject}`)
      .replace('"extra":0', `"extra":${deepArray}`);
    const s = await server((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const findings: DriftFinding[] = [];
    const error = await failure<DiditResponseValidationError>(
      clientFor(s, { validateResponses: true, onDrift: (f) => findings.push(f) }).sessions.share(SESSION_ID, {
        for_application_id: APP_ID,
      }),
    );
    expect(error).toBeInstanceOf(DiditResponseValidationError);
    expect(error.issues).toEqual([{ path: '/for_application_id', rule: 'must be string' }]);
    expect(findings.length).toBeGreaterThanOrEqual(2);
    for (const view of [...views(error), JSON.stringify(findings)]) expect(view.length).toBeGreaterThan(0);
  });
});
