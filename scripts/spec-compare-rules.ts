// The rules of scripts/spec-compare.ts: one structural difference (from microdiff) inside one operation
// → classified changes. By side: a request narrowing (fewer values admitted) breaks the code that sends
// it; a response widening (more values may arrive) breaks the code that reads it; the reverse does not.
import type { Difference } from 'microdiff';

export type Level = 'major' | 'minor' | 'patch';

export interface SpecChange {
  level: Level;
  /** The operation and the place, e.g. `shareSession response 200: session_kind`. */
  where: string;
  /** What changed, e.g. `maximum 86400 → 43200`. */
  what: string;
  /** Why this level, for a consumer of the package. */
  why: string;
  /** Where in the compared operation (after $refs are resolved; parameters keyed `in name`), for tools. */
  path: (string | number)[];
}

type Json = Record<string, unknown>;
type Path = (string | number)[];
export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keywords that hold subschemas, and how many path segments name one (`properties/<name>`: 2). */
const SUBSCHEMA = new Map<string, 1 | 2>([
  ...['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'].map(
    (k) => [k, 1] as const,
  ),
  ...['properties', 'patternProperties', 'prefixItems', 'anyOf', 'oneOf', 'allOf', '$defs', 'dependentSchemas'].map(
    (k) => [k, 2] as const,
  ),
]);
export const ANNOTATIONS = new Set([
  'description',
  'title',
  'summary',
  'examples',
  'example',
  '$comment',
  'externalDocs',
  'tags',
  'operationId',
  'xml',
]);
const UPPER = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains']);
const LOWER = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains']);
/** Array-valued keywords, judged as the sets before and after rather than index by index. */
export const SET_VALUED = new Set(['required', 'enum', 'type']);

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
const asSet = (v: unknown) => new Set<unknown>(v === undefined ? [] : Array.isArray(v) ? v : [v]);
const get = (node: unknown, path: Path): unknown =>
  path.reduce<unknown>((n, k) => (isObject(n) || Array.isArray(n) ? (n as Json)[k as string] : undefined), node);
const doc = (why: string) => `documentation only: ${why}`;

interface At {
  op: string;
  place: string;
  side: 'request' | 'response';
  path: Path;
}

function change(at: At, level: Level, what: string, why: string): SpecChange {
  return { level, where: `${at.op} ${at.place}`, what, why, path: at.path };
}

/** A narrowing breaks a request's senders, a widening a response's readers. */
function directed(at: At, narrower: boolean, what: string, reason: string): SpecChange {
  const breaks = at.side === 'request' ? narrower : !narrower;
  const why =
    at.side === 'request'
      ? breaks
        ? `the request validator now refuses what the base accepted (${reason})`
        : `requests valid against the base stay valid (${reason})`
      : breaks
        ? `answers may carry what code written against the base does not expect (${reason})`
        : `answers valid now were valid against the base (${reason})`;
  return change(at, breaks ? 'major' : 'minor', what, why);
}

/** A whole property appeared or went away. */
function propertyChange(at: At, d: Difference, parent: unknown, name: string): SpecChange[] {
  const required = asSet(isObject(parent) ? parent.required : undefined).has(name);
  if (d.type === 'CREATE') {
    if (at.side === 'request' && required)
      return [change(at, 'major', 'added, required', 'code written against the base does not send it')];
    const why = at.side === 'request' ? 'existing calls stay valid' : 'code written against the base ignores it';
    return [change(at, 'minor', `added, ${required ? 'required' : 'optional'}`, why)];
  }
  const why =
    at.side === 'request'
      ? 'code that sends it no longer compiles (an excess property) and the service no longer documents it'
      : 'code written against the base reads it and gets nothing';
  return [change(at, 'major', 'removed', why)];
}

function setChange(at: At, kw: string, o: Json, n: Json): SpecChange[] {
  const [before, after] = [asSet(o[kw]), asSet(n[kw])];
  const added = [...after].filter((v) => !before.has(v));
  const removed = [...before].filter((v) => !after.has(v));
  if (kw === 'required') {
    // A field added or removed with its required-ness is judged as the field (propertyChange).
    const props = (x: Json) => (isObject(x.properties) ? x.properties : {});
    const field = (name: unknown) => ({
      ...at,
      place: `${at.place}${at.place.includes(': ') ? '.' : ': '}${String(name)}`,
    });
    return [
      ...added
        .filter((f) => String(f) in props(o))
        .map((f) =>
          at.side === 'request'
            ? change(field(f), 'major', 'now required', 'code written against the base may not send it')
            : change(field(f), 'minor', 'now always present', 'code written against the base already handles it'),
        ),
      ...removed
        .filter((f) => String(f) in props(n))
        .map((f) =>
          at.side === 'request'
            ? change(field(f), 'minor', 'now optional', 'existing calls stay valid')
            : change(field(f), 'major', 'now optional', 'code written against the base reads it as always present'),
        ),
    ];
  }
  if (kw === 'enum' && at.side === 'response') {
    const what = `enum ${[...added.map((v) => `+${show(v)}`), ...removed.map((v) => `−${show(v)}`)].join(' ')}`;
    const why =
      added.length > 0
        ? 'a value code written against the base does not handle may arrive'
        : 'a value code written against the base handles is no longer documented';
    return [change(at, 'major', what, why)];
  }
  const noun = kw === 'type' ? 'types' : 'values';
  return [
    ...(added.length > 0 ? [directed(at, false, `${kw} + ${added.map(show).join(', ')}`, `${noun} admitted`)] : []),
    ...(removed.length > 0 ? [directed(at, true, `${kw} − ${removed.map(show).join(', ')}`, `${noun} refused`)] : []),
  ];
}

function keywordChange(at: At, d: Difference, kw: string, o: Json, n: Json, whole: boolean): SpecChange[] {
  const [a, b] = [o[kw], n[kw]];
  if (ANNOTATIONS.has(kw) || kw.startsWith('x-'))
    return [change(at, 'patch', `${kw} edited`, doc('no type or validation changes'))];
  if (kw === 'default')
    return [change(at, 'minor', `default ${show(a)} → ${show(b)}`, 'what an omitted field means changed')];
  if (['deprecated', 'readOnly', 'writeOnly'].includes(kw))
    return [change(at, 'minor', `${kw} ${show(a)} → ${show(b)}`, 'advice to consumers; validation unchanged')];
  if (SET_VALUED.has(kw)) return setChange(at, kw, o, n);
  if (kw === 'nullable') return [directed(at, b !== true, `nullable ${show(a)} → ${show(b)}`, 'null')];
  if (UPPER.has(kw) || LOWER.has(kw)) {
    if (b === undefined) return [directed(at, false, `${kw} ${show(a)} removed`, 'bound dropped')];
    const tighter =
      a === undefined || (typeof a === 'number' && typeof b === 'number' && (UPPER.has(kw) ? b < a : b > a));
    return [directed(at, tighter, `${kw} ${show(a)} → ${show(b)}`, tighter ? 'bound tightened' : 'bound loosened')];
  }
  if (kw === 'uniqueItems') return [directed(at, b === true, `uniqueItems ${show(a)} → ${show(b)}`, 'uniqueness')];
  if (whole && d.type === 'REMOVE') return [directed(at, false, `${kw} ${show(a)} removed`, 'constraint dropped')];
  if (whole && d.type === 'CREATE') return [directed(at, true, `${kw} ${show(b)} added`, 'constraint added')];
  // pattern, format, const, multipleOf…: a changed constraint may refuse values once valid, and admit others.
  return [change(at, 'major', `${kw} ${show(a)} → ${show(b)}`, `a changed ${kw} may refuse what the base accepted`)];
}

/** A difference inside a schema whose root is at `root` in the operation. */
export function schemaChange(
  op: string,
  place: string,
  side: At['side'],
  root: Path,
  d: Difference,
  base: Json,
  head: Json,
): SpecChange[] {
  const rest = d.path.slice(root.length);
  const names: string[] = [];
  let i = 0;
  for (
    let span = SUBSCHEMA.get(String(rest[0]));
    span !== undefined && i + span <= rest.length;
    span = SUBSCHEMA.get(String(rest[i]))
  ) {
    const [kw, sub] = [String(rest[i]), rest[i + 1]];
    names.push(
      kw === 'properties'
        ? String(sub)
        : kw === 'items' || kw === 'prefixItems'
          ? '[]'
          : span === 2
            ? `${kw}[${String(sub)}]`
            : kw,
    );
    i += span;
    if (i === rest.length) {
      const at = { op, place: `${place}: ${names.join('.')}`, side, path: d.path };
      const parent = get(d.type === 'REMOVE' ? base : head, [...root, ...rest.slice(0, i - span)]);
      if (kw === 'properties' && d.type !== 'CHANGE') return propertyChange(at, d, parent, String(sub));
      const widens = kw === 'anyOf' || kw === 'oneOf' ? d.type === 'CREATE' : d.type === 'REMOVE';
      return [
        directed(
          at,
          !widens,
          `${kw} ${d.type === 'CREATE' ? 'added' : d.type === 'REMOVE' ? 'removed' : 'changed'}`,
          kw,
        ),
      ];
    }
  }
  const at = { op, place: names.length > 0 ? `${place}: ${names.join('.')}` : place, side, path: d.path };
  const node = [...root, ...rest.slice(0, i)];
  const [o, n] = [get(base, node), get(head, node)];
  if (i === rest.length)
    return [
      directed(at, d.type === 'CREATE', `schema ${d.type === 'CREATE' ? 'added' : 'removed'}`, 'the whole schema'),
    ];
  return keywordChange(at, d, String(rest[i]), isObject(o) ? o : {}, isObject(n) ? n : {}, i + 1 === rest.length);
}
