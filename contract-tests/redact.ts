// One place that keeps secrets out of every report, log line and console message of the drift check.

const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const PREFIX = 10;

/** A short, recognisable stand-in for a secret: its first characters and an ellipsis. */
export const shorten = (secret: string) => `${secret.slice(0, PREFIX)}…`;

/** The values to hide: the API keys of the environment (any variable whose name ends in API_KEY). */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => /API_KEY$/.test(name) && value !== undefined && value.length >= 4)
    .map(([, value]) => value!);
}

/** Hides every whole JWT (a short prefix stays) and every listed secret (nothing stays). */
export function redact(text: string, secrets: readonly string[] = secretsFromEnv()): string {
  let out = text.replace(JWT, shorten);
  for (const secret of secrets) out = out.split(secret).join('[REDACTED]');
  return out;
}

/** A field that holds a token, whatever shape the token has drifted to (opaque, two parts, JWE). */
const TOKEN_FIELD = /token/i;

/**
 * `redact` applied to every string inside a JSON-able value; a string under a token-named key keeps
 * only its short prefix, so a token that no longer looks like a JWT is still never written whole.
 */
export function redactDeep<T>(value: T, secrets: readonly string[] = secretsFromEnv()): T {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      typeof v !== 'string' ? v : TOKEN_FIELD.test(key) && v.length > PREFIX ? redact(shorten(v), secrets) : redact(v, secrets),
    ),
  ) as T;
}
