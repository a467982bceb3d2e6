// An exchange against what the spec says of its response: status, content type and body, each kind
// of finding named, plus a calibration note for each assumption of the spec the exchange confirms or refutes.

import type { Exchange } from '../../http-kit/exchange.js';
import type { JsonObject } from '../../spec-kit/spec.js';
import { escapePointer, operationById, operationPath, resolveRef } from '../../spec-kit/spec-examples.js';
import { unsettledFacts } from '../../spec-kit/unsettled.js';
import { notJson, type Operation } from '../../src/drift-findings.js';
import {
  bodyFindings,
  evidence,
  type FindingKind,
  type Observed,
  type RunSpec,
  type Severity,
  saying,
} from './findings.js';
import { prismViolations, TargetUnavailableError } from './http.js';

/** The response's spec node and JSON pointer (the component's, when it is a `$ref`). */
function responseAt(
  spec: RunSpec,
  operationId: string,
  status: number,
): { node: JsonObject; pointer: string } | undefined {
  const raw = (operationById(spec.document, operationId).responses as JsonObject)[String(status)] as
    | JsonObject
    | undefined;
  if (!raw) return undefined;
  const pointer =
    typeof raw.$ref === 'string'
      ? raw.$ref
      : `${operationPath(spec.document, operationId).pointer}/responses/${status}`;
  return { node: resolveRef(spec.document, raw), pointer };
}

// A status an unsettled fact decides (e.g. import's 200 or 201) is calibrated as that fact, not as an assumption.
const decidedByFact = (spec: RunSpec, operationId: string, status: number) =>
  unsettledFacts(spec.document).some(
    (f) =>
      f.operation === operationId &&
      f.id.endsWith('-status') &&
      f.candidates.some((c) => String(c.value) === String(status)),
  );

/** The body's assumption, if any: the media schema itself, or the component schema it names. */
function bodyAssumption(spec: RunSpec, responsePointer: string, media: JsonObject): string | undefined {
  const schema = media.schema as JsonObject;
  if (schema['x-assumption'] === true) return `${responsePointer}/content/${escapePointer('application/json')}/schema`;
  const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
  return resolveRef<JsonObject>(spec.document, { $ref: ref || '#' })['x-assumption'] === true && ref ? ref : undefined;
}

/** What a violation Prism's proxy reports is about, by where it sits (`response`, `body` | `headers`, …). */
const prismKind = (location: string[] | undefined, bodyKind: FindingKind): FindingKind =>
  location?.[1] === 'body' ? bodyKind : location?.[1] === 'headers' ? 'content-type' : 'status';

/**
 * Status, content type and (for JSON) body of an exchange against what the spec says for that status,
 * plus calibration notes for each assumption the exchange confirms or refutes. A persisting 5xx on a
 * success probe means the service is failing (the run cannot give a verdict); on an error probe it is
 * drift: a server error where the spec promises a 4xx breaks every client's error handling.
 */
export function responseFindings(
  spec: RunSpec,
  operationId: string,
  exchange: Exchange,
  expectedStatus: number,
): Observed[] {
  const at = responseAt(spec, operationId, expectedStatus);
  const response = at?.node;
  const media = (response?.content as Record<string, JsonObject> | undefined)?.['application/json'];
  const bodyPointer = at && media ? bodyAssumption(spec, at.pointer, media) : undefined;
  const assumed = response?.['x-assumption'] === true || bodyPointer !== undefined;
  // A body that refutes an assumed error shape is worth knowing but misleads no client built from the spec.
  const bodyRefutesAssumption = assumed && expectedStatus >= 400;
  const bodySeverity: Severity = bodyRefutesAssumption ? 'info' : 'breaking';
  const bodyKind: FindingKind = bodyRefutesAssumption ? 'assumption' : 'schema';
  const violations = prismViolations(exchange);
  if (violations) {
    return violations.map((v) => ({
      kind: prismKind(v.location, bodyKind),
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
        kind: 'status',
        severity: 'breaking',
        message: `a documented ${expectedStatus} was answered HTTP ${exchange.status} (three times): a server error where the spec promises ${expectedStatus} breaks every client's error handling`,
        expected: expectedStatus,
        actual: exchange.status,
      },
    ];
  }
  const statusAssumed =
    response?.['x-assumption'] === true && at !== undefined && !decidedByFact(spec, operationId, expectedStatus);
  if (exchange.status !== expectedStatus) {
    return [
      {
        kind: 'status',
        severity: 'breaking',
        message: `expected HTTP ${expectedStatus}, got ${exchange.status}${saying(exchange)}${statusAssumed ? ' (the spec only assumes this status: if the service is right, correct spec/openapi.yaml and regenerate)' : ''}`,
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
        kind: 'content-type',
        severity: 'breaking',
        // The client's wording: a JSON-typed body that does not parse is said so, not "got application/json".
        message: notJson(operationId as Operation, exchange.contentType, []).message,
        expected: 'application/json',
        actual: exchange.contentType,
      },
    ];
  }
  const ref = ((media.schema as JsonObject).$ref as string).slice('#/components/schemas/'.length);
  const found = bodyFindings(spec, ref, exchange.json, { severity: bodySeverity, kind: bodyKind });
  const bodyRefuted = found.some((o) => o.severity !== 'non-breaking');
  // The response's own assumption covers its body too, unless the body carries one of its own.
  const notes = [
    ...(statusAssumed ? [note(at.pointer, !bodyPointer && bodyRefuted)] : []),
    ...(bodyPointer ? [note(bodyPointer, bodyRefuted)] : []),
  ];
  return [...notes, ...found];
}
