// The spec's two operations against a Didit OpenAPI document (`npm run upstream`). Both sides are
// projected onto what a document states of an operation — statuses, request and response fields
// (required, types, formats, bounds, enums), security — and compared by `npm run spec:diff`'s core
// (scripts/spec-compare.ts, the spec as base, Didit's document as head). Each change is then judged:
// a place an unsettled fact covers is that fact (info), or contradicts it once settled (breaking); a
// constraint or error status Didit's document does not state is its silence (non-breaking); a place a
// live run confirmed (`x-observed`) contradicted is breaking; a place the spec only assumes is info;
// anything else is new, breaking when spec:diff calls it major. The projection: upstream-project.ts.

import { compare, deref, type SpecChange } from '../scripts/spec-compare.js';
import type { OpenApiDocument } from '../spec-kit/spec.js';
import { type UnsettledFact, unsettledFacts } from '../spec-kit/unsettled.js';
import { CONSTRAINTS, dropUnstated, findOperation, isObject, type Json, projectOperation } from './upstream-project.js';

/** Didit's published OpenAPI document, as its llms.txt lists it. */
export const DIDIT_OPENAPI_URL = 'https://docs.didit.me/openapi-25.json';

export type Severity = 'breaking' | 'non-breaking' | 'info';

export interface UpstreamDifference {
  severity: Severity;
  /** The operation and the place, as spec:diff names it: `shareSession request body: ttl_in_seconds`. */
  where: string;
  what: string;
  /** Why this severity. */
  why: string;
  /** spec:diff's level, had the spec taken Didit's document's word. */
  level: SpecChange['level'];
  /** The unsettled fact the place belongs to, if any. */
  fact?: string;
}

const get = (node: unknown, path: (string | number)[]): unknown =>
  path.reduce<unknown>((n, k) => (isObject(n) || Array.isArray(n) ? (n as Json)[k as string] : undefined), node);

interface Side {
  /** The projected operations, keyed by our path. */
  projected: Json;
  /** The spec's operations dereferenced with every annotation (x-assumption, x-observed), parameters keyed as compare keys them. */
  annotated: Map<string, Json>;
}

/** The facts of an operation whose covered places include `where`. */
function factsAt(facts: UnsettledFact[], where: string): UnsettledFact[] {
  return facts.filter((f) =>
    (f.covers ?? []).some((place) => {
      const at = `${f.operation} ${place}`;
      return where === at || where.startsWith(`${at}:`) || where.startsWith(`${at}.`) || where.startsWith(`${at} `);
    }),
  );
}

function judgeFact(
  fact: UnsettledFact,
  upstreamOperation: Json | undefined,
): Omit<UpstreamDifference, 'where' | 'what' | 'level'> {
  if (!fact.settled)
    return {
      severity: 'info',
      fact: fact.id,
      why: `already unsettled: ${fact.id} (${fact.question}) lists the candidates of Didit's sources`,
    };
  const settled = String(fact.settled.value);
  const agrees = fact.id.endsWith('-status')
    ? isObject(upstreamOperation?.responses) && settled in (upstreamOperation.responses as Json)
    : fact.candidates.some((c) => c.source === DIDIT_OPENAPI_URL && String(c.value) === settled);
  return agrees
    ? {
        severity: 'info',
        fact: fact.id,
        why: `${fact.id} was settled on ${settled} (${fact.settled.on}), which Didit's document states too: the spec may follow it`,
      }
    : {
        severity: 'breaking',
        fact: fact.id,
        why: `contradicts ${fact.id}, settled on ${settled} by a live run on ${fact.settled.on} (${fact.settled.evidence})`,
      };
}

/** The annotation on the node a change is about (the keyword's schema, or the schema holding a property). */
function annotationAt(annotated: Json | undefined, path: (string | number)[]): 'observed' | 'assumed' | undefined {
  for (const cut of [1, 2]) {
    const node = get(annotated, path.slice(0, -cut));
    if (!isObject(node)) continue;
    if (isObject(node['x-observed']) && node['x-observed'].verdict === 'confirmed') return 'observed';
    if (node['x-assumption'] === true) return 'assumed';
  }
  return undefined;
}

/** Parameters keyed `in name`, as spec:diff's core keys them in a change's path. */
const keyed = (params: unknown): Json =>
  Object.fromEntries(((params as Json[] | undefined) ?? []).map((p) => [`${String(p.in)} ${String(p.name)}`, p]));

/** The spec's operations (by method and path) and the same operations in Didit's document. */
function sides(spec: OpenApiDocument, upstream: Json): { base: Side; head: Side; missing: string[] } {
  const base: Side = { projected: {}, annotated: new Map() };
  const head: Side = { projected: {}, annotated: new Map() };
  const missing: string[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
      const id = operation.operationId;
      const ours = projectOperation(spec as unknown as Json, item as Json, operation, id);
      const resolved = deref(spec, operation) as Json;
      base.annotated.set(id, { ...resolved, parameters: keyed(resolved.parameters) });
      base.projected[path] = { ...(base.projected[path] as Json), [method]: ours };
      const found = findOperation(upstream, method, path);
      if (!found) {
        missing.push(id);
        continue;
      }
      const theirs = projectOperation(upstream, found.item, found.operation, id);
      dropUnstated(ours, theirs);
      head.annotated.set(id, { ...theirs, parameters: keyed(theirs.parameters) });
      head.projected[path] = { ...(head.projected[path] as Json), [method]: theirs };
    }
  }
  return { base, head, missing };
}

/** Whether the spec requires the field at `path` (…/properties/<field>) of operation `id`. */
function requiredIn(side: Side, id: string, path: (string | number)[]): boolean {
  const schema = get(side.annotated.get(id), path.slice(0, -2));
  return isObject(schema) && Array.isArray(schema.required) && schema.required.includes(path.at(-1));
}

/** Every difference between the spec's operations and Didit's document, each judged. */
export function compareUpstream(spec: OpenApiDocument, upstream: Json): UpstreamDifference[] {
  const { base, head } = sides(spec, upstream);
  const facts = unsettledFacts(spec);
  const changes = compare({ openapi: '3.1.0', paths: base.projected }, { openapi: '3.1.0', paths: head.projected });
  return changes.map((change) => {
    const id = change.where.split(' ')[0] ?? '';
    const upstreamOperation = head.annotated.get(id);
    const { level, where, what } = change;
    const at = { level, where, what };
    const covering = factsAt(facts, where);
    // Of the facts that decide the place, a contradicted one speaks first.
    const judged = covering.map((f) => judgeFact(f, upstreamOperation));
    const verdict = judged.find((j) => j.severity === 'breaking') ?? judged[0];
    if (verdict) return { ...at, ...verdict, why: judged.map((j) => j.why).join('; ') };
    if (!upstreamOperation)
      return { ...at, severity: 'breaking', why: "Didit's document no longer describes this operation" };
    // Silence contradicts nothing, not even what a live run confirmed.
    if (what === 'status removed' && !/ response 2\d\d$/.test(where))
      return {
        ...at,
        severity: 'non-breaking',
        why: "Didit's document does not list this error status: the spec's own sources do",
      };
    if (what === 'removed' && change.path.at(-2) === 'properties' && !requiredIn(base, id, change.path))
      return {
        ...at,
        severity: 'non-breaking',
        why: "Didit's document does not list this optional field: the spec's own sources do",
      };
    const keyword = String(change.path.at(-1));
    if (CONSTRAINTS.has(keyword) && get(upstreamOperation, change.path) === undefined)
      return {
        ...at,
        severity: 'non-breaking',
        why: `Didit's document does not state ${keyword}: the spec's own sources do`,
      };
    const annotation = annotationAt(base.annotated.get(id), change.path);
    if (annotation === 'observed')
      return { ...at, severity: 'breaking', why: `contradicts what a live run confirmed (x-observed): ${change.why}` };
    if (annotation === 'assumed')
      return { ...at, severity: 'info', why: `the spec only assumes this (x-assumption): ${change.why}` };
    return {
      ...at,
      severity: level === 'major' ? 'breaking' : 'non-breaking',
      why: `new in Didit's document: ${change.why}`,
    };
  });
}
