// Error answers the mock (scripts/mock.ts) gives instead of Prism's. For an invalid request Prism
// answers the operation's 422, else its 400, with the response's FIRST example whatever was wrong
// (a malformed session id got `ttl_in_seconds: [...]`), and its 401 with the first 401 example (a
// missing key on import got "Invalid or expired share token."). It does list what it found in the
// `sl-violations` header; these functions turn that list into a DRF-shaped body (the spec's
// BadRequestError / ErrorDetail) that names the actual problem, so the mock never contradicts the request.

export interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export type ErrorBody = { detail: string } | Record<string, string[]>;

/** The violations Prism attached to an answer (none if the header is absent or unreadable). */
export function parseViolations(header: string | string[] | undefined): Violation[] {
  if (typeof header !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed)
      ? (parsed as Violation[]).filter((v) => v.severity === 'Error' && v.location?.[0] === 'request')
      : [];
  } catch {
    return [];
  }
}

const REQUIRED = /required property '([^']+)'/;

/** A body field's name (`a.b` when nested), or undefined for anything else (path, header, security). */
function bodyField(v: Violation): string | undefined {
  if (v.location[1] !== 'body') return undefined;
  if (v.location.length > 2) return v.location.slice(2).join('.');
  const missing = REQUIRED.exec(v.message)?.[1];
  return missing;
}

/**
 * The body to send instead of Prism's, or undefined to keep Prism's answer (a success, an error
 * Prism did not derive from the request, or a status this mock does not rewrite).
 */
export function errorBody(status: number, violations: Violation[]): ErrorBody | undefined {
  if (violations.length === 0) return undefined;
  // Prism's only security check is the presence of x-api-key: a 401 here always means no key.
  if (status === 401) return { detail: 'Authentication credentials were not provided.' };
  if (status !== 400 && status !== 422) return undefined;
  const fields = violations.map(bodyField);
  if (fields.every((f): f is string => f !== undefined)) {
    // DRF's field errors: each field names its messages (its own wording for a missing field).
    const body: Record<string, string[]> = {};
    violations.forEach((v, i) => {
      (body[fields[i]!] ??= []).push(
        REQUIRED.test(v.message) && v.location.length === 2 ? 'This field is required.' : v.message,
      );
    });
    return body;
  }
  // A path parameter (the session id) or anything outside the body: one request-level detail.
  return { detail: violations.map((v) => v.message).join('; ') };
}
