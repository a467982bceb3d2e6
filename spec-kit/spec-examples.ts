// Every example the spec holds, paired with the schema it must satisfy: Prism serves these as the
// mock's answers without checking them, so the project's tests check each one with ajv.
import type { JsonObject, OpenApiDocument } from './spec.js';

export interface SpecExample {
  /** JSON pointer of the example in the spec, for the failure message. */
  pointer: string;
  schema: unknown;
  value: unknown;
}

/** A key as one JSON pointer segment. */
export const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** Follows a local `$ref` to a response, header, parameter or request body (not to a schema). */
export function resolveRef<T = JsonObject>(spec: OpenApiDocument, node: unknown): T {
  let current = node as JsonObject;
  while (typeof current.$ref === 'string') {
    const ref = current.$ref;
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (at, key) => (at as JsonObject)[key.replaceAll('~1', '/').replaceAll('~0', '~')],
        spec,
      ) as JsonObject;
    if (current === undefined) throw new Error(`unresolvable $ref ${ref}`);
  }
  return current as T;
}

/** The operation with this operationId; throws when the spec has none. */
export function operationById(spec: OpenApiDocument, operationId: string): JsonObject {
  return spec.paths[operationPath(spec, operationId).path]![operationPath(spec, operationId).method]!;
}

/** Where an operation sits: its path, method and JSON pointer (`#/paths/~1v3…/post`). */
export function operationPath(
  spec: OpenApiDocument,
  operationId: string,
): { path: string; method: string; pointer: string } {
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op.operationId === operationId) return { path, method, pointer: `#/paths/${escapePointer(path)}/${method}` };
    }
  }
  throw new Error(`no operation ${operationId} in the spec`);
}

/** The first JSON example of an operation's request body (`'request'`) or of one of its responses. */
export function firstExample(spec: OpenApiDocument, operationId: string, where: 'request' | number): JsonObject {
  const op = operationById(spec, operationId);
  const holder = where === 'request' ? op.requestBody : (op.responses as JsonObject)[String(where)];
  const media = (resolveRef(spec, holder).content as Record<string, JsonObject>)['application/json']!;
  return Object.values(media.examples as Record<string, JsonObject>)[0]!.value as JsonObject;
}

/** Examples of one media type, parameter or header: `example` or each value of `examples`. */
function examplesOf(holder: JsonObject, schema: unknown, pointer: string): SpecExample[] {
  const found: SpecExample[] = [];
  if ('example' in holder) found.push({ pointer: `${pointer}/example`, schema, value: holder.example });
  for (const [name, example] of Object.entries((holder.examples ?? {}) as Record<string, JsonObject>)) {
    found.push({ pointer: `${pointer}/examples/${escapePointer(name)}`, schema, value: example.value });
  }
  return found;
}

function contentExamples(content: unknown, pointer: string): SpecExample[] {
  return Object.entries((content ?? {}) as Record<string, JsonObject>).flatMap(([type, media]) =>
    examplesOf(media, media.schema, `${pointer}/content/${escapePointer(type)}`),
  );
}

export function collectExamples(spec: OpenApiDocument): SpecExample[] {
  const found: SpecExample[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const at = `#/paths/${escapePointer(path)}/${method}`;
      for (const [i, parameter] of ((operation.parameters ?? []) as unknown[]).entries()) {
        const resolved = resolveRef(spec, parameter);
        found.push(...examplesOf(resolved, resolved.schema, `${at}/parameters/${i}`));
      }
      if (operation.requestBody)
        found.push(...contentExamples(resolveRef(spec, operation.requestBody).content, `${at}/requestBody`));
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, unknown>)) {
        const resolved = resolveRef(spec, response);
        found.push(...contentExamples(resolved.content, `${at}/responses/${status}`));
        for (const [name, header] of Object.entries((resolved.headers ?? {}) as Record<string, unknown>)) {
          const h = resolveRef(spec, header);
          found.push(...examplesOf(h, h.schema, `${at}/responses/${status}/headers/${escapePointer(name)}`));
        }
      }
    }
  }
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    for (const [i, value] of ((schema.examples ?? []) as unknown[]).entries()) {
      found.push({ pointer: `#/components/schemas/${escapePointer(name)}/examples/${i}`, schema, value });
    }
  }
  return found;
}
