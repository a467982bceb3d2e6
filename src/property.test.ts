// Property-based checks with the spec itself as the oracle (its own ajv, full formats): a request
// the spec rejects is refused before a byte is sent, one it accepts is sent; and every valid input
// is accepted by Prism, which validates requests against spec/openapi.yaml.
import fc from 'fast-check';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismProcess, startPrism } from '../spec-kit/prism.js';
import { createSpecAjv, loadSpec, schemaRef, specSchema } from '../spec-kit/spec.js';
import {
  API_KEY,
  clientFor,
  IMPORT_OK,
  json,
  SHARE_OK,
  serversClosedAfterEach,
} from '../test-support/loopback-server.js';
import { createDiditClient, DiditValidationError } from './index.js';

const spec = loadSpec();
const ajv = createSpecAjv(spec);
const specAccepts = {
  share: ajv.compile({ $ref: schemaRef('ShareSessionRequest') }),
  importShared: ajv.compile({ $ref: schemaRef('ImportSharedSessionRequest') }),
  sessionId: ajv.compile(
    specSchema(
      (spec.paths['/v3/session/{sessionId}/share/']!.post!.parameters as { name: string; schema: object }[]).find(
        (p) => p.name === 'sessionId',
      )!.schema,
    ),
  ),
};
// ajv-formats' uuid also takes `urn:uuid:…`; Didit's route only matches the plain form, so the client
// narrows the path parameter to it (src/validate.ts).
const routeAccepts = (id: unknown) => specAccepts.sessionId(id) && !String(id).startsWith('urn:');

type Schema = { minimum: number; maximum: number; pattern: string };
const schemas = spec.components.schemas as Record<string, Schema & { properties: Record<string, Schema> }>;
const ttl = schemas.ShareSessionRequest!.properties.ttl_in_seconds!;
const tokenPattern = new RegExp(schemas.ShareToken!.pattern);

// Valid inputs.
const uuid = fc.uuid().chain((id) => fc.constantFrom(id, id.toUpperCase()));
// The pattern is the form; the description's HS256 (which a pattern cannot say) is held by the header.
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HS256 = [{ alg: 'HS256', typ: 'JWT' }, { alg: 'HS256' }, { typ: 'JWT', alg: 'HS256', kid: 'k1' }].map(part);
const token = fc
  .tuple(fc.constantFrom(...HS256), fc.stringMatching(tokenPattern))
  .map(([head, t]) => `${head}${t.slice(t.indexOf('.'))}`);
const signedWithHs256 = (t: unknown) => {
  try {
    return decodeProtectedHeader(String(t)).alg === 'HS256';
  } catch {
    return false;
  }
};
const importAccepts = (body: Record<string, unknown>) =>
  specAccepts.importShared(body) && signedWithHs256(body.share_token);
const shareBody = fc.record(
  { for_application_id: uuid, ttl_in_seconds: fc.integer({ min: ttl.minimum, max: ttl.maximum }) },
  { requiredKeys: ['for_application_id'] },
);
const importBody = fc.record(
  {
    share_token: token,
    workflow_id: uuid,
    vendor_data: fc.string({ unit: 'grapheme', maxLength: 40 }),
    trust_review: fc.boolean(),
  },
  { requiredKeys: ['share_token', 'workflow_id'] },
);

// Any value, biased to near misses; the spec decides whether it is valid.
const MISSING = Symbol('missing');
const anyValue = fc.oneof(
  fc.constant(MISSING),
  fc.constantFrom(null, true, false, '', 0),
  fc.double(),
  fc.integer({ min: ttl.minimum - 100, max: ttl.maximum + 100 }),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
  uuid,
  uuid.map((id) => `${id}x`),
  uuid.map((id) => `../${id}`),
  uuid.map((id) => `urn:uuid:${id}`),
  uuid.map((id) => id.replaceAll('-', '')),
  token,
  token.map((t) => t.slice(0, t.lastIndexOf('.'))),
  token.map((t) => `${t}.x`),
  token.map((t) => `${t}=`),
  // The form right, the header not: alg none, another alg, not JSON.
  token.map((t) => `${part({ alg: 'none' })}${t.slice(t.indexOf('.'))}`),
  token.map((t) => `${part({ alg: 'RS256', typ: 'JWT' })}${t.slice(t.indexOf('.'))}`),
  token.map((t) => `bm90IGpzb24${t.slice(t.indexOf('.'))}`),
);
const withField = (body: object, field: string, value: unknown) => {
  const copy: Record<string, unknown> = { ...body };
  if (value === MISSING) delete copy[field];
  else copy[field] = value;
  return copy;
};

describe('the client sends exactly what the spec accepts', () => {
  const server = serversClosedAfterEach();

  // One property run: sent (one more request seen) if and only if the oracle accepts; otherwise a
  // DiditValidationError naming the field. Counts are per run, so one failure cannot cascade.
  const check = async (s: { seen: unknown[] }, call: () => Promise<unknown>, accepted: boolean, field: string) => {
    const before = s.seen.length;
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (accepted) {
      expect(error).toBeUndefined();
      expect(s.seen.length - before).toBe(1);
    } else {
      expect(error).toBeInstanceOf(DiditValidationError);
      expect((error as DiditValidationError).issues.map((i) => i.path)).toContain(field);
      expect(s.seen.length - before).toBe(0);
    }
  };

  it('share: the body against ShareSessionRequest, sessionId against the path parameter', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const { sessions } = clientFor(s, { maxRetries: 0 });
    const field = fc.constantFrom('sessionId', 'for_application_id', 'ttl_in_seconds');
    await fc.assert(
      fc.asyncProperty(uuid, shareBody, field, anyValue, async (sessionId, body, name, value) => {
        if (name === 'sessionId') {
          const id = value === MISSING ? undefined : value;
          await check(s, () => sessions.share(id as string, body), routeAccepts(id), name);
        } else {
          const mutated = withField(body, name, value);
          await check(s, () => sessions.share(sessionId, mutated as never), specAccepts.share(mutated), name);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('importShared: the body against ImportSharedSessionRequest', async () => {
    const s = await server((res) => json(res, 201, IMPORT_OK));
    const { sessions } = clientFor(s, { maxRetries: 0 });
    const field = fc.constantFrom('share_token', 'workflow_id', 'vendor_data', 'trust_review');
    await fc.assert(
      fc.asyncProperty(importBody, field, anyValue, async (body, name, value) => {
        const mutated = withField(body, name, value);
        await check(s, () => sessions.importShared(mutated as never), importAccepts(mutated), name);
      }),
      { numRuns: 300 },
    );
  });

  it('a urn:uuid: sessionId, which ajv-formats accepts, is refused: it would reach the path escaped', async () => {
    const s = await server((res) => json(res, 200, SHARE_OK));
    const id = 'urn:uuid:11111111-2222-3333-4444-555555555555';
    expect(specAccepts.sessionId(id)).toBe(true);
    const error = await clientFor(s)
      .sessions.share(id, { for_application_id: SHARE_OK.for_application_id })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiditValidationError);
    expect(s.seen).toHaveLength(0);
  });
});

describe('valid inputs are always sent and accepted by Prism', () => {
  let prism: PrismProcess;
  beforeAll(async () => (prism = await startPrism()));
  afterAll(() => prism?.stop());

  it('share', async () => {
    const { sessions } = createDiditClient({
      apiKey: API_KEY,
      baseUrl: prism.baseUrl,
      validateResponses: true,
      maxRetries: 0,
    });
    await fc.assert(
      fc.asyncProperty(uuid, shareBody, async (sessionId, body) => {
        expect(specAccepts.share(body) && routeAccepts(sessionId)).toBe(true);
        expect((await sessions.share(sessionId, body)).session_kind).toBe('user');
      }),
      { numRuns: 50 },
    );
  });

  it('importShared', async () => {
    const { sessions } = createDiditClient({
      apiKey: API_KEY,
      baseUrl: prism.baseUrl,
      validateResponses: true,
      maxRetries: 0,
    });
    await fc.assert(
      fc.asyncProperty(importBody, async (body) => {
        expect(importAccepts(body)).toBe(true);
        expect((await sessions.importShared(body)).status).toBe('In Review');
      }),
      { numRuns: 50 },
    );
  });
});
