// What a check reports: findings, each of one kind, and calibration notes; and the findings of a body
// against the spec's own schemas (ajv errors, phrased as the client phrases them, and undocumented
// fields, found by the client's own function). A body is the server's: whatever a finding keeps of it
// is a bounded copy (depth, entries, string lengths), so no body can crash or flood a report, and a
// family of findings (one kind under one pointer) is capped, the rest counted.

import type { Exchange } from '../../http-kit/exchange.js';
import { type FieldTree, fieldMap } from '../../spec-kit/field-map.js';
import {
  createSpecAjv,
  type JsonObject,
  loadSpec,
  type OpenApiDocument,
  SPEC_PATH,
  schemaRef,
} from '../../spec-kit/spec.js';
import type { FindingKind } from '../../src/drift-findings.js';
import { undocumented, undocumentedFields, violation } from '../../src/drift-findings.js';
import { redact } from '../run-secrets.js';

export type Severity = 'breaking' | 'non-breaking' | 'info';

// One vocabulary for the report and the mutant catalogue, owned by the shipped client (src/drift-findings.ts).
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

const COPY_DEPTH = 8;
const COPY_ENTRIES = 32;
const COPY_STRING = 1000;

/**
 * A small copy of a JSON value: at most 8 levels, 32 entries per object or array and 1000 characters
 * per string, the rest marked. Safe to stringify and to redact whatever the server nested or
 * named (a `__proto__` field stays a field).
 */
export function boundedCopy(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > COPY_STRING ? `${value.slice(0, COPY_STRING)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= COPY_DEPTH) return Array.isArray(value) ? ['…'] : { '…': 'nested deeper' };
  if (Array.isArray(value)) {
    const items = value.slice(0, COPY_ENTRIES).map((item) => boundedCopy(item, depth + 1));
    return value.length > COPY_ENTRIES ? [...items, `… ${value.length - COPY_ENTRIES} more`] : items;
  }
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, COPY_ENTRIES))
    Object.defineProperty(copy, key, {
      value: boundedCopy((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  if (keys.length > COPY_ENTRIES) copy['…'] = `${keys.length - COPY_ENTRIES} more fields`;
  return copy;
}

/** A value on one line, redacted, at most `max` characters: for messages. */
export function brief(value: unknown, max = 120): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(redact(boundedCopy(value)));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A redacted excerpt of the body, on one line, at most 120 characters ('' for none). */
export function excerpt(exchange: Exchange): string {
  // Redacted before it is cut: a secret cut in half would no longer match.
  const body =
    exchange.json === undefined
      ? redact(exchange.text.slice(0, 4096))
      : JSON.stringify(redact(boundedCopy(exchange.json)));
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** What the service said, for a status finding: its redacted body excerpt, if any. */
export const saying = (exchange: Exchange): string => {
  const body = excerpt(exchange);
  return body ? ` (the body: ${body})` : '';
};

/** One line of evidence: the request, the status and a redacted excerpt of the body. */
export function evidence(exchange: Exchange): string {
  const body = excerpt(exchange);
  return `POST ${exchange.path} → ${exchange.status}${body ? ` ${body}` : ''}`;
}

/** The spec a run holds the target to, with one ajv over its schemas. */
export interface RunSpec {
  document: OpenApiDocument;
  ajv: ReturnType<typeof createSpecAjv>;
  /** Each schema's documented fields, by name, built on first use. */
  fields: Map<string, FieldTree | 0>;
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
  if (compiled?.text !== text) compiled = { text, spec: { document, ajv: createSpecAjv(document), fields: new Map() } };
  return compiled.spec;
}

/** Findings of one kind under one pointer family a report lists; the rest are counted in one more. */
export const FAMILY_CAP = 20;

// A pointer's family: its parent, array indices as `*` (every `/items/N/x` is one family).
const familyOf = (pointer = '') => pointer.replace(/\/[^/]*$/, '').replace(/\/\d+(?=\/|$)/g, '/*') || '/';

/**
 * At most FAMILY_CAP findings per kind and pointer family, in order; each family cut short gets one
 * more finding counting the rest (with their worst severity).
 */
export function capFamilies(
  found: Observation[],
  cap = FAMILY_CAP,
  undocumentedCounts = new Map<string, number>(),
): Observation[] {
  const seen = new Map<string, { kind: FindingKind; under: string; kept: number; rest: number; severity: Severity }>();
  const kept: Observation[] = [];
  for (const o of found) {
    const under = familyOf(o.pointer);
    const family = `${o.kind} ${under}`;
    const entry = seen.get(family) ?? { kind: o.kind, under, kept: 0, rest: 0, severity: 'info' };
    seen.set(family, entry);
    if (entry.kept < cap) {
      entry.kept++;
      kept.push(o);
    } else {
      entry.rest++;
      if (rank[o.severity] < rank[entry.severity]) entry.severity = o.severity;
    }
  }
  // Undocumented fields past the cap were only counted (bodyFindings).
  for (const [under, n] of undocumentedCounts) {
    if (n <= cap) continue;
    seen.set(`undocumented-field ${under}`, {
      kind: 'undocumented-field',
      under,
      kept: cap,
      rest: n - cap,
      severity: 'non-breaking',
    });
  }
  for (const { kind, under, rest, severity } of seen.values()) {
    if (rest === 0) continue;
    kept.push({
      kind,
      severity,
      pointer: under,
      message: `… and ${rest} more ${kind} finding${rest > 1 ? 's' : ''} under ${under} (not listed: the report keeps ${cap} per kind and pointer family)`,
      actual: rest,
    });
  }
  return kept;
}

const rank: Record<Severity, number> = { breaking: 0, 'non-breaking': 1, info: 2 };

/** The documented fields of a schema of the run's spec, as the client's own walk reads them. */
function fieldsOf(spec: RunSpec, schemaName: string): FieldTree | 0 {
  if (!spec.fields.has(schemaName)) {
    const schemas = spec.document.components.schemas as Record<string, Record<string, unknown>>;
    spec.fields.set(schemaName, fieldMap(schemas, schemas[schemaName]!));
  }
  return spec.fields.get(schemaName)!;
}

/**
 * Findings for a JSON body against a schema of the spec: every violation (`kind`, by default schema),
 * then every undocumented field, each family capped (capFamilies).
 */
export function bodyFindings(
  spec: RunSpec,
  schemaName: string,
  body: unknown,
  { severity = 'breaking', kind = 'schema' }: { severity?: Severity; kind?: FindingKind } = {},
): Observation[] {
  // Several checks judge one memoised exchange: a body is walked once per schema and wording.
  const memoKey = `${schemaName} ${severity} ${kind}`;
  const memo = body !== null && typeof body === 'object' ? judged.get(body) : undefined;
  const cached = memo?.get(memoKey);
  if (cached) return cached;
  const found = judgeBody(spec, schemaName, body, severity, kind);
  if (body !== null && typeof body === 'object') judged.set(body, (memo ?? new Map()).set(memoKey, found));
  return found;
}

// Findings by body (held only while the body is) and by schema and wording; the run's spec is the
// same for every judgement of one body (a body belongs to one run's exchange).
const judged = new WeakMap<object, Map<string, Observation[]>>();

function judgeBody(
  spec: RunSpec,
  schemaName: string,
  body: unknown,
  severity: Severity,
  kind: FindingKind,
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
        actual:
          error.keyword === 'required' ? undefined : boundedCopy(safeValue(valueAt(body, error.instancePath), pointer)),
      });
    }
  }
  // The client's own walk, over the run's spec: onDrift and the report call the same fields undocumented.
  // Only the pointers a report keeps become findings (a body may name 90,000 fields); the rest are counted.
  const perFamily = new Map<string, number>();
  for (const pointer of undocumentedFields(fieldsOf(spec, schemaName), body)) {
    const family = familyOf(pointer);
    const n = (perFamily.get(family) ?? 0) + 1;
    perFamily.set(family, n);
    if (n <= FAMILY_CAP)
      found.push({
        kind: 'undocumented-field',
        severity: 'non-breaking',
        pointer,
        message: undocumented(schemaName, pointer),
      });
  }
  return capFamilies(found, FAMILY_CAP, perFamily);
}

/**
 * A value for the report: below a token's place every string keeps only its prefix, whatever shape
 * the token drifted to (redaction by position, as under a token-named key).
 */
const safeValue = (value: unknown, pointer: string) =>
  /token/i.test(pointer) ? redact({ token: boundedCopy(value) }).token : value;

function valueAt(body: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (at, key) => (at as JsonObject | undefined)?.[key.replaceAll('~1', '/').replaceAll('~0', '~')],
      body,
    );
}
