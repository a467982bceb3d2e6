// What an OpenAPI document states of an operation, as `npm run upstream` compares it
// (upstream-compare.ts): statuses, request and response fields (required, types, formats, bounds,
// enums) and security, annotations dropped; the operation found by method and path, and bounded in
// how far its $refs expand before anything resolves them.
import { deref } from '../scripts/spec-compare.js';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const SCHEMA_KEYWORDS = [
  'type',
  'format',
  'enum',
  'const',
  'required',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
  'default',
];
/** Constraints a document may leave unstated: the spec stating one Didit's document does not is its silence. */
export const CONSTRAINTS = new Set(SCHEMA_KEYWORDS.filter((k) => !['type', 'enum', 'required'].includes(k)));
const MAX_DEPTH = 64;

/** What a schema states that a consumer's code sees: annotations dropped, 3.0's `nullable` as 3.1's type. */
function projectSchema(schema: unknown, depth = 0): unknown {
  if (!isObject(schema) || depth > MAX_DEPTH) return isObject(schema) ? {} : schema;
  const out: Json = {};
  for (const k of SCHEMA_KEYWORDS) if (k in schema) out[k] = schema[k];
  if (schema.nullable === true && out.type !== undefined) {
    const types = Array.isArray(out.type) ? out.type : [out.type];
    out.type = types.includes('null') ? types : [...types, 'null'];
  }
  if (isObject(schema.properties))
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, projectSchema(v, depth + 1)]),
    );
  for (const k of ['items', 'additionalProperties'])
    if (k in schema) out[k] = isObject(schema[k]) ? projectSchema(schema[k], depth + 1) : schema[k];
  for (const k of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(schema[k])) out[k] = (schema[k] as unknown[]).map((s) => projectSchema(s, depth + 1));
  return out;
}

const projectContent = (content: unknown): Json | undefined =>
  isObject(content)
    ? Object.fromEntries(
        Object.entries(content).map(([type, media]) => [
          type,
          isObject(media) && 'schema' in media ? { schema: projectSchema(media.schema) } : {},
        ]),
      )
    : undefined;

/** The security an operation states (its own, else the document's), as the schemes it names. */
function projectSecurity(doc: Json, operation: Json): unknown[] {
  const requirements = (operation.security ?? doc.security ?? []) as unknown[];
  const schemes = (
    isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {}
  ) as Json;
  return (Array.isArray(requirements) ? requirements : []).map((req) =>
    Object.keys(isObject(req) ? req : {})
      .sort()
      .map((name) => {
        const s = schemes[name];
        return isObject(s) ? { type: s.type, in: s.in, name: s.name, scheme: s.scheme } : { unknown: name };
      }),
  );
}

/** One operation as a document states it to a consumer: parameters, body, responses, security. */
export function projectOperation(doc: Json, item: Json, operation: Json, operationId: string): Json {
  const resolved = deref(doc, operation) as Json;
  const params = [
    ...((deref(doc, item.parameters) as Json[] | undefined) ?? []),
    ...((resolved.parameters as Json[]) ?? []),
  ];
  const body = isObject(resolved.requestBody) ? resolved.requestBody : undefined;
  return {
    operationId,
    parameters: params.filter(isObject).map((p) => ({
      in: p.in,
      name: p.name,
      required: p.required === true,
      schema: projectSchema(p.schema),
    })),
    ...(body ? { requestBody: { required: body.required === true, content: projectContent(body.content) ?? {} } } : {}),
    responses: Object.fromEntries(
      Object.entries(isObject(resolved.responses) ? resolved.responses : {}).map(([status, r]) => {
        const content = isObject(r) ? projectContent(r.content) : undefined;
        return [status, content ? { content } : {}];
      }),
    ),
    security: projectSecurity(doc, operation),
  };
}

/** Nodes an operation expands to once its local $refs are resolved: refs shared many times multiply. */
export const MAX_EXPANDED_NODES = 200_000;

function expandedSize(doc: Json, node: unknown, memo: Map<string, number>, resolving: Set<string>): number {
  if (Array.isArray(node)) return node.reduce<number>((n, v) => n + expandedSize(doc, v, memo, resolving), 1);
  if (!isObject(node)) return 1;
  const ref = node.$ref;
  let size = 1;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    if (!memo.has(ref)) {
      if (resolving.has(ref)) return 1; // a cycle stays a $ref
      resolving.add(ref);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((n, k) => (isObject(n) ? n[k.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined), doc);
      memo.set(ref, expandedSize(doc, target, memo, resolving));
      resolving.delete(ref);
    }
    size += memo.get(ref)!;
    if (size > MAX_EXPANDED_NODES) return size;
  }
  for (const [k, v] of Object.entries(node)) if (k !== '$ref') size += expandedSize(doc, v, memo, resolving);
  return size;
}

const normalPath = (path: string) => path.replace(/\{[^}]*\}/g, '{}');

/** The operation at `method path` in a document (path parameters compared by position, not name). */
export function findOperation(doc: Json, method: string, path: string): { item: Json; operation: Json } | undefined {
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [p, item] of Object.entries(paths)) {
    if (normalPath(p) !== normalPath(path)) continue;
    // Refs shared at every level expand exponentially: measured (memoised) before anything resolves them.
    if (expandedSize(doc, item, new Map(), new Set()) > MAX_EXPANDED_NODES)
      throw new Error(`${p} expands past ${MAX_EXPANDED_NODES} nodes once its $refs are resolved: refused`);
    const resolved = deref(doc, item);
    if (isObject(resolved) && isObject(resolved[method]))
      return { item: resolved, operation: resolved[method] as Json };
  }
  return undefined;
}

/** Where Didit's document states no body (or no schema of one), the spec's is not compared: it is silent there. */
export function dropUnstated(ours: Json, theirs: Json): void {
  const [mine, their] = [ours.responses as Json, theirs.responses as Json];
  for (const [status, response] of Object.entries(mine)) {
    const upstream = their[status] as Json | undefined;
    if (!upstream) continue;
    const content = (response as Json).content as Json | undefined;
    if (!content) continue;
    const theirContent = upstream.content as Json | undefined;
    if (!theirContent) {
      delete (response as Json).content;
      continue;
    }
    for (const [type, media] of Object.entries(content))
      if (!('schema' in ((theirContent[type] as Json | undefined) ?? {}))) delete (media as Json).schema;
  }
}
