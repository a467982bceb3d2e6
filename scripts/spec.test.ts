// The spec's own guarantees: every example is valid against its schema (Prism would serve invalid
// ones silently), the examples tell one consistent story, and every assumption is marked.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createSpecAjv, type JsonObject, loadSpec, specSchema } from '../spec-kit/spec.js';
import { collectExamples, firstExample } from '../spec-kit/spec-examples.js';
import { sourceDocument } from './fixtures/source-document.js';

const spec = loadSpec();
const ajv = createSpecAjv(spec);
const examples = collectExamples(spec);

function validate(schema: unknown, value: unknown): string | null {
  const check = ajv.compile(specSchema(schema));
  return check(value) ? null : ajv.errorsText(check.errors);
}
const validateNamed = (name: string, value: unknown) => validate({ $ref: `#/components/schemas/${name}` }, value);

const example = (operationId: string, where: 'request' | number) => firstExample(spec, operationId, where);

describe('spec examples', () => {
  it('covers every request, response, error, header and schema example', () => {
    const pointers = examples.map((e) => e.pointer).join('\n');
    for (const part of [
      'requestBody',
      'responses/200',
      'responses/201',
      'responses/400',
      'responses/401',
      'responses/403',
      'responses/404',
      'responses/429/content',
      'headers/Retry-After',
      'parameters/0',
      'schemas/ShareTokenClaims',
    ]) {
      expect(pointers).toContain(part);
    }
  });

  it.each(examples.map((e) => [e.pointer, e] as const))('%s validates against its schema', (_pointer, e) => {
    expect(validate(e.schema, e.value)).toBeNull();
  });

  it('rejects an example that breaks its schema (the check can fail)', () => {
    const request = examples.find((e) => e.pointer.includes('requestBody') && e.pointer.includes('share'))!;
    expect(validate(request.schema, { ...(request.value as JsonObject), ttl_in_seconds: 30 })).toMatch(
      /ttl_in_seconds/,
    );
  });
});

describe('the examples tell one consistent story', () => {
  const sessionId = (spec.paths['/v3/session/{sessionId}/share/']!.post!.parameters as JsonObject[])[0]!.example;
  const shareRequest = example('shareSession', 'request');
  const shareResponse = example('shareSession', 200);
  const token = shareResponse.share_token as string;
  const claims = decodeJwt(token);

  it('the example share token is an HS256 JWT whose claims are valid ShareTokenClaims', () => {
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    expect(validateNamed('ShareTokenClaims', claims)).toBeNull();
  });

  it('its claims match the example request: session, target application, kind and TTL', () => {
    expect(claims.session_id).toBe(sessionId);
    expect(claims.for_application_id).toBe(shareRequest.for_application_id);
    expect(shareResponse.for_application_id).toBe(shareRequest.for_application_id);
    expect(claims.session_kind).toBe(shareResponse.session_kind);
    expect(claims.exp! - claims.iat!).toBe(shareRequest.ttl_in_seconds);
  });

  it('the ShareTokenClaims schema example is the example token decoded', () => {
    expect((spec.components.schemas.ShareTokenClaims!.examples as unknown[])[0]).toEqual(claims);
  });

  it('the import example redeems that token and its response follows from the request', () => {
    const importRequest = example('importSharedSession', 'request');
    const imported = example('importSharedSession', 201);
    expect(importRequest.share_token).toBe(token);
    expect(imported.workflow_id).toBe(importRequest.workflow_id);
    expect(imported.vendor_data).toBe(importRequest.vendor_data);
    expect(imported.session_kind).toBe(claims.session_kind);
    expect(importRequest.trust_review).toBe(false);
    expect(imported.status).toBe('In Review');
  });
});

describe("the source document's own example", () => {
  it('its response body validates against the 200 schema', () => {
    expect(validateNamed('ShareSessionResponse', sourceDocument.response)).toBeNull();
  });

  it('its token is a legacy token: no session_kind, claims valid against ShareTokenClaims', () => {
    const claims = decodeJwt(sourceDocument.response.share_token);
    expect(claims).not.toHaveProperty('session_kind');
    expect(validateNamed('ShareTokenClaims', claims)).toBeNull();
    // Documented inconsistency: the example asked for 7200 s and the token carries 3600 s.
    expect(claims.exp! - claims.iat!).not.toBe(sourceDocument.request.ttl_in_seconds);
  });

  const reference = fileURLToPath(new URL('../../shared/reference/000_492fc81636c4ae09.txt', import.meta.url));
  it.skipIf(!existsSync(reference))('the vendored copy is the reference page verbatim', () => {
    expect(sourceDocument.text).toBe(readFileSync(reference, 'utf8'));
  });

  it('the examples are read from it: the curl request and the response', () => {
    expect(sourceDocument.request).toEqual({
      for_application_id: sourceDocument.response.for_application_id,
      ttl_in_seconds: 7200,
    });
    expect(sourceDocument.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
