// The coverage classes the spec implies, read from its request schemas: every optional request field
// is exercised omitted (its documented default) and sent (its documented effect), every numeric bound
// from both sides (just outside refused, the bound itself accepted with its effect). The tables name
// the check covering each class; coverage.test.ts fails on a class of the spec no check covers.
import type { RunSpec } from './findings.js';

export const REQUEST_SCHEMAS = {
  shareSession: 'ShareSessionRequest',
  importSharedSession: 'ImportSharedSessionRequest',
} as const;

type Operation = keyof typeof REQUEST_SCHEMAS;
interface Property {
  minimum?: number;
  maximum?: number;
  minLength?: number;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  example?: unknown;
}
type Properties = Record<string, Property>;

export interface Bound {
  operation: Operation;
  field: string;
  bound: 'minimum' | 'maximum';
  value: number;
  /** The nearest integer outside the range. */
  outside: number;
}

const schemaOf = (spec: RunSpec, operation: Operation) =>
  spec.document.components.schemas[REQUEST_SCHEMAS[operation]] as { required?: string[]; properties: Properties };

/** `operation.field` for each request field the spec does not require. */
export function optionalFields(spec: RunSpec): string[] {
  return (Object.keys(REQUEST_SCHEMAS) as Operation[]).flatMap((operation) => {
    const schema = schemaOf(spec, operation);
    return Object.keys(schema.properties)
      .filter((field) => !(schema.required ?? []).includes(field))
      .map((field) => `${operation}.${field}`);
  });
}

/** Every documented minimum and maximum of a request field. */
export function numericBounds(spec: RunSpec, only?: Operation): Bound[] {
  return (Object.keys(REQUEST_SCHEMAS) as Operation[])
    .filter((operation) => only === undefined || operation === only)
    .flatMap((operation) =>
      Object.entries(schemaOf(spec, operation).properties).flatMap(([field, p]) => [
        ...(p.minimum === undefined
          ? []
          : [{ operation, field, bound: 'minimum' as const, value: p.minimum, outside: p.minimum - 1 }]),
        ...(p.maximum === undefined
          ? []
          : [{ operation, field, bound: 'maximum' as const, value: p.maximum, outside: p.maximum + 1 }]),
      ]),
    );
}

/** A field's short name in check ids (ttl_in_seconds → ttl, as the TTL checks were named). */
export const shortName = (field: string) => (field === 'ttl_in_seconds' ? 'ttl' : field.replaceAll('_', '-'));

/** For each optional request field, the check that omits it and the check that sends it. */
export const OPTIONAL_FIELD_CHECKS: Record<string, { omitted: string; sent: string }> = {
  'shareSession.ttl_in_seconds': { omitted: 'share.token.default-ttl', sent: 'share.token.ttl' },
  'importSharedSession.vendor_data': { omitted: 'import.vendor-data-omitted', sent: 'import.vendor-data-sent' },
  'importSharedSession.trust_review': { omitted: 'import.trust-review-default', sent: 'import.trust-review-kept' },
};

/**
 * A valid value for a field, from what the spec says of it: its example, default, const or first enum
 * value, else the smallest value its type and bounds allow (the spec's ajv is the judge: coverage.test.ts).
 */
function validValue(p: Property): unknown {
  const given = p.examples?.[0] ?? p.example ?? p.default ?? p.const ?? p.enum?.[0];
  if (given !== undefined) return given;
  const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
  if (type === 'integer' || type === 'number') return p.minimum ?? p.maximum ?? 0;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  if (type === 'object') return {};
  if (p.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (p.format === 'date-time') return '2026-01-01T00:00:00Z';
  return 'didit-share-drift-check'.padEnd(p.minLength ?? 0, '-');
}

/**
 * The optional request fields no check of OPTIONAL_FIELD_CHECKS names, each with a valid value: the
 * documented success request sends them (share.success, the hop's import), so a field the spec gains
 * is at least sent and seen accepted; omitted, it is what every other request does. Its documented
 * effect needs a check of its own, added to OPTIONAL_FIELD_CHECKS.
 */
export function sentOptionalFields(spec: RunSpec, operation: Operation): Record<string, unknown> {
  const schema = schemaOf(spec, operation);
  return Object.fromEntries(
    Object.entries(schema.properties)
      .filter(([field]) => !(schema.required ?? []).includes(field) && !OPTIONAL_FIELD_CHECKS[`${operation}.${field}`])
      .map(([field, p]) => [field, validValue(p)]),
  );
}

/** The checks of a bound, named from it: just outside (refused), at it (accepted with its effect on the token). */
export const boundChecks = ({ operation, field, bound }: Pick<Bound, 'operation' | 'field' | 'bound'>) => {
  const prefix = operation === 'shareSession' ? 'share' : 'import';
  return {
    outside: `${prefix}.rejects.${shortName(field)}-${bound === 'minimum' ? 'below-minimum' : 'above-maximum'}`,
    at: `${prefix}.token.${shortName(field)}-at-${bound}`,
  };
};
