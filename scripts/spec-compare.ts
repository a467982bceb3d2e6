// Classifies the change between two OpenAPI documents (3.0 or 3.1) for the consumers of the generated
// types and the client: major, minor or patch, each change named with why. microdiff's structural diff
// of each operation (local $refs resolved, parameters keyed by place and name) supplies the changes; the
// rules (spec-compare-rules.ts) classify them. The TypeScript compiler judges what types can see as well
// (scripts/spec-types-verdict.ts); these rules also see what types cannot (bounds, lengths, patterns,
// formats, request enums, statuses, required-ness).
//
//   compare(baseDoc, headDoc, { operations: ['shareSession'] }) → SpecChange[];  levelOf(changes) → 'major' | …
import diff, { type Difference } from 'microdiff';
import { parse } from 'yaml';
import { ANNOTATIONS, isObject, type Level, SET_VALUED, type SpecChange, schemaChange } from './spec-compare-rules.js';

export type { Level, SpecChange } from './spec-compare-rules.js';

export interface CompareOptions {
  /** The operations to compare, as operationIds or `POST /v3/…`; default every operation of either document. */
  operations?: string[];
}

type Json = Record<string, unknown>;
const RANK: Record<Level, number> = { patch: 0, minor: 1, major: 2 };

/** The highest level of the changes; `none` when there is no change at all. */
export function levelOf(changes: SpecChange[]): Level | 'none' {
  return changes.reduce<Level | 'none'>(
    (top, c) => (top === 'none' || RANK[c.level] > RANK[top] ? c.level : top),
    'none',
  );
}

function pointer(doc: unknown, ref: string): unknown {
  const parts = ref
    .slice(2)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  return parts.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), doc);
}

/** Local `$ref`s resolved in place; a `$ref`'s siblings (a description) override; a cycle stays a `$ref`. */
export function deref(doc: unknown, node: unknown, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n, seen));
  if (!isObject(node)) return node;
  const { $ref, ...rest } = node;
  const own = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, deref(doc, v, seen)]));
  if (typeof $ref !== 'string') return own;
  if (!$ref.startsWith('#/') || seen.includes($ref)) return { $ref, ...own };
  const target = deref(doc, pointer(doc, $ref), [...seen, $ref]);
  return isObject(target) ? { ...target, ...own } : target;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
interface Operation {
  key: string;
  id: string;
  body: Json;
}

/** Each operation keyed `POST /path/{}/` (path parameters' names do not matter); its parameters keyed `in name`. */
function operationsOf(doc: unknown): Map<string, Operation> {
  const out = new Map<string, Operation>();
  const paths = isObject(doc) && isObject(doc.paths) ? doc.paths : {};
  for (const [path, raw] of Object.entries(paths)) {
    const item = deref(doc, raw) as Json;
    for (const method of METHODS.filter((m) => isObject(item[m]))) {
      const op = item[method] as Json;
      const params = [...((item.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])];
      const key = `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;
      const body = {
        ...op,
        parameters: Object.fromEntries(params.map((p) => [`${String(p.in)} ${String(p.name)}`, p])),
      };
      out.set(key, { key, id: typeof op.operationId === 'string' ? op.operationId : key, body });
    }
  }
  return out;
}

const newValue = (d: Difference) => (d.type === 'REMOVE' ? undefined : d.value);

function operationChange(op: string, d: Difference, base: Json, head: Json): SpecChange[] {
  const [top, second, third, fourth, fifth] = d.path.map(String);
  const at = (level: Level, place: string, what: string, why: string): SpecChange[] => [
    { level, where: `${op} ${place}`, what, why, path: d.path },
  ];
  const added = d.type === 'CREATE';
  if (top === 'requestBody') {
    if (second === 'content' && fourth === 'schema')
      return schemaChange(op, 'request body', 'request', d.path.slice(0, 4), d, base, head);
    if (second === 'required' || second === undefined) {
      const required = (head.requestBody as Json | undefined)?.required === true;
      return at(
        required ? 'major' : 'minor',
        'request body',
        required ? 'now required' : 'optional or gone',
        'whether a call may omit the body',
      );
    }
    if (second === 'content' && d.path.length === 3)
      return at(
        added ? 'minor' : 'major',
        `request body ${third}`,
        `media type ${added ? 'added' : 'removed'}`,
        added ? 'existing calls stay valid' : 'calls sending it are refused',
      );
  }
  if (top === 'parameters' && second !== undefined) {
    const place = `parameter ${second}`;
    if (third === 'schema') return schemaChange(op, place, 'request', d.path.slice(0, 3), d, base, head);
    if (third === undefined && d.type !== 'CHANGE') {
      const required = added && (newValue(d) as Json | undefined)?.required === true;
      if (!added) return at('major', place, 'removed', 'code that sends it no longer compiles');
      return at(
        required ? 'major' : 'minor',
        place,
        `added, ${required ? 'required' : 'optional'}`,
        required ? 'code written against the base does not send it' : 'existing calls stay valid',
      );
    }
    if (third === 'required')
      return at(
        newValue(d) === true ? 'major' : 'minor',
        place,
        `required → ${JSON.stringify(newValue(d) ?? false)}`,
        'whether a call may omit it',
      );
  }
  if (top === 'responses' && second !== undefined) {
    const success = /^2/.test(second);
    if (third === undefined && d.type === 'REMOVE')
      return at(
        success ? 'major' : 'minor',
        `response ${second}`,
        'status removed',
        success
          ? 'code written against the base handles this success'
          : 'an error status the base named is no longer documented',
      );
    if (third === undefined && added)
      return at(
        'minor',
        `response ${second}`,
        'status added',
        success ? 'another success status (the compiler judges its body)' : 'another documented error status',
      );
    if (third === 'content' && fifth === 'schema')
      return schemaChange(op, `response ${second}`, 'response', d.path.slice(0, 5), d, base, head);
    if (third === 'headers' && fifth === 'schema')
      return schemaChange(op, `response ${second} header ${fourth}`, 'response', d.path.slice(0, 5), d, base, head);
    if ((third === 'content' || third === 'headers') && d.path.length === 4)
      return at(
        !added && success && third === 'content' ? 'major' : 'minor',
        `response ${second} ${fourth}`,
        added ? 'added' : 'removed',
        third === 'content' ? 'the answer is typed differently' : 'headers are not in the generated body types',
      );
  }
  if (top === 'security')
    return at('major', 'security', 'changed', 'calls written against the base may authenticate differently');
  if (top === 'deprecated') return at('minor', 'deprecated', JSON.stringify(newValue(d)), 'advice to consumers');
  const kw = d.path.findIndex((p) => ANNOTATIONS.has(String(p)) || String(p).startsWith('x-'));
  if (kw >= 0) return at('patch', placeOf(d.path.slice(0, kw)), `${String(d.path[kw])} edited`, DOCS_ONLY);
  return at('minor', placeOf(d.path), d.type.toLowerCase(), 'no rule classifies this change: read it');
}

const DOCS_ONLY = 'documentation only: no type or validation changes';

/** `responses 200 content application/json` → `response 200 application/json`, for a change no rule names. */
function placeOf(path: (string | number)[]): string {
  const words = path.map(String).filter((p) => p !== 'content');
  const [top, ...rest] = words;
  const name = { requestBody: 'request body', responses: 'response', parameters: 'parameter' }[top ?? ''] ?? top;
  return [name ?? 'operation', ...rest].join(' ');
}

/** The changes between two documents, each classified; `options.operations` narrows them to some operations. */
export function compare(baseDoc: unknown, headDoc: unknown, options: CompareOptions = {}): SpecChange[] {
  const [base, head] = [operationsOf(baseDoc), operationsOf(headDoc)];
  const wanted = options.operations?.map((o) => o.replace(/\{[^}]*\}/g, '{}'));
  const picked = (op: Operation | undefined) => !!op && (!wanted || wanted.includes(op.id) || wanted.includes(op.key));
  const keys = [...new Set([...base.keys(), ...head.keys()])].filter((k) => picked(base.get(k)) || picked(head.get(k)));
  const changes: SpecChange[] = [];
  for (const key of keys) {
    const [b, h] = [base.get(key), head.get(key)];
    if (!b || !h) {
      const why = b ? 'code written against the base calls it' : 'existing calls are not affected';
      changes.push({
        level: b ? 'major' : 'minor',
        where: (b ?? h)!.id,
        what: `operation ${b ? 'removed' : 'added'}`,
        why,
        path: [key],
      });
      continue;
    }
    const seen = new Set<string>();
    for (const d of diff(b.body, h.body)) {
      // An array keyword (required, enum, type) is judged once, as the sets before and after.
      const at = d.path.findIndex((p, i) => typeof p === 'number' && SET_VALUED.has(String(d.path[i - 1])));
      const judged: Difference =
        at > 0 ? { type: 'CHANGE', path: d.path.slice(0, at), value: null, oldValue: null } : d;
      const id = judged.path.join('\0');
      if (seen.has(id)) continue;
      seen.add(id);
      changes.push(...operationChange(h.id, judged, b.body, h.body));
    }
  }
  // The rest of the document (info, servers, tags, x-unsettled…); components count where operations use them.
  const rest = (doc: unknown) =>
    isObject(doc) ? Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'paths' && k !== 'components')) : {};
  for (const d of diff(rest(baseDoc), rest(headDoc))) {
    const top = String(d.path[0]);
    const level: Level = top === 'security' ? 'major' : top === 'servers' ? 'minor' : 'patch';
    const why = {
      major: 'calls written against the base may authenticate differently',
      minor: 'the documented servers changed',
      patch: 'documentation only: no type or validation changes',
    }[level];
    changes.push({
      level,
      where: 'document',
      what: `${d.path.join('.')} ${{ CREATE: 'added', REMOVE: 'removed', CHANGE: 'changed' }[d.type]}`,
      why,
      path: d.path,
    });
  }
  // One line per change a reader needs: the same edit seen through several $refs or examples is told once.
  const told = new Set<string>();
  return changes.filter(
    (c) => !told.has(`${c.level} ${c.where} ${c.what}`) && !!told.add(`${c.level} ${c.where} ${c.what}`),
  );
}

/** A one-line-per-change account from the rules alone (no compiler): for `npm run calibrate`'s own edits of the spec's text. */
export function describeSpecEdit(beforeText: string, afterText: string): string {
  const changes = compare(parse(beforeText), parse(afterText));
  return [
    `spec change for consumers: ${levelOf(changes)}`,
    ...changes.map((c) => `  ${c.level} ${c.where}: ${c.what}`),
  ].join('\n');
}
