// Drift in a success body, found by the client (`onDrift`) and worded as the drift check words it
// (contract-tests/suite/findings.ts): one finding per violation of the spec, then one per
// undocumented field. The wording lives here so that both can share it (src/ may not import the suite).
import type { FieldMap, ValidationIssue } from '../generated/validators.js';
import { redact } from './redact.js';

/** The spec's operationIds, as the drift report names them. */
export type Operation = 'shareSession' | 'importSharedSession';

/**
 * What a drift finding is about, so the drift report (contract-tests/suite/findings.ts) and a twin
 * mutant's record (twin/mutant-record.ts, a type-only import) can say which check of the spec caught it.
 */
export type FindingKind =
  /** A status other than the spec's. */
  | 'status'
  /** A body not sent as the spec's media type. */
  | 'content-type'
  /** A body that breaks its schema: a field missing, a type changed, an unknown enum value, a format. */
  | 'schema'
  /** A field the spec does not name (an addition). */
  | 'undocumented-field'
  /** The share token: its form, its header or one of its claims. */
  | 'token-claim'
  /** A value the request or the session decides, answered otherwise (an echo, a copied field, a status). */
  | 'value'
  /** A documented rule no longer enforced: a request the service must refuse was accepted. */
  | 'rule-not-enforced'
  /** Something the spec only assumes (`x-assumption`), refuted. */
  | 'assumption'
  /** One of the spec's unsettled facts (`x-unsettled`): the candidate the service chose, or none of them. */
  | 'unsettled-fact';

/** One way a success body deviates from the spec, as `onDrift` receives it. */
export interface DriftFinding {
  operation: Operation;
  /** `breaking`: a documented field is missing or has another type, format or value; `non-breaking`: an undocumented field. */
  severity: 'breaking' | 'non-breaking';
  /** Where, as a JSON pointer into the body (`/expires_at`); `/` for the body itself. */
  pointer: string;
  /** What, e.g. `ShareSessionResponse: missing field at /session_kind (must have required property 'session_kind')`. */
  message: string;
}

/** The body's schema: its name, its precompiled validator and the fields it documents. */
export interface BodySchema<T = unknown> {
  name: string;
  validate: { (data: unknown): data is T; errors?: ValidationIssue[] | null };
  fields: FieldMap;
}

const KIND: Record<string, string> = {
  required: 'missing field',
  type: 'changed type',
  enum: 'unknown enum value',
  format: 'format changed',
  pattern: 'format changed',
};

/**
 * ajv's default English message for one error, from its keyword and params alone (the shipped
 * validators carry no messages, to stay small). Phrased for the keywords the response schemas use
 * and numeric limits; a test holds each to ajv's own wording. Any other keyword gets ajv's generic one.
 */
export function ajvMessage({ keyword, params }: ValidationIssue): string {
  if (keyword === 'required') return `must have required property '${params.missingProperty}'`;
  if (keyword === 'enum') return 'must be equal to one of the allowed values';
  if (keyword === 'format' || keyword === 'pattern') return `must match ${keyword} "${params[keyword]}"`;
  if (keyword === 'type') return `must be ${params.type}`;
  // minimum, maximum, exclusiveMinimum, exclusiveMaximum
  if ('comparison' in params) return `must be ${params.comparison} ${params.limit}`;
  return `must pass "${keyword}" keyword validation`;
}

/** The drift report's pointer and message for one schema violation of `schema`'s body. */
export function violation(schema: string, error: ValidationIssue): { pointer: string; message: string } {
  const pointer =
    (error.keyword === 'required'
      ? `${error.instancePath}/${String(error.params.missingProperty)}`
      : error.instancePath) || '/';
  return {
    pointer,
    message: `${schema}: ${KIND[error.keyword] ?? error.keyword} at ${pointer} (${ajvMessage(error)})`,
  };
}

/** The drift report's message for a field the spec does not document. */
export const undocumented = (schema: string, pointer: string) =>
  `${schema}: undocumented field ${pointer} (an addition the spec does not describe)`;

/** The finding for a success body that is not JSON at all (the content type is the server's text). */
export const notJson = (
  operation: Operation,
  contentType: string | null,
  secrets: readonly (string | undefined)[],
): DriftFinding => ({
  operation,
  severity: 'breaking',
  pointer: '/',
  message: redact(
    /json/i.test(contentType ?? '')
      ? 'expected a JSON body, got one that does not parse'
      : `expected a JSON body, got content-type "${contentType}"`,
    secrets,
  ),
});

/** JSON pointers of object fields `fields` does not name (only where the schema names its fields). */
export function undocumentedFields(fields: FieldMap | 0 | undefined, value: unknown, pointer = ''): string[] {
  const found: string[] = [];
  collectUndocumented(fields, value, pointer, found);
  return found;
}

// Into one array, without entry pairs: a body may name 90,000 fields, walked on every answer judged.
function collectUndocumented(fields: FieldMap | 0 | undefined, value: unknown, pointer: string, found: string[]) {
  if (!fields || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(fields, key)) found.push(`${pointer}/${key}`);
    else collectUndocumented(fields[key], (value as Record<string, unknown>)[key], `${pointer}/${key}`, found);
  }
}

/**
 * Every finding for a body `schema.validate` has just judged (`errors` are its errors): violations
 * (breaking) then undocumented fields (non-breaking), with `secrets` and any token redacted.
 */
export function findDrift(
  operation: Operation,
  schema: BodySchema,
  errors: ValidationIssue[] | null | undefined,
  body: unknown,
  secrets: readonly (string | undefined)[],
): DriftFinding[] {
  const found: DriftFinding[] = (errors ?? []).map((e) => ({
    operation,
    severity: 'breaking',
    ...violation(schema.name, e),
  }));
  for (const pointer of undocumentedFields(schema.fields, body))
    found.push({ operation, severity: 'non-breaking', pointer, message: undocumented(schema.name, pointer) });
  // A field's name is the server's text: it may be a token or a key echoed back.
  return found.length ? redact(found, secrets) : found;
}

/**
 * A success body (parsed JSON) judged against `schema`: the validator's errors, and, when `findings`
 * is asked for, every finding as `onDrift` and observeDrift report them.
 */
export function judge(
  operation: Operation,
  schema: BodySchema,
  body: unknown,
  secrets: readonly (string | undefined)[],
  findings = true,
): { errors: ValidationIssue[] | null | undefined; findings: DriftFinding[] } {
  const { validate } = schema;
  const errors = validate(body) ? null : (validate.errors ?? []);
  return { errors, findings: findings ? findDrift(operation, schema, errors, body, secrets) : [] };
}

/** Hands each finding to `onDrift`; a callback that throws (or rejects) never reaches the caller. */
export function tell(onDrift: (finding: DriftFinding) => unknown, findings: DriftFinding[]): void {
  for (const finding of findings) {
    try {
      Promise.resolve(onDrift(finding)).catch(() => {});
    } catch {}
  }
}
