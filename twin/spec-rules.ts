// What the twin takes from the spec itself (generated/): the request rules its own serializers do not
// parse — a new request field and its rules, enforced at once — as DRF's field errors, and the names
// of the documented response fields, so a mutant's "undocumented field" is one the spec does not have.
import {
  type FieldMap,
  fieldsOfImportSharedSessionResponse,
  fieldsOfShareSessionResponse,
  type ValidationIssue,
  type Validator,
  validateImportSharedSessionRequest,
  validateShareSessionRequest,
} from '../generated/validators.js';
import type { FieldErrors, Reply } from './drf.js';

export type Serializer = 'share' | 'import';

/**
 * The fields each serializer parses itself, with DRF's coercions ("90" is an integer) and messages
 * (twin/share.ts, twin/import-shared.ts): the spec's validator judges every other field.
 */
export const OWN_FIELDS: Record<Serializer, ReadonlySet<string>> = {
  share: new Set(['for_application_id', 'ttl_in_seconds']),
  import: new Set(['share_token', 'workflow_id', 'vendor_data', 'trust_review']),
};
const VALIDATORS: Record<Serializer, Validator<unknown>> = {
  share: validateShareSessionRequest,
  import: validateImportSharedSessionRequest,
};

const TYPE_MESSAGES: Record<string, string> = {
  string: 'Not a valid string.',
  integer: 'A valid integer is required.',
  number: 'A valid number is required.',
  boolean: 'Must be a valid boolean.',
  array: 'Expected a list of items.',
  object: 'Expected a dictionary of items.',
};
const FORMAT_MESSAGES: Record<string, string> = {
  uuid: 'Must be a valid UUID.',
  'date-time':
    'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
  date: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
  email: 'Enter a valid email address.',
  uri: 'Enter a valid URL.',
};

/** DRF's words for one failed keyword (its serializer fields' default messages). */
function drfMessage(issue: ValidationIssue, value: unknown): string {
  const p = issue.params as Record<string, unknown>;
  const limit = String(p.limit);
  switch (issue.keyword) {
    case 'required':
      return 'This field is required.';
    case 'type':
      return value === null
        ? 'This field may not be null.'
        : (TYPE_MESSAGES[String(p.type).split(',')[0]!] ?? 'Invalid value.');
    case 'maxLength':
      return `Ensure this field has no more than ${limit} characters.`;
    case 'minLength':
      return `Ensure this field has at least ${limit} characters.`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `Ensure this value is less than or equal to ${limit}.`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `Ensure this value is greater than or equal to ${limit}.`;
    case 'maxItems':
      return `Ensure this field has no more than ${limit} elements.`;
    case 'minItems':
      return `Ensure this field has at least ${limit} elements.`;
    case 'enum':
    case 'const':
      return `"${String(value)}" is not a valid choice.`;
    case 'pattern':
      return 'This value does not match the required pattern.';
    case 'format':
      return FORMAT_MESSAGES[String(p.format)] ?? 'Enter a valid value.';
    default:
      return 'Invalid value.';
  }
}

/**
 * The spec's rules for the fields the serializer does not parse itself, as DRF's field errors (the
 * first broken rule of each field). Empty when the body keeps them, or is not an object (DRF's own answer).
 */
export function specFieldErrors(serializer: Serializer, data: unknown): FieldErrors {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  const validate = VALIDATORS[serializer];
  if (validate(data)) return {};
  const errors: FieldErrors = {};
  for (const issue of validate.errors ?? []) {
    const field =
      issue.keyword === 'required' && issue.instancePath === ''
        ? String(issue.params.missingProperty)
        : decodeURIComponent(issue.instancePath.split('/')[1] ?? '')
            .replaceAll('~1', '/')
            .replaceAll('~0', '~');
    if (field === '' || OWN_FIELDS[serializer].has(field) || field in errors) continue;
    errors[field] = [drfMessage(issue, (data as Record<string, unknown>)[field])];
  }
  return errors;
}

/** The fields the spec documents in each success answer (generated from its response schemas). */
export const DOCUMENTED_FIELDS: Record<Serializer, FieldMap> = {
  share: fieldsOfShareSessionResponse,
  import: fieldsOfImportSharedSessionResponse,
};

/** A field name the answer's schema does not document: `preferred` while the spec lacks it, else one made from it. */
export function undocumentedField(serializer: Serializer, preferred = 'expires_at'): string {
  let name = preferred;
  for (let n = 2; Object.hasOwn(DOCUMENTED_FIELDS[serializer], name); n++) name = `${preferred}_${n}`;
  return name;
}

type Read<T> = { body: T } | { reply: Reply };
const isFieldErrors = (body: unknown): body is FieldErrors =>
  body !== null && typeof body === 'object' && Object.values(body).every(Array.isArray);

/**
 * A serializer's result with the spec's rules for its other fields: DRF answers every field's errors
 * in one 400, so they join the serializer's own field errors; a valid body with one broken rule is a 400.
 */
export function withSpecRules<T>(serializer: Serializer, data: unknown, read: Read<T>): Read<T> {
  const errors = specFieldErrors(serializer, data);
  if (Object.keys(errors).length === 0) return read;
  if ('body' in read) return { reply: { status: 400, body: errors } };
  const own = read.reply.body;
  return read.reply.status === 400 && isFieldErrors(own)
    ? { reply: { ...read.reply, body: { ...own, ...errors } } }
    : read;
}
