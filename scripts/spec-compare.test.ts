// The comparison core of `npm run spec:diff`: each edit of the spec, made to a copy, is classified for
// the package's consumers with the level a consumer would give it, naming the field and the keyword.
import { describe, expect, it } from 'vitest';
import { type JsonObject, loadSpec, type OpenApiDocument } from '../spec-kit/spec.js';
import { compare, deref, levelOf } from './spec-compare.js';

const spec = loadSpec();
type Schema = JsonObject & { properties: Record<string, JsonObject>; required?: string[] };
const schema = (doc: OpenApiDocument, name: string) => doc.components.schemas[name] as Schema;
/** A field name the schema does not have, so an "added field" is new whatever the spec holds. */
const unusedName = (s: Schema) => ['expires_at', 'note', 'added_field'].find((n) => !(n in s.properties))!;

const edits: Array<[string, (doc: OpenApiDocument) => void, string, RegExp]> = [
  ['a description edit', (d) => void ((d.info as JsonObject).description = 'Edited.'), 'patch', /info\.description/],
  [
    'a field description edit',
    (d) => void (schema(d, 'ShareSessionRequest').properties.ttl_in_seconds!.description = 'Edited.'),
    'patch',
    /request body: ttl_in_seconds — description edited/,
  ],
  [
    'an optional response field added',
    (d) =>
      void (schema(d, 'ShareSessionResponse').properties[unusedName(schema(d, 'ShareSessionResponse'))] = {
        type: 'string',
        format: 'date-time',
      }),
    'minor',
    /response 200: \w+ — added, optional/,
  ],
  [
    'an optional request field added',
    (d) =>
      void (schema(d, 'ShareSessionRequest').properties[unusedName(schema(d, 'ShareSessionRequest'))] = {
        type: 'string',
        maxLength: 200,
      }),
    'minor',
    /request body: \w+ — added, optional/,
  ],
  [
    'a required request field added',
    (d) => {
      const s = schema(d, 'ShareSessionRequest');
      const name = unusedName(s);
      s.properties[name] = { type: 'string' };
      s.required = [...(s.required ?? []), name];
    },
    'major',
    /request body: \w+ — added, required/,
  ],
  [
    'session_kind removed from the share response',
    (d) => {
      const s = schema(d, 'ShareSessionResponse');
      delete s.properties.session_kind;
      s.required = s.required?.filter((f) => f !== 'session_kind');
    },
    'major',
    /shareSession response 200: session_kind — removed/,
  ],
  [
    'a lowered TTL maximum',
    (d) => void (schema(d, 'ShareSessionRequest').properties.ttl_in_seconds!.maximum = 43200),
    'major',
    /ttl_in_seconds — maximum 86400 → 43200/,
  ],
  [
    'a raised TTL maximum',
    (d) => void (schema(d, 'ShareSessionRequest').properties.ttl_in_seconds!.maximum = 172800),
    'minor',
    /maximum 86400 → 172800/,
  ],
  [
    'a response enum widened',
    (d) => void (schema(d, 'SessionKind').enum = ['user', 'business', 'company']),
    'major',
    /session_kind — enum \+"company"/,
  ],
  [
    'a response field made nullable',
    (d) =>
      void (schema(d, 'ShareSessionResponse').properties.for_application_id = {
        type: ['string', 'null'],
        format: 'uuid',
      }),
    'major',
    /for_application_id — type \+ "null"/,
  ],
  [
    'a success status removed',
    (d) => void delete (d.paths['/v3/session/import-shared/']!.post!.responses as JsonObject)['200'],
    'major',
    /importSharedSession response 200 — status removed/,
  ],
];

describe('compare(base, head): each edit classified for consumers', () => {
  it.each(edits)('%s → %s', (_what, edit, level, named) => {
    const head = structuredClone(spec);
    edit(head);
    const changes = compare(spec, head);
    expect(levelOf(changes)).toBe(level);
    expect(changes.map((c) => `${c.where} — ${c.what}`).join('\n')).toMatch(named);
    expect(changes.every((c) => c.why.length > 0)).toBe(true);
  });

  it('finds no change between a document and itself', () => {
    expect(compare(spec, structuredClone(spec))).toEqual([]);
    expect(levelOf([])).toBe('none');
  });

  it('narrows to the operations asked for, by operationId or by method and path', () => {
    const head = structuredClone(spec);
    schema(head, 'SessionKind').enum = ['user'];
    const wheres = (ops: string[]) => [
      ...new Set(compare(spec, head, { operations: ops }).map((c) => c.where.split(' ')[0])),
    ];
    expect(wheres(['shareSession'])).toEqual(['shareSession']);
    expect(wheres(['POST /v3/session/import-shared/'])).toEqual(['importSharedSession']);
  });

  it("reads $ref siblings as overrides, so a $ref's own description is documentation, not a type change", () => {
    const resolved = deref(spec, { $ref: '#/components/schemas/Uuid', description: 'x' }) as JsonObject;
    expect(resolved).toMatchObject({ type: 'string', format: 'uuid', description: 'x' });
  });
});
