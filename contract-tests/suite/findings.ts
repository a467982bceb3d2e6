// What a check reports: findings, each of one kind, and calibration notes; and the findings of a body
// against the spec's own schemas (ajv errors, phrased as the client phrases them, and undocumented fields).
import {
  SPEC_PATH,
  createSpecAjv,
  loadSpec,
  schemaRef,
  type JsonObject,
  type OpenApiDocument,
} from '../../spec-kit/spec.js';
import { resolveRef } from '../../spec-kit/spec-examples.js';
import { undocumented, violation } from '../../src/drift-findings.js';
import type { Exchange } from '../../test-support/exchange.js';
import type { FindingKind } from '../../twin/mutants.js';
import { redact, redactDeep } from '../redact.js';

export type Severity = 'breaking' | 'non-breaking' | 'info';

// One vocabulary for the report and the mutant catalogue: the twin imports nothing of the project, so it holds it.
export type { FindingKind };

export interface Finding {
  id: string;
  operation: string;
  check: string;
  kind: FindingKind;
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

/** The spec a run holds the target to, with one ajv over its schemas. */
export interface RunSpec {
  document: OpenApiDocument;
  ajv: ReturnType<typeof createSpecAjv>;
}

// One ajv per spec text: the two suite files of a run share the runner's document, and the runs of a
// shared session (one worker kept across them, each run handed its own copy) share it while the spec
// is the same (calibration rewrites it between runs).
let compiled: { text: string; spec: RunSpec } | undefined;

/**
 * The run's spec: the document the runner parsed (once per path and text) or, without one, the spec
 * at `path` (the drift runner's --spec) read now, since calibration rewrites it between runs.
 */
export function loadRunSpec(provided: OpenApiDocument | undefined, path: string = SPEC_PATH): RunSpec {
  const document = provided ?? loadSpec(path);
  const text = JSON.stringify(document);
  if (compiled?.text !== text) compiled = { text, spec: { document, ajv: createSpecAjv(document) } };
  return compiled.spec;
}

/**
 * Findings for a JSON body against a schema of the spec: every violation (`kind`, by default schema),
 * then every undocumented field.
 */
export function bodyFindings(
  spec: RunSpec,
  schemaName: string,
  body: unknown,
  { severity = 'breaking', kind = 'schema' }: { severity?: Severity; kind?: FindingKind } = {},
): Observation[] {
  const validate = spec.ajv.getSchema(schemaRef(schemaName))!;
  const found: Observation[] = [];
  if (!validate(body)) {
    for (const error of validate.errors ?? []) {
      // Worded by the client's own function, so onDrift and the report say the same thing.
      const { pointer, message } = violation(schemaName, error);
      found.push({
        kind,
        severity,
        pointer,
        message,
        expected: error.params,
        actual: error.keyword === 'required' ? undefined : safeValue(valueAt(body, error.instancePath), pointer),
      });
    }
  }
  for (const pointer of undocumentedFields(spec.document, spec.document.components.schemas[schemaName], body, '')) {
    found.push({
      kind: 'undocumented-field',
      severity: 'non-breaking',
      pointer,
      message: undocumented(schemaName, pointer),
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
function undocumentedFields(document: OpenApiDocument, schema: unknown, value: unknown, pointer: string): string[] {
  const s = resolveRef<JsonObject>(document, schema ?? {});
  if (value === null || typeof value !== 'object' || Array.isArray(value) || s.properties === undefined) return [];
  const properties = s.properties as JsonObject;
  return Object.entries(value).flatMap(([key, v]) =>
    Object.hasOwn(properties, key)
      ? undocumentedFields(document, properties[key], v, `${pointer}/${key}`)
      : [`${pointer}/${key}`],
  );
}
