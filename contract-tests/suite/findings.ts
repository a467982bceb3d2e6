// Turns what the suite observed into findings: ajv errors against the spec's own schemas, fields the
// spec does not document, and statuses other than the spec's.
import { inject } from 'vitest';
import { SPEC_PATH, createSpecAjv, loadSpec, schemaRef, type JsonObject } from '../../spec-kit/spec.js';
import { escapePointer, operationById, operationPath, resolveRef } from '../../spec-kit/spec-examples.js';
import { unsettledFacts } from '../../spec-kit/unsettled.js';
import { redact, redactDeep } from '../redact.js';
import { TargetUnavailableError, prismViolations, type Exchange } from './http.js';

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

/**
 * What a live run tells `npm run calibrate`: which candidate an unsettled fact turned out to be, or
 * an assumption of the spec (at `pointer`) confirmed or refuted, each with its evidence.
 */
export type CalibrationNote =
  | { kind: 'fact'; fact: string; value: string; evidence: string }
  | { kind: 'assumption'; pointer: string; verdict: 'confirmed' | 'refuted'; evidence: string };

/** What a check can observe: a finding, or a note for calibration. */
export type Observed = Observation | { note: CalibrationNote };

export const isNote = (o: Observed): o is { note: CalibrationNote } => 'note' in o;

/** One line of evidence: the request, the status and a redacted excerpt of the body. */
export function evidence(exchange: Exchange): string {
  // Redacted before it is cut: a secret cut in half would no longer match.
  const body = exchange.json === undefined ? redact(exchange.text) : JSON.stringify(redactDeep(exchange.json));
  const excerpt = body.replace(/\s+/g, ' ').trim();
  return `POST ${exchange.path} → ${exchange.status}${excerpt ? ` ${excerpt.slice(0, 120)}${excerpt.length > 120 ? '…' : ''}` : ''}`;
}

// Parsed once by the runner and handed over (a worker a run: parsing it here cost each run ~100 ms).
export const spec = inject('spec') ?? loadSpec(inject('specPath') ?? SPEC_PATH);
const ajv = createSpecAjv(spec);

const operation = (operationId: string) => operationById(spec, operationId);

/** The spec's response object for an operation and status (refs resolved). */
export function specResponse(operationId: string, status: number): JsonObject | undefined {
  const responses = operation(operationId).responses as JsonObject;
  return responses[String(status)] === undefined ? undefined : resolveRef(spec, responses[String(status)]);
}

/** The response's spec node and JSON pointer (the component's, when it is a `$ref`). */
function responseAt(operationId: string, status: number): { node: JsonObject; pointer: string } | undefined {
  const raw = (operation(operationId).responses as JsonObject)[String(status)] as JsonObject | undefined;
  if (!raw) return undefined;
  const pointer =
    typeof raw.$ref === 'string' ? raw.$ref : `${operationPath(spec, operationId).pointer}/responses/${status}`;
  return { node: resolveRef(spec, raw), pointer };
}

// A status an unsettled fact decides (e.g. import's 200 or 201) is calibrated as that fact, not as an assumption.
const decidedByFact = (operationId: string, status: number) =>
  unsettledFacts(spec).some(
    (f) =>
      f.operation === operationId &&
      f.id.endsWith('-status') &&
      f.candidates.some((c) => String(c.value) === String(status)),
  );

/** The body's assumption, if any: the media schema itself, or the component schema it names. */
function bodyAssumption(responsePointer: string, media: JsonObject): string | undefined {
  const schema = media.schema as JsonObject;
  if (schema['x-assumption'] === true) return `${responsePointer}/content/${escapePointer('application/json')}/schema`;
  const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
  return resolveRef<JsonObject>(spec, { $ref: ref || '#' })['x-assumption'] === true && ref ? ref : undefined;
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
      const pointer =
        error.keyword === 'required'
          ? `${error.instancePath}/${String(error.params.missingProperty)}`
          : error.instancePath;
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
    found.push({
      severity: 'non-breaking',
      pointer,
      message: `${schemaName}: undocumented field ${pointer} (an addition the spec does not describe)`,
    });
  }
  return found;
}

/**
 * A value for the report: below a token's place every string keeps only its prefix, whatever shape
 * the token drifted to (redaction by position, as under a token-named key).
 */
const safeValue = (value: unknown, pointer: string) =>
  /token/i.test(pointer) ? redactDeep({ token: value }).token : value;

function valueAt(body: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (at, key) => (at as JsonObject | undefined)?.[key.replaceAll('~1', '/').replaceAll('~0', '~')],
      body,
    );
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

/**
 * Status, content type and (for JSON) body of an exchange against what the spec says for that status,
 * plus calibration notes for each assumption the exchange confirms or refutes. A persisting 5xx on a
 * success probe means the service is failing (the run cannot give a verdict); on an error probe it is
 * drift: a server error where the spec promises a 4xx breaks every client's error handling.
 */
export function responseFindings(operationId: string, exchange: Exchange, expectedStatus: number): Observed[] {
  const at = responseAt(operationId, expectedStatus);
  const response = at?.node;
  const media = (response?.content as Record<string, JsonObject> | undefined)?.['application/json'];
  const bodyPointer = at && media ? bodyAssumption(at.pointer, media) : undefined;
  const assumed = response?.['x-assumption'] === true || bodyPointer !== undefined;
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
  if (exchange.status >= 500) {
    if (expectedStatus < 300)
      throw new TargetUnavailableError(
        `POST ${exchange.path} was answered HTTP ${exchange.status} three times: the service is failing`,
      );
    return [
      {
        severity: 'breaking',
        message: `a documented ${expectedStatus} was answered HTTP ${exchange.status} (three times): a server error where the spec promises ${expectedStatus} breaks every client's error handling`,
        expected: expectedStatus,
        actual: exchange.status,
      },
    ];
  }
  const statusAssumed =
    response?.['x-assumption'] === true && at !== undefined && !decidedByFact(operationId, expectedStatus);
  if (exchange.status !== expectedStatus) {
    return [
      {
        severity: 'breaking',
        message: `expected HTTP ${expectedStatus}, got ${exchange.status}${statusAssumed ? ' (the spec only assumes this status: if the service is right, correct spec/openapi.yaml and regenerate)' : ''}`,
        expected: expectedStatus,
        actual: exchange.status,
      },
      ...(statusAssumed && exchange.status !== 429
        ? [
            {
              note: { kind: 'assumption', pointer: at.pointer, verdict: 'refuted', evidence: evidence(exchange) },
            } as const,
          ]
        : []),
    ];
  }
  const note = (pointer: string, refuted: boolean): Observed => ({
    note: { kind: 'assumption', pointer, verdict: refuted ? 'refuted' : 'confirmed', evidence: evidence(exchange) },
  });
  if (!media) return statusAssumed ? [note(at.pointer, false)] : [];
  if (!/^application\/json\b/i.test(exchange.contentType) || exchange.json === undefined) {
    return [
      ...(statusAssumed ? [note(at.pointer, !bodyPointer)] : []),
      {
        severity: 'breaking',
        message: `expected a JSON body, got content-type "${exchange.contentType}"`,
        expected: 'application/json',
        actual: exchange.contentType,
      },
    ];
  }
  const ref = ((media.schema as JsonObject).$ref as string).slice('#/components/schemas/'.length);
  const found = bodyFindings(ref, exchange.json, bodySeverity);
  const bodyRefuted = found.some((o) => o.severity !== 'non-breaking');
  // The response's own assumption covers its body too, unless the body carries one of its own.
  const notes = [
    ...(statusAssumed ? [note(at.pointer, !bodyPointer && bodyRefuted)] : []),
    ...(bodyPointer ? [note(bodyPointer, bodyRefuted)] : []),
  ];
  return [...notes, ...found];
}
