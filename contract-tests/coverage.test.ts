// The coverage classes come from the spec: every optional request field has a check omitting it and
// one sending it, every numeric bound a probe on each side; a field or bound the spec gains without
// a check fails here, naming it. (nightly.test.ts sees each of these checks pass against the twin.)
import { describe, expect, it } from 'vitest';
import { loadRunSpec } from './suite/findings.js';
import { OPTIONAL_FIELD_CHECKS, boundChecks, numericBounds, optionalFields } from './suite/coverage.js';

const spec = loadRunSpec(undefined);

describe('coverage classes, read from the spec', () => {
  it('names an omitted and a sent check for every optional request field, and nothing else', () => {
    expect(
      optionalFields(spec).sort(),
      'each optional request field needs its omitted and sent checks in OPTIONAL_FIELD_CHECKS (contract-tests/suite/coverage.ts)',
    ).toEqual(Object.keys(OPTIONAL_FIELD_CHECKS).sort());
    expect(optionalFields(spec)).toEqual(
      expect.arrayContaining(['importSharedSession.vendor_data', 'importSharedSession.trust_review']),
    );
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
