// ajvMessage: the wording of a schema violation, held to ajv's own.
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createSpecAjv, schemaRef } from '../spec-kit/spec.js';
import { IMPORT_OK } from '../test-support/fixtures.js';
import { ajvMessage } from './drift-findings.js';

describe('ajvMessage words an error as ajv itself does', () => {
  const spec = createSpecAjv();
  it.each<[string, unknown]>([
    ['ShareSessionResponse', { share_token: 'a.b', for_application_id: 'x', session_kind: 1 }],
    ['ShareSessionResponse', []],
    [
      'ImportSharedSessionResponse',
      { ...IMPORT_OK, session_url: 3, vendor_data: [], created_at: 'x', session_number: 1.5 },
    ],
    ['ImportSharedSessionResponse', {}],
  ])('%s %j', (schema, body) => {
    const validate = spec.getSchema(schemaRef(schema))!;
    expect(validate(body)).toBe(false);
    for (const error of validate.errors!) expect(ajvMessage(error)).toBe(error.message);
  });

  // Bare keywords without a type, to hold ajvMessage to ajv's own words: strictTypes would warn on each.
  const ajv = new Ajv2020.default({ allErrors: true, strictTypes: false });
  it.each<[object, unknown]>([
    [{ minimum: 5 }, 4],
    [{ exclusiveMaximum: 3 }, 3],
    [{ maximum: 3 }, 4],
    [{ exclusiveMinimum: 3 }, 3],
    [{ enum: ['a'] }, 'b'],
    [{ pattern: '^a$' }, 'b'],
    [{ type: ['string', 'null'] }, 1],
  ])('%j', (schema, value) => {
    const validate = ajv.compile(schema);
    expect(validate(value)).toBe(false);
    const error = validate.errors!.at(-1)!;
    expect(ajvMessage(error)).toBe(error.message);
  });
});
