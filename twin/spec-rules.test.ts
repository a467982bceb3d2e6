// The twin follows the spec: each request rule of a field its serializers do not parse is enforced as
// DRF would answer it (cases derived from the spec's request schemas); its own serializers hold the
// spec's bounds; every success answer it sends is valid against the spec's response schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Validator,
  validateImportSharedSessionResponse,
  validateShareSessionResponse,
} from '../generated/validators.js';
import { type Exchange, fieldsOf } from '../http-kit/exchange.js';
import { type JsonObject, loadSpec } from '../spec-kit/spec.js';
import { envOf, importAs, mintedToken, roundTrip, shareAs } from '../test-support/twin-client.js';
import { DIALECTS, type DialectName, startTwin, type Twin } from './server.js';
import { MAX_TTL, MIN_TTL } from './share.js';
import { OWN_FIELDS, type Serializer, undocumentedField } from './spec-rules.js';

const spec = loadSpec();
const schemas = spec.components.schemas as Record<string, JsonObject & { properties?: Record<string, JsonObject> }>;
const REQUESTS: Record<Serializer, string> = { share: 'ShareSessionRequest', import: 'ImportSharedSessionRequest' };

/** For each rule a property's schema states, a value that breaks it. */
function breakers(property: JsonObject): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  if (typeof property.maxLength === 'number') out.push(['maxLength', 'x'.repeat(property.maxLength + 1)]);
  if (typeof property.minLength === 'number' && property.minLength > 1)
    out.push(['minLength', 'x'.repeat(property.minLength - 1)]);
  if (typeof property.maximum === 'number') out.push(['maximum', property.maximum + 1]);
  if (typeof property.minimum === 'number') out.push(['minimum', property.minimum - 1]);
  if (Array.isArray(property.enum)) out.push(['enum', 'not-one-of-the-choices']);
  if (property.type === 'string') out.push(['type', 123]);
  if (property.type === 'integer' || property.type === 'number' || property.type === 'boolean')
    out.push(['type', 'text']);
  return out;
}

const ruleCases = (Object.keys(REQUESTS) as Serializer[]).flatMap((serializer) =>
  Object.entries(schemas[REQUESTS[serializer]]!.properties ?? {})
    .filter(([field]) => !OWN_FIELDS[serializer].has(field))
    .flatMap(([field, property]) =>
      breakers(property).map(([rule, value]) => [serializer, field, rule, value] as const),
    ),
);

let twin: Twin;
const send = (serializer: Serializer, extra: Record<string, unknown>): Promise<Exchange> =>
  serializer === 'share'
    ? shareAs(twin, { body: { for_application_id: envOf(twin, 'DIDIT_FOR_APPLICATION_ID'), ...extra } })
    : shareAs(twin).then((shared) => importAs(twin, mintedToken(shared), extra));

describe('twin: the spec rules of the fields its serializers do not parse', () => {
  beforeAll(async () => {
    twin = await startTwin({ rateLimit: false });
  });
  afterAll(() => twin.close());

  it.each([
    ['share', 200],
    ['import', 201],
  ] as const)('%s ignores a field the spec does not document, as DRF does', async (serializer, status) => {
    expect((await send(serializer, { [undocumentedField(serializer)]: 'x'.repeat(5000) })).status).toBe(status);
  });

  it.each(ruleCases)('%s: %s breaking its %s → 400 naming the field', async (serializer, field, _rule, value) => {
    const exchange = await send(serializer, { [field]: value });
    expect(exchange.status, exchange.text).toBe(400);
    expect(fieldsOf(exchange)[field], exchange.text).toEqual([expect.any(String)]);
  });
});

describe("twin: its serializers' own bounds are the spec's", () => {
  const ttl = schemas.ShareSessionRequest!.properties!.ttl_in_seconds!;
  it('ttl_in_seconds', () => {
    expect({ MIN_TTL, MAX_TTL }, "twin/share.ts MIN_TTL and MAX_TTL must be the spec's ttl_in_seconds bounds").toEqual({
      MIN_TTL: ttl.minimum,
      MAX_TTL: ttl.maximum,
    });
  });
});

/** What a failure of the twin's answer says: the spec's words and the twin file that writes that answer. */
function conforms(validate: Validator<unknown>, exchange: Exchange, writer: string): void {
  const valid = validate(fieldsOf(exchange));
  const issues = (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.keyword} ${JSON.stringify(e.params)}`,
  );
  expect(issues, `the twin's answer breaks the spec: extend ${writer} to send what the spec requires`).toEqual([]);
  expect(valid).toBe(true);
}

describe.each(Object.keys(DIALECTS) as DialectName[])(
  'twin (%s): every success answer is valid against the spec',
  (dialect) => {
    let own: Twin;
    beforeAll(async () => {
      own = await startTwin({ dialect, rateLimit: false });
    });
    afterAll(() => own.close());

    it.each(['DIDIT_SESSION_ID', 'DIDIT_BUSINESS_SESSION_ID'])('share of %s', async (session) => {
      const exchange = await shareAs(own, { sessionId: envOf(own, session) });
      expect(exchange.status).toBe(200);
      conforms(validateShareSessionResponse, exchange, 'twin/share.ts (share())');
    });

    it('import', async () => {
      const { imported } = await roundTrip(own, { trust_review: false });
      expect(imported.status).toBe(DIALECTS[dialect].importStatus);
      conforms(
        validateImportSharedSessionResponse,
        imported,
        'twin/import-shared.ts (importShared(); the decision payload: twin/dialects.ts)',
      );
    });
  },
);
