// Share tokens are JWTs: a JWT-shaped run keeps only its first 10 characters (the header's public
// start), so an error can still hint at which token it was about.
const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const WHOLE_JWT = new RegExp(`^${JWT.source}$`);

// A drifted response may carry a token of any shape (opaque, two parts): whatever string sits under
// a key that names a token is treated as one.
const TOKEN_KEY = /token/i;

// Bodies nest this deep at most before the rest is dropped: redaction must never overflow the stack.
const MAX_DEPTH = 32;

/** The first 10 characters + '…'; a string too short to cut safely is hidden whole. */
export const shorten = (s: string) => (s.length > 10 ? s.slice(0, 10) + '…' : '***');

function redactText(text: string, secrets: readonly string[]): string {
  // Secrets go first, whole: a JWT-shaped run inside one must not be cut and leave the rest.
  for (const secret of secrets) text = text.replaceAll(secret, WHOLE_JWT.test(secret) ? shorten(secret) : '***');
  return text.replace(JWT, shorten);
}

function walk(value: unknown, secrets: readonly string[], depth: number, underTokenKey = false): unknown {
  if (typeof value === 'string') return underTokenKey ? shorten(redactText(value, secrets)) : redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [redactText(key, secrets), walk(item, secrets, depth + 1, TOKEN_KEY.test(key))]),
  );
}

/**
 * Returns a copy of `value` (a string or any JSON value) where every listed secret becomes `***`,
 * every JWT-shaped run is cut to 10 characters + '…', and so is every string under a key naming a
 * token (`share_token`, `accessToken`). Works on values, never on JSON text, so any secret is safe.
 */
export function redact<T>(value: T, secrets: readonly (string | undefined)[]): T {
  return walk(value, secrets.filter((s): s is string => !!s), 0) as T;
}
