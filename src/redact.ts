// Share tokens are JWTs: any JWT-shaped run keeps only its first 10 characters (the header's
// public start), so an error can still hint at which token it was about.
const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;

/**
 * Returns `value` (a string or any JSON value) with every JWT-shaped run cut to 10 characters + '…'
 * and every other secret replaced by `***`. Secrets must not contain `"` or `\` (the API key is
 * checked at construction; share tokens are base64url), so JSON values can be redacted as text.
 */
export function redact<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (value === undefined) return value;
  const text = typeof value === 'string';
  let s = text ? (value as string) : JSON.stringify(value);
  s = s.replace(JWT, (m) => m.slice(0, 10) + '…');
  for (const secret of secrets) if (secret) s = s.replaceAll(secret, '***');
  return (text ? s : JSON.parse(s)) as T;
}
