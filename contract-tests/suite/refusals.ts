// A 403 (or 402) on import has many documented causes: only the body can tell which. An account
// state (balance, payment, IP allowlist, a key's rights) is not drift: the run stops with exit 2,
// saying what to fix, instead of reading it as "already imported" or as a failed rule.
import type { Exchange } from '../../http-kit/exchange.js';
import { evidence } from './findings.js';
import { AccountStateError } from './http.js';

export type Refusal =
  | 'already-imported'
  | 'wrong-application'
  | 'payment'
  | 'balance'
  | 'ip-allowlist'
  | 'privilege'
  | 'unknown';

// Read from `detail`, `code`, `message` or `error`: Didit's bodies have no one envelope.
const CAUSES: Array<[Exclude<Refusal, 'unknown' | 'payment'>, RegExp]> = [
  ['already-imported', /already\s+(been\s+)?imported|already\s+been\s+shared|already_imported|duplicate/i],
  [
    'wrong-application',
    /not intended|another application|not for your application|not valid for this application|wrong_application|audience/i,
  ],
  ['balance', /balance|insufficient[ _](balance|funds|credit)|billing/i],
  ['ip-allowlist', /\bIP\b|allow-?list|whitelist/],
  ['privilege', /permission|privilege|write:sessions|not allowed|scope/i],
];

function bodyText(exchange: Exchange): string {
  const body = exchange.json as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return exchange.text;
  return ['detail', 'code', 'message', 'error']
    .map((k) => body[k])
    .filter((v) => typeof v === 'string')
    .join(' ');
}

/** Why the service refused, as far as its body says; 402 is always a payment refusal. */
export function refusalOf(exchange: Exchange): Refusal {
  if (exchange.status === 402) return 'payment';
  const text = bodyText(exchange);
  return CAUSES.find(([, pattern]) => pattern.test(text))?.[0] ?? 'unknown';
}

const WHAT_TO_DO: Partial<Record<Refusal, (key: string) => string>> = {
  payment: () =>
    'the import could not be paid for (402): add credit to the receiving application in the Didit console (Billing), or run against sandbox applications, which are never billed',
  balance: () =>
    "the receiving application's balance cannot cover an import (403): add credit in the Didit console (Billing), or run against sandbox applications, which are never billed",
  'ip-allowlist': (key) =>
    `${key} refuses requests from this machine (IP allowlist, 403): add this runner's address to the key's allowlist in the Didit console (API keys), or use a key without one`,
  privilege: (key) =>
    `${key} may not do this (403: it lacks write:sessions, or its scope excludes the session or workflow): grant write:sessions in the Didit console (API keys), or use the application's primary key`,
};

/**
 * Throws AccountStateError when the exchange is an account refusal rather than an answer about the
 * request: the run then ends with exit 2 naming what to fix. `key` names the variable that was sent;
 * `expected` lists refusals the check itself provokes (e.g. a key without the privilege).
 */
export function assertAccountCanRun(exchange: Exchange, key: string, { expected = [] as Refusal[] } = {}): void {
  if (exchange.status !== 402 && exchange.status !== 403) return;
  const refusal = refusalOf(exchange);
  const advice = expected.includes(refusal) ? undefined : WHAT_TO_DO[refusal];
  if (advice)
    throw new AccountStateError(
      `the account cannot run the checks (not drift): ${advice(key)}. Evidence: ${evidence(exchange)}`,
    );
}
