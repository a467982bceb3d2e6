import type { ValidationIssue, Validator } from '../generated/validators.js';
import { DiditValidationError, describeIssues, type Issue } from './errors.js';

// Path parameters must be the plain 8-4-4-4-12 form: Didit's route matches nothing else, while
// ajv-formats' uuid (the body fields' rule) also takes `urn:uuid:…`, which would reach the path escaped.
export const PLAIN_UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

// Validators are compiled without messages (bytes): each rule is phrased from keyword + params,
// e.g. `must be <= 86400`, `must be uuid`, `must be integer`, `must match ^…$`.
const rule = ({ keyword, params }: ValidationIssue): string =>
  keyword === 'required'
    ? 'is required'
    : `must ${keyword === 'pattern' ? 'match' : 'be'} ${Object.values(params).join(' ')}`;

/** ajv issues as {path, rule}; `field` names top-level request fields instead of JSON pointers. */
export function toIssues(errors: ValidationIssue[] | null | undefined, field?: boolean): Issue[] {
  return (errors ?? []).map((e) => {
    const pointer = e.instancePath + (e.keyword === 'required' ? `/${e.params.missingProperty}` : '');
    return { path: field ? pointer.slice(1) || 'body' : pointer, rule: rule(e) };
  });
}

/**
 * Throws DiditValidationError naming every broken rule of a request: its body, each of its path
 * parameters (`{ sessionId }`), which must be plain UUIDs, and, once the body is valid, what `more`
 * finds in it.
 */
export function checkRequest<T>(
  op: string,
  validator: Validator<T>,
  body: unknown,
  path: Record<string, unknown> = {},
  more?: (body: T) => Issue | undefined,
): void {
  const issues: Issue[] = Object.entries(path)
    .filter(([, value]) => !(typeof value === 'string' && PLAIN_UUID.test(value)))
    .map(([name]) => ({ path: name, rule: 'must be uuid' }));
  if (!validator(body)) issues.push(...toIssues(validator.errors, true));
  else {
    const issue = more?.(body);
    if (issue) issues.push(issue);
  }
  if (issues.length)
    throw new DiditValidationError(`${op}: invalid input, not sent: ${describeIssues(issues)}`, { issues });
}
