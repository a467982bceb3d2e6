// Loads spec/openapi.yaml and turns its component schemas into one ajv (JSON Schema 2020-12) schema,
// so generation, the tests and the contract suite all validate against the spec itself, never a copy.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Options } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export const SPEC_PATH = fileURLToPath(new URL('../spec/openapi.yaml', import.meta.url));

/** The `$id` under which the spec's component schemas are registered with ajv. */
export const SPEC_SCHEMA_ID = 'didit-share-spec';

/** OpenAPI keywords that are not JSON Schema; declared so ajv's strict mode accepts them. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs', 'x-assumption', 'x-sources', 'x-observed'];

export type JsonObject = Record<string, unknown>;

export interface OpenApiDocument extends JsonObject {
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject> } & JsonObject;
}

export function loadSpec(path: string = SPEC_PATH): OpenApiDocument {
  return parse(readFileSync(path, 'utf8')) as OpenApiDocument;
}

/** `#/components/schemas/X` → `didit-share-spec#/$defs/X`, so any schema of the spec can be compiled. */
export function schemaRef(name: string): string {
  return `${SPEC_SCHEMA_ID}#/$defs/${name}`;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')
        ? schemaRef(value.slice('#/components/schemas/'.length))
        : rewriteRefs(value);
  }
  return out;
}

/** Rewrites a schema taken from anywhere in the spec so its `$ref`s resolve in a spec ajv. */
export function specSchema(schema: unknown): JsonObject {
  return rewriteRefs(schema) as JsonObject;
}

export type FormatMode = 'full' | 'fast';

/**
 * An ajv for the spec: 2020-12 (OpenAPI 3.1's dialect, which Prism does not use), strict, every
 * error reported. `fast` formats are plain regular expressions, which standalone code can inline.
 */
export function createSpecAjv(spec: OpenApiDocument = loadSpec(), opts: Options = {}, formats: FormatMode = 'full') {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true, allowUnionTypes: true, ...opts });
  ajv.addVocabulary(OPENAPI_KEYWORDS);
  addFormats.default(ajv, { mode: formats });
  ajv.addSchema({ $id: SPEC_SCHEMA_ID, $defs: specSchema(spec.components.schemas) });
  return ajv;
}
