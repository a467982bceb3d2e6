// The coverage classes come from the spec: every optional request field has a check omitting it and
// one sending it, every numeric bound a probe on each side; a field or bound the spec gains without
// a check fails here, naming it. (nightly.slow.test.ts sees each of these checks pass against the twin.)
import { describe, expect, it } from 'vitest';
import { schemaRef } from '../spec-kit/spec.js';
import { firstExample } from '../spec-kit/spec-examples.js';
import {
  boundChecks,
  numericBounds,
  OPTIONAL_FIELD_CHECKS,
  optionalFields,
  REQUEST_SCHEMAS,
  sentOptionalFields,
} from './suite/coverage.js';
import { loadRunSpec } from './suite/findings.js';

const spec = loadRunSpec(undefined);

describe('coverage classes, read from the spec', () => {
  it('covers every optional request field: its own omitted and sent checks, or sent by the documented success', () => {
    const byOperation = (operation: keyof typeof REQUEST_SCHEMAS) =>
      Object.keys(sentOptionalFields(spec, operation)).map((field) => `${operation}.${field}`);
    const sentOnly = [...byOperation('shareSession'), ...byOperation('importSharedSession')];
    expect(
      [...Object.keys(OPTIONAL_FIELD_CHECKS), ...sentOnly].sort(),
      'OPTIONAL_FIELD_CHECKS (contract-tests/suite/coverage.ts) names only optional request fields of the spec',
    ).toEqual(optionalFields(spec).sort());
    expect(optionalFields(spec)).toEqual(
      expect.arrayContaining(['importSharedSession.vendor_data', 'importSharedSession.trust_review']),
    );
  });

  it('sends a field the spec gains with a value its schema accepts, in the documented success requests', () => {
    const grown = structuredClone(spec.document);
    const schemas = grown.components.schemas as Record<string, { properties: Record<string, unknown> }>;
    schemas.ShareSessionRequest!.properties.note = { type: 'string', minLength: 3, maxLength: 200 };
    schemas.ImportSharedSessionRequest!.properties.callback_at = { type: 'string', format: 'date-time' };
    const run = loadRunSpec(grown);
    for (const [operation, field] of [
      ['shareSession', 'note'],
      ['importSharedSession', 'callback_at'],
    ] as const) {
      const sent = sentOptionalFields(run, operation);
      expect(Object.keys(sent), operation).toEqual([field]);
      const validate = run.ajv.compile({ $ref: schemaRef(REQUEST_SCHEMAS[operation]) });
      const body = { ...firstExample(grown, operation, 'request'), ...sent };
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('probes every documented bound from both sides, named from the bound', () => {
    expect(numericBounds(spec).map((b) => ({ ...b, ...boundChecks(b) }))).toEqual([
      {
        operation: 'shareSession',
        field: 'ttl_in_seconds',
        bound: 'minimum',
        value: 60,
        outside: 'share.rejects.ttl-below-minimum',
        at: 'share.token.ttl-at-minimum',
      },
      {
        operation: 'shareSession',
        field: 'ttl_in_seconds',
        bound: 'maximum',
        value: 86400,
        outside: 'share.rejects.ttl-above-maximum',
        at: 'share.token.ttl-at-maximum',
      },
    ]);
  });

  it('moves the probes with the spec: a bound changed there is probed there', () => {
    const moved = structuredClone(spec.document);
    const ttl = (moved.components.schemas.ShareSessionRequest as { properties: Record<string, { maximum: number }> })
      .properties.ttl_in_seconds!;
    ttl.maximum = 43200;
    const maximum = numericBounds({ ...spec, document: moved }).find((b) => b.bound === 'maximum');
    expect(maximum).toMatchObject({ value: 43200, outside: 43201 });
  });
});
