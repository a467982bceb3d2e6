// The fields a response schema names, as a map: what the client's `onDrift` (through generated/) and
// the drift suite (through the spec it holds the target to) both walk to find undocumented fields,
// with one function (src/drift.ts, undocumentedFields).

type Schemas = Record<string, Record<string, unknown>>;

/** A schema's documented fields: `{ field: 0 }`, or a nested map where the field's schema names its own. */
export type FieldTree = { [field: string]: FieldTree | 0 };

/**
 * The fields a schema names, as `{ field: 0 }`, or a nested map where the field's own schema names
 * its fields: only where `properties` are listed (a schema without them documents no fields, so
 * none below it is undocumented).
 */
export function fieldMap(schemas: Schemas, schema: Record<string, unknown>, depth = 0): FieldTree | 0 {
  const ref = typeof schema.$ref === 'string' ? schema.$ref.replace('#/components/schemas/', '') : undefined;
  const s = ref === undefined ? schema : schemas[ref];
  if (!s) throw new Error(`unresolved $ref ${String(schema.$ref)}`);
  if (!s.properties || depth > 16) return 0;
  return Object.fromEntries(
    Object.entries(s.properties as Schemas).map(([name, property]) => [name, fieldMap(schemas, property, depth + 1)]),
  );
}
