// Turns what the suite observed into findings: ajv errors against the spec's own schemas, fields the
// spec does not document, and statuses other than the spec's.
import { createSpecAjv, loadSpec, schemaRef, type JsonObject } from '../../scripts/lib/spec.js';
import { operationById, resolveRef } from '../../scripts/lib/spec-examples.js';
import { shorten } from '../redact.js';
import { prismViolations, type Exchange } from './http.js';

export type Severity = 'breaking' | 'non-breaking' | 'info';

export interface Finding {
  id: string;
  operation: string;
  check: string;
  severity: Severity;
  message: string;
  pointer?: string;
  expected?: unknown;
  actual?: unknown;
}

/** A finding before the check that made it stamps its id, operation and check on it. */
export type Observation = Omit<Finding, 'id' | 'operation' | 'check'>;

export const spec = loadSpec();
const ajv = createSpecAjv(spec);

const operation = (operationId: string) => operationById(spec, operationId);

/** The spec's response object for an operation and status (refs resolved). */
export function specResponse(operationId: string, status: number): JsonObject | undefined {
  const responses = operation(operationId).responses as JsonObject;
  return responses[String(status)] === undefined ? undefined : resolveRef(spec, responses[String(status)]);
}

/** The spec's success status for an operation (its one 2xx response). */
export function successStatus(operationId: string): number {
  return Number(Object.keys(operation(operationId).responses as JsonObject).find((s) => s.startsWith('2')));
}

const KIND: Record<string, string> = {
  required: 'missing field',
  type: 'changed type',
  enum: 'unknown enum value',
  format: 'format changed',
  pattern: 'format changed',
};

/** Findings for a JSON body against a schema of the spec: every violation, then every undocumented field. */
export function bodyFindings(schemaName: string, body: unknown, severity: Severity = 'breaking'): Observation[] {
  const validate = ajv.getSchema(schemaRef(schemaName))!;
  const found: Observation[] = [];
  if (!validate(body)) {
    for (const error of validate.errors ?? []) {
      const pointer = error.keyword === 'required' ? `${error.instancePath}/${String(error.params.missingProperty)}` : error.instancePath;
      found.push({
        severity,
        pointer: pointer || '/',
        message: `${schemaName}: ${KIND[error.keyword] ?? error.keyword} at ${pointer || '/'} (${error.message})`,
        expected: error.params,
        actual: error.keyword === 'required' ? undefined : safeValue(valueAt(body, error.instancePath), pointer),
      });
    }
  }
  for (const pointer of undocumentedFields(spec.components.schemas[schemaName], body, '')) {
    found.push({ severity: 'non-breaking', pointer, message: `${schemaName}: undocumented field ${pointer} (an addition the spec does not describe)` });
  }
  return found;
}

/** A value for the report: a token (by its place) keeps only its prefix, whatever shape it has. */
const safeValue = (value: unknown, pointer: string) =>
  typeof value === 'string' && /token/i.test(pointer) ? shorten(value) : value;

function valueAt(body: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((at, key) => (at as JsonObject | undefined)?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], body);
}

/** JSON pointers of object fields the schema does not name (only where it names its properties). */
function undocumentedFields(schema: unknown, value: unknown, pointer: string): string[] {
  const s = resolveRef<JsonObject>(spec, schema ?? {});
  if (value === null || typeof value !== 'object' || Array.isArray(value) || s.properties === undefined) return [];
  const properties = s.properties as JsonObject;
  return Object.entries(value).flatMap(([key, v]) =>
    key in properties ? undocumentedFields(properties[key], v, `${pointer}/${key}`) : [`${pointer}/${key}`],
  );
}

/** Status, content type and (for JSON) body of an exchange against what the spec says for that status. */
export function responseFindings(operationId: string, exchange: Exchange, expectedStatus: number): Observation[] {
  const response = specResponse(operationId, expectedStatus);
  const assumed = response?.['x-assumption'] === true;
  // A body that refutes an assumed error shape is worth knowing but misleads no client built from the spec.
  const bodySeverity: Severity = assumed && expectedStatus >= 400 ? 'info' : 'breaking';
  const violations = prismViolations(exchange);
  if (violations) {
    return violations.map((v) => ({
      severity: v.location?.[0] === 'response' && v.location[1] === 'body' ? bodySeverity : 'breaking',
      pointer: v.location?.slice(1).join('/') ?? '',
      message: `Prism proxy: the service's ${v.location?.[0] ?? 'exchange'} violates the spec: ${v.message}`,
    }));
  }
  if (exchange.status !== expectedStatus) {
    return [{
      severity: 'breaking',
      message: `expected HTTP ${expectedStatus}, got ${exchange.status}${assumed ? ' (the spec only assumes this status: if the service is right, correct spec/openapi.yaml and regenerate)' : ''}`,
      expected: expectedStatus,
      actual: exchange.status,
    }];
  }
  const media = (response?.content as Record<string, JsonObject> | undefined)?.['application/json'];
  if (!media) return [];
  if (!/^application\/json\b/i.test(exchange.contentType) || exchange.json === undefined) {
    return [{ severity: 'breaking', message: `expected a JSON body, got content-type "${exchange.contentType}"`, expected: 'application/json', actual: exchange.contentType }];
  }
  const ref = (media.schema as JsonObject).$ref as string;
  return bodyFindings(ref.slice('#/components/schemas/'.length), exchange.json, bodySeverity);
}
