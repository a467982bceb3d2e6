import type { ValidationIssue, Validator } from '../generated/validators.js';
import { DiditValidationError, describe } from './errors.js';

/** One rule an input or response broke: where (`path`) and what is expected (`rule`). */
export interface Issue {
  /** Requests: the field name (`sessionId`, `ttl_in_seconds`); responses and claims: a JSON pointer. */
  path: string;
  rule: string;
}

// ajv-formats' uuid, as in generated/validators.js, so the path parameter obeys the spec's rule.
export const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

// Validators are compiled without messages (bytes): each rule is phrased from keyword + params,
// e.g. `must be <= 86400`, `must be uuid`, `must be integer`, `must match ^…$`.
const rule = ({ keyword, params }: ValidationIssue): string =>
  keyword === 'required' ? 'is required' : `must ${keyword === 'pattern' ? 'match' : 'be'} ${Object.values(params).join(' ')}`;

/** ajv issues as {path, rule}; `field` names top-level request fields instead of JSON pointers. */
export function toIssues(errors: ValidationIssue[] | null | undefined, field?: boolean): Issue[] {
  return (errors ?? []).map((e) => {
    const pointer = e.instancePath + (e.keyword === 'required' ? `/${e.params.missingProperty}` : '');
    return { path: field ? pointer.slice(1) || 'body' : pointer, rule: rule(e) };
  });
}

/** Throws DiditValidationError naming every broken rule of a request (and its sessionId, if any). */
export function checkRequest(op: string, validator: Validator<unknown>, body: unknown, ...sessionId: unknown[]): void {
  const issues = validator(body) ? [] : toIssues(validator.errors, true);
  const [id] = sessionId;
  if (sessionId.length && !(typeof id === 'string' && UUID.test(id))) issues.unshift({ path: 'sessionId', rule: 'must be uuid' });
  if (issues.length) throw new DiditValidationError(`${op}: invalid input, not sent: ${describe(issues)}`, { issues });
}
