// redact() on its own: the rules one by one (the client-level and property tests are elsewhere).
import { describe, expect, it } from 'vitest';
import { redact, redactHeaders, shorten } from './redact.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiMSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const OPAQUE = 'tok_live.abc_DEF-0123456789';

describe('redact', () => {
  it.each([
    ['an array', { share_token: [OPAQUE] }, { share_token: [shorten(OPAQUE)] }],
    ['an object', { share_token: { value: OPAQUE } }, { share_token: { value: shorten(OPAQUE) } }],
    ['any depth', { shareToken: [{ a: [{ b: OPAQUE }] }] }, { shareToken: [{ a: [{ b: shorten(OPAQUE) }] }] }],
    ['a token used as a key', { share_token: { [OPAQUE]: true } }, { share_token: { [shorten(OPAQUE)]: true } }],
    [
      'a nested token key',
      { data: { items: [{ access_token: OPAQUE }] } },
      { data: { items: [{ access_token: shorten(OPAQUE) }] } },
    ],
  ])('cuts every string below a token-named key: %s', (_what, value, expected) => {
    expect(redact(value, [])).toEqual(expected);
  });

  it('leaves strings outside token keys alone, numbers and booleans everywhere', () => {
    const value = { detail: 'Not found.', share_token: [1, true, null], ttl: 60 };
    expect(redact(value, [])).toEqual(value);
  });

  it.each([
    ['in free text', 'bad key sk_live_AbC.12/3+x=, retry', 'bad key sk_live_***, retry'],
    ['a test key', 'key=sk_test_0123456789abcdef', 'key=sk_test_***'],
    ['inside a word', 'x_sk_live_abc', 'x_sk_live_***'],
  ])("hides Didit's key format %s", (_what, text, expected) => {
    expect(redact(text, [])).toBe(expected);
  });

  it('drops user:password@ from any URL', () => {
    expect(redact('moved to https://alice:hunter2@didit.example/v3 and ftp://bob@x.y', [])).toBe(
      'moved to https://didit.example/v3 and ftp://x.y',
    );
  });

  it('replaces listed secrets before cutting JWTs, and cuts JWTs in free text', () => {
    expect(redact(`k=${'secret-key'} t=${JWT}`, ['secret-key'])).toBe(`k=*** t=${shorten(JWT)}`);
  });
});

describe('redactHeaders', () => {
  const KEY = 'Key_AbC123';
  const headers = (init: Record<string, string>) => redactHeaders(new Headers(init), [KEY, undefined]);

  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['a key in a name, whatever its case', { [`x-echo-${KEY}`]: '1' }, { 'x-echo-***': '1' }],
    ['a key in a value', { 'x-echo': `bad ${KEY}` }, { 'x-echo': 'bad ***' }],
    ['a JWT after a dash', { [`x-t-${JWT}`]: '1' }, { [`x-t-${shorten(JWT.toLowerCase())}`]: '1' }],
    ['a JWT alone', { [JWT]: '1' }, { [shorten(JWT.toLowerCase())]: '1' }],
    ["a Didit key's format", { 'x-sk_live_AbCdEf0123': '1' }, { 'x-sk_live_***': '1' }],
    ['dotted names that are no token', { 'x-a.b.c': '1', 'x-v1.2': '2' }, { 'x-a.b.c': '1', 'x-v1.2': '2' }],
    ['credential headers', { 'set-cookie': 'a=1', 'x-share-token': JWT, authorization: 'x' }, {}],
  ])('%s', (_what, init, expected) => expect(headers(init)).toEqual(expected));

  it('a header named __proto__ is an own field, not a prototype', () => {
    const init: [string, string][] = [
      ['__proto__', 'x'],
      ['x-request-id', 'r'],
    ];
    const record = redactHeaders(new Headers(init), []);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.hasOwn(record, '__proto__')).toBe(true);
    expect(JSON.stringify(record)).toBe('{"__proto__":"x","x-request-id":"r"}');
  });

  it('16 KiB of JWT-like name parts is redacted in linear time', () => {
    const name = `x-${'eyj-'.repeat(4096)}a.b`;
    expect(Object.keys(redactHeaders(new Headers({ [name]: '1' }), []))).toHaveLength(1);
  });
});

describe('redact on hostile text', () => {
  // Bodies reach redaction up to maxResponseBytes (1 MiB): a pattern that rescans the rest of the
  // text from each position would take hours on these, and trip the test timeout.
  it.each([
    ['letters', 'a'],
    ['JWT starts', 'eyJ'],
    ['JWT starts with one dot', 'eyJa.'],
    ['URL schemes', 'a://'],
    ['key prefixes', 'sk_live_'],
  ])('1 MiB of %s is redacted in linear time', (_what, unit) => {
    const text = unit.repeat(Math.ceil(2 ** 20 / unit.length));
    expect(redact({ detail: text, share_token: [text] }, ['never-there']).detail.length).toBeGreaterThan(0);
  });
});
