// ReadResponse behaves as `new Response(text)` does, whatever is read in whatever order: each
// sequence of reads runs on both, and every step's outcome (value, or the kind of failure) and
// bodyUsed after it must be the same.
import { describe, expect, it } from 'vitest';
import { ReadResponse } from './read-response.js';

type Step = (r: Response) => Promise<unknown> | unknown;
const decode = (b: ArrayBuffer | Uint8Array) => new TextDecoder().decode(b);
const STEPS: Record<string, Step> = {
  text: (r) => r.text(),
  json: (r) => r.json(),
  arrayBuffer: async (r) => decode(await r.arrayBuffer()),
  bytes: async (r) => decode(await r.bytes()),
  blob: async (r) => (await r.blob()).text(),
  'read body': async (r) => (r.body ? decode(await new Response(r.body).arrayBuffer()) : null),
  'body is null': (r) => r.body === null,
  'clone, then its text': (r) => r.clone().text(),
  'blob type': async (r) => (await r.blob()).type,
  formData: async (r) => [...((await r.formData()) as unknown as Iterable<[string, unknown]>)],
};

async function outcome(step: Step, r: Response) {
  try {
    return { value: await step(r), used: r.bodyUsed };
  } catch (e) {
    return { failed: (e as Error).name, used: r.bodyUsed };
  }
}

const names = Object.keys(STEPS);
const SEQUENCES = names.flatMap((a) => names.map((b) => [a, b]));
const headers = { 'x-request-id': 'r1', 'content-type': 'application/x-www-form-urlencoded' };
const from = new Response(null, { status: 201, statusText: 'Created', headers });

describe('ReadResponse reads as new Response(text) does', () => {
  it.each(['{"a":1}', 'not json', 'a=1&b=2', ''])('%j: status, headers and url kept', (text) => {
    const copy = new ReadResponse(text, from);
    expect([copy.status, copy.statusText, copy.headers.get('x-request-id'), copy.ok]).toEqual([
      201,
      'Created',
      'r1',
      true,
    ]);
    expect(copy).toBeInstanceOf(Response);
    expect(copy.bodyUsed).toBe(false);
  });

  for (const text of ['{"a":1}', 'not json', 'a=1&b=2', '']) {
    it.each(SEQUENCES)(`${JSON.stringify(text)}: %s, then %s`, async (...sequence) => {
      const real = new Response(text || null, { status: 201, headers });
      const ours = new ReadResponse(text, from);
      for (const name of sequence) expect(await outcome(STEPS[name]!, ours)).toEqual(await outcome(STEPS[name]!, real));
    });
  }
});
