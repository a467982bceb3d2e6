// The drift check's secrets: the API keys of the environment and of the run at hand. Redaction itself
// is the client's (src/redact.ts), so reports, logs and client errors hide keys and tokens by one rule;
// `redact` here only supplies these secrets.
import { redact as redactWithSecrets } from '../src/redact.js';

/** The values to hide: the API keys of an environment (any variable whose name ends in API_KEY). */
export function secretsFromEnv(env: Record<string, string | undefined> = process.env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => /API_KEY$/.test(name) && value !== undefined && value.length >= 4)
    .map(([, value]) => value!);
}

// The process environment's keys, plus those of the run at hand (a run may be given its variables
// without them ever being in process.env).
let runSecrets: readonly string[] = [];

/** Adds the secrets of the run at hand to what every redaction hides. */
export function useSecrets(secrets: readonly string[]): void {
  runSecrets = secrets;
}

const allSecrets = () => [...secretsFromEnv(), ...runSecrets];

/**
 * A string, or every string inside a JSON-able value, with every secret replaced and every whole JWT
 * cut to a short prefix; a string under a token-named key keeps only its short prefix, so a token that
 * no longer looks like a JWT is still never written whole (src/redact.ts).
 */
export const redact = <T>(value: T, secrets: readonly string[] = allSecrets()): T => redactWithSecrets(value, secrets);
