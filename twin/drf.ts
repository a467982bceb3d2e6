// Django REST Framework's field parsing and messages, as far as the twin's two serializers need them.

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides application/json (used by one mutant only). */
  contentType?: string;
}

export type FieldErrors = Record<string, string[]>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const detail = (status: number, message: string): Reply => ({ status, body: { detail: message } });
export const fieldError = (field: string, message: string): Reply => ({ status: 400, body: { [field]: [message] } });

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Python's uuid.UUID(hex=...) as DRF's UUIDField uses it; answers the canonical lowercase form. */
export function parseUuid(value: unknown): Parsed<string> {
  let hex: string;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    hex = value.toString(16).padStart(32, '0');
  } else if (typeof value === 'string') {
    hex = value
      .replaceAll('urn:', '')
      .replaceAll('uuid:', '')
      .replace(/^[{}]+|[{}]+$/g, '')
      .replaceAll('-', '');
  } else {
    return fail('Must be a valid UUID.');
  }
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return fail('Must be a valid UUID.');
  const h = hex.toLowerCase();
  return ok(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
}

/**
 * DRF's IntegerField: whole numbers, and strings of one ("90", " 90 ", "90.0"); 90.5, "90.5", true
 * and "1e3" are rejected. `truncateFractions` is the non-integer-TTL mutant.
 */
export function parseInteger(
  value: unknown,
  range: { min?: number; max?: number; truncateFractions?: boolean },
): Parsed<number> {
  let n: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    n = Number.isInteger(value) ? value : range.truncateFractions ? Math.trunc(value) : undefined;
  } else if (typeof value === 'string') {
    if (value.length > 1000) return fail('String value too large.');
    const s = value.replace(/\.0*\s*$/, '');
    if (/^\s*[+-]?\d+\s*$/.test(s)) n = Number.parseInt(s, 10);
    else if (range.truncateFractions && /^\s*[+-]?\d+\.\d+\s*$/.test(value)) n = Math.trunc(Number.parseFloat(value));
  }
  if (n === undefined) return fail('A valid integer is required.');
  if (range.min !== undefined && n < range.min)
    return fail(`Ensure this value is greater than or equal to ${range.min}.`);
  if (range.max !== undefined && n > range.max) return fail(`Ensure this value is less than or equal to ${range.max}.`);
  return ok(n);
}

/** DRF's CharField: strings and numbers (stringified), trimmed, not blank. */
export function parseString(value: unknown): Parsed<string> {
  if (typeof value !== 'string' && typeof value !== 'number') return fail('Not a valid string.');
  const s = String(value).trim();
  return s === '' ? fail('This field may not be blank.') : ok(s);
}

const TRUE_VALUES = new Set<unknown>([
  't',
  'T',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  '1',
  1,
  true,
]);
const FALSE_VALUES = new Set<unknown>([
  'f',
  'F',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '0',
  0,
  false,
]);

/** DRF's BooleanField. */
export function parseBoolean(value: unknown): Parsed<boolean> {
  if (TRUE_VALUES.has(value)) return ok(true);
  if (FALSE_VALUES.has(value)) return ok(false);
  return fail('Must be a valid boolean.');
}

/** A serializer run: collects every field's error, in declaration order, like DRF. */
export class FieldReader {
  readonly errors: FieldErrors = {};
  constructor(private readonly data: Record<string, unknown>) {}

  read<T>(name: string, parse: (value: unknown) => Parsed<T>, required: boolean): T | undefined {
    if (!(name in this.data)) {
      if (required) this.errors[name] = ['This field is required.'];
      return undefined;
    }
    const raw = this.data[name];
    if (raw === null) {
      this.errors[name] = ['This field may not be null.'];
      return undefined;
    }
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    this.errors[name] = [parsed.error];
    return undefined;
  }

  get failed(): boolean {
    return Object.keys(this.errors).length > 0;
  }
}

/** DRF's answer when the body is JSON but not an object. */
export function notAnObject(data: unknown): Reply | undefined {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) return undefined;
  if (data === null) return { status: 400, body: { non_field_errors: ['No data provided'] } };
  const pyType = Array.isArray(data)
    ? 'list'
    : typeof data === 'string'
      ? 'str'
      : typeof data === 'boolean'
        ? 'bool'
        : Number.isInteger(data)
          ? 'int'
          : 'float';
  return { status: 400, body: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${pyType}.`] } };
}
