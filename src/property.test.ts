// Property-based checks derived from the request schemas: every invalid input is refused before a
// byte is sent (a recording local server sees nothing), and every valid input is sent and accepted
// by Prism, which validates requests against spec/openapi.yaml.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism, type PrismProcess } from '../contract-tests/targets/prism.js';
import { createDiditClient, DiditValidationError } from './index.js';
import { API_KEY, SHARE_OK, json, serve, type TestServer } from './test-server.js';
import { UUID } from './validate.js';

const TOKEN_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const uuid = fc.uuid().chain((id) => fc.constantFrom(id, id.toUpperCase()));
const shareBody = fc.record({ for_application_id: uuid, ttl_in_seconds: fc.integer({ min: 60, max: 86_400 }) }, { requiredKeys: ['for_application_id'] });
const importBody = fc.record(
  {
    share_token: fc.stringMatching(TOKEN_RE),
    workflow_id: uuid,
    vendor_data: fc.string({ unit: 'grapheme', maxLength: 40 }),
    trust_review: fc.boolean(),
  },
  { requiredKeys: ['share_token', 'workflow_id'] },
);

// Values of the wrong JSON type for a field whose type is `type`.
const notA = (type: 'string' | 'integer' | 'boolean') =>
  fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.string(), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 })).filter((v) =>
    type === 'string' ? typeof v !== 'string' : type === 'boolean' ? typeof v !== 'boolean' : !Number.isInteger(v),
  );
const notUuid = fc.oneof(notA('string'), fc.string().filter((s) => !UUID.test(s)), uuid.map((id) => `${id}x`), uuid.map((id) => `../${id}`));
const MISSING = Symbol('missing');

// One broken field per case: [field, bad value or MISSING].
const badShare = fc.oneof(
  fc.tuple(fc.constant('sessionId'), notUuid),
  fc.tuple(fc.constant('for_application_id'), fc.oneof(notUuid, fc.constant(MISSING))),
  fc.tuple(fc.constant('ttl_in_seconds'), fc.oneof(fc.integer({ max: 59 }), fc.integer({ min: 86_401 }), fc.double({ min: 60, max: 86_400 }).filter((n) => !Number.isInteger(n)), notA('integer'))),
);
const badImport = fc.oneof(
  fc.tuple(fc.constant('share_token'), fc.oneof(notA('string'), fc.string().filter((s) => !TOKEN_RE.test(s)), fc.constant(MISSING))),
  fc.tuple(fc.constant('workflow_id'), fc.oneof(notUuid, fc.constant(MISSING))),
  fc.tuple(fc.constant('vendor_data'), notA('string')),
  fc.tuple(fc.constant('trust_review'), notA('boolean')),
);
const withField = (body: object, field: string, value: unknown) => {
  const copy: Record<string, unknown> = { ...body };
  if (value === MISSING) delete copy[field];
  else copy[field] = value;
  return copy;
};

describe('invalid inputs are always rejected before sending', () => {
  let server: TestServer;
  beforeAll(async () => (server = await serve((res) => json(res, 200, SHARE_OK))));
  afterAll(() => server.close());
  const rejected = async (call: () => Promise<unknown>, field: string) => {
    const error = await call().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DiditValidationError);
    expect((error as DiditValidationError).issues.map((i) => i.path)).toContain(field);
    expect(server.seen).toHaveLength(0);
  };

  it('share', async () => {
    const { sessions } = createDiditClient({ apiKey: API_KEY, baseUrl: server.url });
    await fc.assert(
      fc.asyncProperty(uuid, shareBody, badShare, async (sessionId, body, [field, value]) => {
        if (field === 'sessionId') await rejected(() => sessions.share(value as string, body), field);
        else await rejected(() => sessions.share(sessionId, withField(body, field, value) as never), field);
      }),
      { numRuns: 100 },
    );
  });

  it('importShared', async () => {
    const { sessions } = createDiditClient({ apiKey: API_KEY, baseUrl: server.url });
    await fc.assert(
      fc.asyncProperty(importBody, badImport, async (body, [field, value]) => {
        await rejected(() => sessions.importShared(withField(body, field, value) as never), field);
      }),
      { numRuns: 100 },
    );
  });
});

describe('valid inputs are always sent and accepted by Prism', () => {
  let prism: PrismProcess;
  beforeAll(async () => (prism = await startPrism()));
  afterAll(() => prism?.stop());

  it('share', async () => {
    const { sessions } = createDiditClient({ apiKey: API_KEY, baseUrl: prism.baseUrl, validateResponses: true, maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(uuid, shareBody, async (sessionId, body) => {
        expect((await sessions.share(sessionId, body)).session_kind).toBe('user');
      }),
      { numRuns: 50 },
    );
  });

  it('importShared', async () => {
    const { sessions } = createDiditClient({ apiKey: API_KEY, baseUrl: prism.baseUrl, validateResponses: true, maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(importBody, async (body) => {
        expect((await sessions.importShared(body)).status).toBe('In Review');
      }),
      { numRuns: 50 },
    );
  });
});
