// The happy path first: before any rule is judged, the documented success with the configured inputs
// must work (the key accepted, the session found and finished, the partner application another one,
// the base URL the API's origin). When it does not, the run cannot judge the service: the answer's
// documented meaning names the variable to fix and the run stops (exit 2), its checks not run rather
// than failed. The table is data: one row per documented refusal of a configured input.
import type { Exchange } from '../../http-kit/exchange.js';
import { evidence } from './findings.js';
import { TargetMisconfiguredError } from './http.js';
import { assertAccountCanRun, refusalOf } from './refusals.js';
import type { Variable } from './target.js';

export interface SetupMistake {
  /** The operation whose happy path answered. */
  operation: 'shareSession' | 'importSharedSession';
  status: number;
  /** What the body says (any of its strings, or its text); absent: the status alone decides. */
  says?: RegExp;
  variable: Variable;
  /** What is wrong and what to do; `{key}` is the variable's name. */
  fix: string;
}

export const SETUP_MISTAKES: SetupMistake[] = [
  {
    operation: 'shareSession',
    status: 401,
    variable: 'DIDIT_API_KEY',
    fix: 'the service does not know this key (401): set DIDIT_API_KEY to an API key of the sharing application (Didit console, API keys), for the service DIDIT_BASE_URL names',
  },
  {
    operation: 'shareSession',
    status: 404,
    variable: 'DIDIT_SESSION_ID',
    fix: "DIDIT_API_KEY's application has no session DIDIT_SESSION_ID (404): set DIDIT_SESSION_ID to a finished session of that application, or use a key whose scope includes the session",
  },
  {
    operation: 'shareSession',
    status: 400,
    says: /finished/i,
    variable: 'DIDIT_SESSION_ID',
    fix: 'DIDIT_SESSION_ID is not finished, and only finished sessions (Approved, Declined, In Review) can be shared (400): set it to a finished session',
  },
  {
    operation: 'shareSession',
    status: 400,
    says: /own application|same application/i,
    variable: 'DIDIT_FOR_APPLICATION_ID',
    fix: "DIDIT_FOR_APPLICATION_ID is the sharing application itself (400): set it to the partner application's id",
  },
  {
    operation: 'shareSession',
    status: 400,
    says: /application.*not found|not found.*application|no such application|does not exist/i,
    variable: 'DIDIT_FOR_APPLICATION_ID',
    fix: "the service knows no application DIDIT_FOR_APPLICATION_ID (400): set it to the partner application's id",
  },
  {
    operation: 'importSharedSession',
    status: 401,
    says: /api[ _-]?key|credentials/i,
    variable: 'DIDIT_PARTNER_API_KEY',
    fix: "the service does not know this key (401): set DIDIT_PARTNER_API_KEY to an API key of the partner application (DIDIT_FOR_APPLICATION_ID's)",
  },
  {
    operation: 'importSharedSession',
    status: 404,
    says: /workflow/i,
    // The lane's own workflow variable (the KYB lane's is DIDIT_PARTNER_KYB_WORKFLOW_ID): assertImportHappyPath.
    variable: 'DIDIT_PARTNER_WORKFLOW_ID',
    fix: 'the partner application has no such workflow (404): set {key} to a workflow of the partner application',
  },
];

const BASE_URL_FIX =
  "no route of the API answers there (both operations 404): set DIDIT_BASE_URL to the API's origin (e.g. https://verification.didit.me, no path)";

/** Every string of a JSON body (a few levels deep, bounded), or the text: what the body says. */
function wordsOf(exchange: Exchange): string {
  const words: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (words.length > 32) return;
    if (typeof value === 'string') words.push(value.slice(0, 400));
    else if (value !== null && typeof value === 'object' && depth < 4)
      for (const item of Object.values(value).slice(0, 32)) visit(item, depth + 1);
  };
  if (exchange.json === undefined) return exchange.text.slice(0, 2000);
  visit(exchange.json, 0);
  return words.join(' ');
}

const mistake = (variable: string, fix: string, exchange: Exchange) =>
  new TargetMisconfiguredError(
    `the configured inputs do not reach the documented success, so no rule can be judged (not drift): ${fix}. Fix ${variable}. Evidence: ${evidence(exchange)}`,
  );

/** The row of the table that reads this answer of `operation`'s happy path, if any. */
export const setupMistakeOf = (operation: SetupMistake['operation'], exchange: Exchange): SetupMistake | undefined =>
  SETUP_MISTAKES.find(
    (m) =>
      m.operation === operation &&
      m.status === exchange.status &&
      (m.says === undefined || m.says.test(wordsOf(exchange))),
  );

/**
 * Throws TargetMisconfiguredError (or AccountStateError) when the share of DIDIT_SESSION_ID with
 * DIDIT_FOR_APPLICATION_ID is refused for a configured input. `importRoute` asks the other route,
 * to tell a session the key cannot see from a base URL where no route exists.
 */
export async function assertShareHappyPath(exchange: Exchange, importRoute: () => Promise<Exchange>): Promise<void> {
  if (exchange.status < 300) return;
  assertAccountCanRun(exchange, 'DIDIT_API_KEY');
  const found = setupMistakeOf('shareSession', exchange);
  if (!found) return;
  if (found.status === 404 && (await importRoute()).status === 404)
    throw mistake('DIDIT_BASE_URL', BASE_URL_FIX, exchange);
  throw mistake(found.variable, found.fix.replaceAll('{key}', found.variable), exchange);
}

/**
 * Throws when the partner's import of a token minted for DIDIT_FOR_APPLICATION_ID is refused for a
 * configured input: the partner key unknown, of another application (the sharing one's, say), or
 * its workflow (`workflow`, the lane's variable) unknown. `sameKey`: DIDIT_PARTNER_API_KEY is DIDIT_API_KEY itself; `forPartner`: the
 * token's for_application_id claim is DIDIT_FOR_APPLICATION_ID (a token minted for another
 * application is the share's drift, share.token.binding's finding, not a wrong partner key).
 */
export function assertImportHappyPath(
  exchange: Exchange,
  {
    sameKey = false,
    forPartner = true,
    workflow = 'DIDIT_PARTNER_WORKFLOW_ID',
  }: { sameKey?: boolean; forPartner?: boolean; workflow?: Variable } = {},
): void {
  if (exchange.status < 300) return;
  assertAccountCanRun(exchange, 'DIDIT_PARTNER_API_KEY');
  if (forPartner && exchange.status === 403 && refusalOf(exchange) === 'wrong-application')
    throw mistake(
      'DIDIT_PARTNER_API_KEY',
      `the token minted for DIDIT_FOR_APPLICATION_ID was refused as not intended for the importing application (403): DIDIT_PARTNER_API_KEY is a key of another application${sameKey ? ' (it is DIDIT_API_KEY itself, the sharing application)' : ', perhaps the sharing one'}; set it to a key of the partner application`,
      exchange,
    );
  const found = setupMistakeOf('importSharedSession', exchange);
  if (!found) return;
  const variable = found.variable === 'DIDIT_PARTNER_WORKFLOW_ID' ? workflow : found.variable;
  throw mistake(variable, found.fix.replaceAll('{key}', variable), exchange);
}
